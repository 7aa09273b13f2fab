"""The domain: cases, parties, documents, sign anchors and scripts.

See docs/architecture.md, "The path of a case".

`parse_case` validates the platform's JSON and rejects a bad case with a precise reason
(`CaseError` names the field path). Personal data never appears in `repr` or `str`.
"""
from __future__ import annotations

import enum
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.errors import UserFacingError
from kiosk.idnumber import id_number_problem
from kiosk.privacy import mask_id, mask_name
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

_QR_TAGGED = re.compile(r"(?:case_no=|BDC:CASE:)([A-Za-z0-9\-]{4,40})(?:$|&)")
_CASE_NO = re.compile(r"[A-Z]{2}\d{4}-\d{4,8}")
# 不动产单元号 (GB/T 37346): 6-digit district, 6-digit cadastral zone/subzone, 2 letters, 5-digit
# parcel, 1 letter (F/L/Q/W: building, forest, structure, sea), 8 digits
_UNIT_NO = re.compile(r"^\d{12}[A-Z]{2}\d{5}[FLQW]\d{8}$")


def case_no_from_qr(payload: str) -> str | None:
    """The 受理号 a QR code carries: `BDC:CASE:<no>`, a URL with `case_no=<no>`, or a number of
    the centre's form (LH2026-000123) anywhere in it; None when there is none. The kiosk's
    scanner and the reference platform's QR lookup both read payloads with this."""
    text = (payload or "").strip()
    m = _QR_TAGGED.search(text)
    if m:
        return m.group(1)
    m = _CASE_NO.search(text.upper())
    return m.group(0) if m else None


class BusinessType(str, enum.Enum):
    PRE_REGISTRATION = QT_TRANSLATE_NOOP("kiosk", "预告登记")
    NEW_HOUSE_FIRST = QT_TRANSLATE_NOOP("kiosk", "商品房首次登记")
    NEW_HOUSE_TRANSFER = QT_TRANSLATE_NOOP("kiosk", "新房转移登记")
    RESALE_TRANSFER = QT_TRANSLATE_NOOP("kiosk", "存量房转移登记")
    MORTGAGE = QT_TRANSLATE_NOOP("kiosk", "房地产权抵押登记")
    MORTGAGE_RELEASE = QT_TRANSLATE_NOOP("kiosk", "抵押注销登记")
    JUDICIAL_SEAL = QT_TRANSLATE_NOOP("kiosk", "司法查封")
    JUDICIAL_RULING = QT_TRANSLATE_NOOP("kiosk", "司法裁决")
    JUDICIAL_RELEASE = QT_TRANSLATE_NOOP("kiosk", "司法解封")


ROLES = (QT_TRANSLATE_NOOP("kiosk", "权利人"), QT_TRANSLATE_NOOP("kiosk", "义务人"), QT_TRANSLATE_NOOP("kiosk", "代理人"), QT_TRANSLATE_NOOP("kiosk", "抵押权人"), QT_TRANSLATE_NOOP("kiosk", "抵押人"), QT_TRANSLATE_NOOP("kiosk", "申请执行人"), QT_TRANSLATE_NOOP("kiosk", "被执行人"), QT_TRANSLATE_NOOP("kiosk", "申请人"), QT_TRANSLATE_NOOP("kiosk", "债务人"))


class CaseError(UserFacingError):
    def __init__(self, reason: str, *, path: str = "") -> None:
        where = f"{path}: " if path else ""
        # a check names its place as "<where>: <reason>": the reason alone is a marked text
        place, sep, plain = reason.rpartition(": ")
        where, reason_text = (f"{where}{place}{sep}", plain) if sep else (where, reason)
        super().__init__(fmt(QT_TRANSLATE_NOOP("kiosk", "案件数据有误，请联系窗口工作人员（{where}{reason}）"),
                             where=where, reason=reason_text), detail=f"{where}{reason_text}", code="bad_case")
        self.reason = reason
        self.path = path


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class Agent(_Strict):
    name: str = Field(min_length=1, max_length=64)
    id_number: str

    @field_validator("id_number")
    @classmethod
    def _check_id(cls, v: str) -> str:
        problem = id_number_problem(v)
        if problem:
            raise ValueError(problem)
        return v.upper()

    def __repr_args__(self) -> Any:
        return [("name", mask_name(self.name)), ("id_number", mask_id(self.id_number))]


class Party(_Strict):
    party_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")
    role: str
    kind: Literal["person", "legal"] = "person"
    name: str = Field(min_length=1, max_length=128)
    id_type: str = "居民身份证"
    id_number: str | None = None
    credit_code: str | None = Field(default=None, pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")
    photo_url: str | None = None
    agent: Agent | None = None

    @field_validator("role")
    @classmethod
    def _check_role(cls, v: str) -> str:
        if v not in ROLES:
            raise ValueError(f"{v!r}: " + QT_TRANSLATE_NOOP("kiosk", "未知的申请人角色"))
        return v

    @field_validator("id_number")
    @classmethod
    def _check_id(cls, v: str | None) -> str | None:
        if v is None:
            return v
        problem = id_number_problem(v)
        if problem:
            raise ValueError(problem)
        return v.upper()

    @model_validator(mode="after")
    def _kind_fields(self) -> Party:
        if self.kind == "person" and not self.id_number:
            raise ValueError(QT_TRANSLATE_NOOP("kiosk", "自然人必须有身份证号"))
        if self.kind == "legal":
            if not self.credit_code:
                raise ValueError(QT_TRANSLATE_NOOP("kiosk", "法人必须有统一社会信用代码"))
            if self.agent is None:
                raise ValueError(QT_TRANSLATE_NOOP("kiosk", "法人必须由代理人（经办人）办理"))
        return self

    @property
    def signer_name(self) -> str:
        """The natural person who stands at the kiosk: the party itself or its agent."""
        return self.agent.name if self.agent else self.name

    @property
    def signer_id_number(self) -> str:
        return self.agent.id_number if self.agent else (self.id_number or "")

    def __repr_args__(self) -> Any:
        return [("party_id", self.party_id), ("role", self.role), ("kind", self.kind),
                ("name", mask_name(self.name))]


class SignAnchor(_Strict):
    party_id: str
    page: int = Field(ge=1, description="1-based page number")
    rect: tuple[float, float, float, float] = Field(description="x, y, w, h in PDF points, origin bottom-left")
    kind: Literal["signature", "seal", "date"] = "signature"

    @field_validator("rect")
    @classmethod
    def _positive(cls, v: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x, y, w, h = v
        if w <= 0 or h <= 0 or x < 0 or y < 0:
            raise ValueError(QT_TRANSLATE_NOOP("kiosk", "签字位置的宽高必须为正，坐标不能为负"))
        return v


class Document(_Strict):
    doc_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = Field(min_length=1, max_length=200)
    url: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pages: int | None = Field(default=None, ge=1, le=2000)
    page_size: tuple[float, float] | None = Field(default=None, description="width, height in points")
    anchors: list[SignAnchor] = Field(default_factory=list)


class Question(_Strict):
    ask: str = Field(min_length=1, max_length=500)
    expect: Literal["affirm", "deny"]


class Script(_Strict):
    notice: str = Field(min_length=1, max_length=10000)
    statement: str = Field(min_length=1, max_length=2000)
    questions: list[Question] = Field(default_factory=list, max_length=20)

    def __repr_args__(self) -> Any:  # statements name the applicant
        return [("statement", f"<{len(self.statement)} chars>"), ("questions", len(self.questions))]


class Policy(_Strict):
    liveness_actions: int = Field(default=2, ge=1, le=4)
    face_attempts: int = Field(default=3, ge=1, le=10)
    retention_days: int = Field(default=30, ge=0, le=3650)
    statement_retries: int = Field(default=2, ge=0, le=5)


class Property(_Strict):
    location: str = ""
    unit_no: str = ""

    @property
    def number_label(self) -> str:
        """What `unit_no` is: a 不动产单元号 only when it has that form; platforms also send the
        certificate (不动产权证书/证明号) or a contract filing number there: 权属证明号."""
        value = self.unit_no.strip().replace(" ", "")
        return QT_TRANSLATE_NOOP("kiosk", "不动产单元号") if not value or _UNIT_NO.match(value) else QT_TRANSLATE_NOOP("kiosk", "权属证明号")


class Case(_Strict):
    case_no: str = Field(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9\-]+$")
    business_type: BusinessType
    property: Property = Property()
    parties: list[Party] = Field(min_length=1, max_length=20)
    documents: list[Document] = Field(default_factory=list, max_length=50)
    scripts: dict[str, Script] = Field(default_factory=dict)
    policy: Policy = Policy()

    @model_validator(mode="after")
    def _cross_checks(self) -> Case:
        ids = [p.party_id for p in self.parties]
        if len(set(ids)) != len(ids):
            raise ValueError(QT_TRANSLATE_NOOP("kiosk", "申请人编号重复"))
        known = set(ids)
        doc_ids = [d.doc_id for d in self.documents]
        if len(set(doc_ids)) != len(doc_ids):
            raise ValueError(QT_TRANSLATE_NOOP("kiosk", "文书编号重复"))
        for d in self.documents:
            for i, a in enumerate(d.anchors):
                where = f"documents[{d.doc_id}].anchors[{i}]"
                if a.party_id not in known:
                    raise ValueError(f"{where} ({a.party_id}): " + QT_TRANSLATE_NOOP("kiosk", "签字位置指向不存在的申请人"))
                if d.pages is not None and a.page > d.pages:
                    raise ValueError(f"{where} ({a.page} > {d.pages}): " + QT_TRANSLATE_NOOP("kiosk", "签字页超出文书页数"))
                if d.page_size is not None:
                    pw, ph = d.page_size
                    x, y, w, h = a.rect
                    if x + w > pw + 0.5 or y + h > ph + 0.5:
                        raise ValueError(f"{where}: " + QT_TRANSLATE_NOOP("kiosk", "签字位置超出页面范围"))
                if a.kind == "seal":
                    party = next(p for p in self.parties if p.party_id == a.party_id)
                    if party.kind != "legal":
                        raise ValueError(f"{where}: " + QT_TRANSLATE_NOOP("kiosk", "只有法人可以加盖印章"))
        for pid in self.scripts:
            if pid not in known:
                raise ValueError(f"scripts.{pid}: " + QT_TRANSLATE_NOOP("kiosk", "话术指向不存在的申请人"))
        return self

    def __repr_args__(self) -> Any:
        return [("case_no", self.case_no), ("business_type", self.business_type.value),
                ("parties", self.parties), ("documents", [d.doc_id for d in self.documents])]

    def party(self, party_id: str) -> Party:
        for p in self.parties:
            if p.party_id == party_id:
                return p
        raise KeyError(party_id)

    def anchors_for(self, party_id: str) -> list[tuple[Document, SignAnchor]]:
        return [(d, a) for d in self.documents for a in d.anchors if a.party_id == party_id]

    def script_for(self, party_id: str) -> Script | None:
        return self.scripts.get(party_id)


def parse_case(data: Any) -> Case:
    """Validate platform JSON (already decoded) into a Case, or raise CaseError with the reason."""
    if not isinstance(data, dict):
        raise CaseError(QT_TRANSLATE_NOOP("kiosk", "案件数据不是JSON对象"))
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        path = ".".join(str(p) for p in err.get("loc", ()))
        msg = str(err.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        if err.get("type") == "enum":
            msg = f"「{err.get('input')}」: " + QT_TRANSLATE_NOOP("kiosk", "未知的业务类型")
        raise CaseError(msg, path=path) from None
