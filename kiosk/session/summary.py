"""What the applicant checks before the case is submitted: the case, the property, the parties
(names masked, this party marked) and the documents as this party signed them.

`case_summary` builds a `CaseSummary` from the sealed case and the party's record; the runner
gives it to `SessionView.show_review` before asking for 确认提交. Documents are this party's
signed copies (`PartyRecord.signed_documents`: the original with this party's handwriting and
date stamped at its anchors, made by the signing step); a document it did not sign carries no
PDF and says why in plain words. Nothing here is Qt.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.model import Case, Party
from kiosk.privacy import mask_name

NOT_SIGNED = "未签名：签字环节未完成"
PARTLY_SIGNED = "部分签名：还有签字位置未签"
SEAL_LATER = "单位印章在提交时加盖"


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str  # masked (李*); a legal person's registered name as it is
    agent: str = ""  # a legal person's agent (经办人), masked
    is_you: bool = False


@dataclass(frozen=True)
class SignedDocument:
    doc_id: str
    title: str
    pdf: bytes | None  # as signed by this party; None when it did not sign it
    status: str = "signed"  # signed | partly_signed | not_signed
    pages: tuple[int, ...] = ()  # the pages this party signs on
    seal_later: bool = False  # a legal person's seal: stamped when the package is built
    # where this party's (first) signature is: page (1-based) and x, y, w, h in PDF points
    place: tuple[int, tuple[float, float, float, float]] | None = None

    @property
    def note(self) -> str:
        """In plain words: where it was signed, or that it was not."""
        if self.status == "not_signed":
            return NOT_SIGNED
        if self.status == "partly_signed":
            return PARTLY_SIGNED
        where = "、".join(f"第{p}页" for p in self.pages)
        return f"已签名（{where}）" + (f"，{SEAL_LATER}" if self.seal_later else "")


@dataclass(frozen=True)
class CaseSummary:
    case_no: str
    business_type: str  # in Chinese, as the case has it (存量房转移登记 …)
    location: str  # 坐落
    number_label: str  # 不动产单元号 | 权属证明号 (`Property.number_label`)
    number: str
    parties: tuple[PartyLine, ...]
    party_id: str  # the party at the screen
    documents: tuple[SignedDocument, ...]

    @property
    def you(self) -> PartyLine | None:
        return next((p for p in self.parties if p.is_you), None)


def party_line(party: Party, *, is_you: bool = False) -> PartyLine:
    if party.kind == "legal":
        return PartyLine(party.role, party.name, mask_name(party.agent.name) if party.agent else "", is_you)
    return PartyLine(party.role, mask_name(party.name), "", is_you)


def case_summary(case: Case, party_id: str, signed: Mapping[str, bytes],
                 signed_anchors: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset()) -> CaseSummary:
    """The review of `party_id`: every document with an anchor of this party, as signed by it
    (`signed`: doc_id → stamped PDF) or marked unsigned."""
    party = case.party(party_id)
    docs: list[SignedDocument] = []
    for doc in case.documents:
        mine = [(i, a) for i, a in enumerate(doc.anchors) if a.party_id == party_id]
        if not mine:
            continue
        pages = tuple(sorted({a.page for _i, a in mine if a.kind == "signature"}))
        seal = party.kind == "legal" and any(a.kind == "seal" for _i, a in mine)
        pdf = signed.get(doc.doc_id)
        wanted = [(doc.doc_id, i) for i, a in mine if a.kind == "signature"]
        if pdf is None:
            status = "not_signed"
        elif all(w in signed_anchors for w in wanted):
            status = "signed"
        else:
            status = "partly_signed"
        first = next((a for _i, a in mine if a.kind == "signature"), None)
        place = (first.page, first.rect) if first is not None else None
        docs.append(SignedDocument(doc.doc_id, doc.title, pdf, status, pages, seal, place))
    return CaseSummary(case_no=case.case_no, business_type=case.business_type.value,
                       location=case.property.location, number_label=case.property.number_label,
                       number=case.property.unit_no,
                       parties=tuple(party_line(p, is_you=p.party_id == party_id) for p in case.parties),
                       party_id=party_id, documents=tuple(docs))
