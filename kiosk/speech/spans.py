"""What a statement names that the reader must say exactly: the span source of a case.

A statement is about one transaction: these parties, this bank, this capacity, this house.
Coverage alone lets a reader swap one of them (转让给王五 for 转让给李四, 中国工商银行 for
中国建设银行, 法定代表人 for 委托代理人) and still pass, so every such span is known by name
and checked alone. `SpanSource` is built from the case (`spans_from_case`), from a plain list
(`spans_from_json`, for `prompt-match --case`), or is empty; the matcher adds what it finds in
the prompt by pattern (ID numbers, dates, amounts, 本人X, roles, bank and court names).

Nothing here imports Qt; the Case is only read.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.texts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from kiosk.model import Case

# kinds of span, with the word used when telling staff what was misread
SPAN_LABELS = {"id_number": QT_TRANSLATE_NOOP("kiosk", "身份证号"), "date": QT_TRANSLATE_NOOP("kiosk", "日期"), "amount": QT_TRANSLATE_NOOP("kiosk", "金额"), "number": QT_TRANSLATE_NOOP("kiosk", "数字"), "name": QT_TRANSLATE_NOOP("kiosk", "姓名"),
               "institution": QT_TRANSLATE_NOOP("kiosk", "机构名称"), "role": QT_TRANSLATE_NOOP("kiosk", "身份"), "address": QT_TRANSLATE_NOOP("kiosk", "地址"), "given": QT_TRANSLATE_NOOP("kiosk", "关键内容")}

# capacities a statement names; the longest is tried first, so 委托代理人 is not read as 代理人
ROLE_WORDS = tuple(sorted((
    "委托代理人", "法定代理人", "法定代表人", "代理人", "经办人", "监护人", "被监护人", "权利人", "义务人",
    "抵押权人", "抵押人", "买受人", "出卖人", "受让人", "转让人", "共有人", "申请执行人", "被执行人",
    "债务人", "债权人", "申请人", "继承人", "受赠人", "赠与人", "委托人", "受托人", "产权人", "所有权人",
    "承租人", "出租人", "担保人", "保证人"), key=len, reverse=True))

# banks a statement in Luohe names as mortgagee; any of them in place of another is a swap
BANK_NAMES = tuple(sorted((
    "中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行", "邮政储蓄银行",
    "招商银行", "中信银行", "浦发银行", "上海浦东发展银行", "民生银行", "中国民生银行", "兴业银行", "光大银行",
    "中国光大银行", "华夏银行", "平安银行", "广发银行", "郑州银行", "中原银行", "洛阳银行", "漯河银行",
    "漯河农村商业银行", "漯河农商银行", "河南省农村信用社", "农村信用社", "工商银行", "农业银行", "建设银行",
    "国家开发银行", "农业发展银行", "中国农业发展银行", "住房公积金管理中心", "漯河市住房公积金管理中心"),
    key=len, reverse=True))

# places of the service area and around it; a court is named by them (漯河市源汇区人民法院)
PLACE_NAMES = ("河南省", "漯河市", "源汇区", "郾城区", "召陵区", "舞阳县", "临颍县", "郑州市", "许昌市",
               "周口市", "驻马店市", "平顶山市", "经济技术开发区", "西城区")
_COURT_RE = re.compile(f"(?:{'|'.join(PLACE_NAMES)})+(?:中级|高级)?人民法院")
# a company: its legal form, back to the word that introduces it (受X委托, 与X签订, 作为X的)
_COMPANY_END_RE = re.compile("股份有限公司|有限责任公司|有限公司")
_COMPANY_START = set("与和向由给为受将，,、：:。；;")
_BRANCH_RE = re.compile(r"(?:[\u4e00-\u9fff]{2,6}?(?:分行|支行|营业部|分理处))?")

# words that many institutions share: a reader may drop them (建设银行 for 中国建设银行),
# never replace them, and a name without anything else is not a match
GENERIC_WORDS = tuple(sorted((
    "中国", "银行", "股份有限公司", "有限责任公司", "有限公司", "股份", "公司", "集团", "分行", "支行",
    "营业部", "人民法院", "法院", "人民", "管理中心", "中心", "河南省", "河南", "省", "市", "区", "县"),
    key=len, reverse=True))


@dataclass(frozen=True)
class SpanSource:
    """One thing the statement must name as written: `kind` is a key of SPAN_LABELS."""

    kind: str
    text: str

    def __post_init__(self) -> None:
        if self.kind not in SPAN_LABELS:
            raise ValueError(f"unknown span kind {self.kind!r}; known: {', '.join(SPAN_LABELS)}")

    def __repr__(self) -> str:  # names and ID numbers are personal data
        return f"SpanSource({self.kind}, <{len(self.text)} chars>)"


def spans_from_case(case: Case) -> list[SpanSource]:
    """Every name, institution, role, ID number and the property location a case holds.

    Legal persons (a bank as 抵押权人, a company, a court as 申请执行人) are institutions;
    their agents and natural persons are names. Only the spans the statement actually
    contains are checked, so a case can list them all for every party's statement.
    """
    out: list[SpanSource] = []
    for p in case.parties:
        out.append(SpanSource("institution" if p.kind == "legal" else "name", p.name))
        out.append(SpanSource("role", p.role))
        if p.id_number:
            out.append(SpanSource("id_number", p.id_number))
        if p.credit_code:
            out.append(SpanSource("id_number", p.credit_code))
        if p.agent is not None:
            out.append(SpanSource("name", p.agent.name))
            out.append(SpanSource("id_number", p.agent.id_number))
    if case.property.location:
        out.append(SpanSource("address", case.property.location))
    return _unique(out)


def spans_from_json(data: Any) -> list[SpanSource]:
    """Spans from `prompt-match --case FILE`: a case as the platform sends it, or
    `{"spans": [{"kind": "name", "text": "李四"}, ...]}` for a quick check by hand."""
    if isinstance(data, dict) and "spans" in data:
        items = data["spans"]
        if not isinstance(items, list):
            raise ValueError("spans must be a list of {kind, text}")
        return _unique([SpanSource(str(i["kind"]), str(i["text"])) for i in items])
    from kiosk.model import parse_case

    return spans_from_case(parse_case(data))


def _unique(spans: Iterable[SpanSource]) -> list[SpanSource]:
    seen: set[tuple[str, str]] = set()
    out: list[SpanSource] = []
    for s in spans:
        key = (s.kind, s.text.strip())
        if key[1] and key not in seen:
            seen.add(key)
            out.append(SpanSource(*key))
    return out


def pattern_spans(sentence: str) -> list[SpanSource]:
    """Roles, banks, courts and companies a sentence names, found without the case.

    Written text only (the prompt): 中国建设银行漯河分行 with its branch, 漯河市源汇区人民法院,
    漯河市建业置业有限公司 after 受/与/为/给….
    """
    out: list[SpanSource] = []
    for bank in BANK_NAMES:
        for m in re.finditer(re.escape(bank), sentence):
            branch = _BRANCH_RE.match(sentence, m.end())
            out.append(SpanSource("institution", sentence[m.start():branch.end() if branch else m.end()]))
    out += [SpanSource("institution", m.group(0)) for m in _COURT_RE.finditer(sentence)]
    for m in _COMPANY_END_RE.finditer(sentence):
        start = m.start()
        while start > 0 and sentence[start - 1] not in _COMPANY_START and m.start() - start < 24:
            start -= 1
        name = sentence[start:m.end()].removeprefix("本人")
        if len(name) > len(m.group(0)) + 1:
            out.append(SpanSource("institution", name))
    out += [SpanSource("role", r) for r in ROLE_WORDS if r in sentence]
    return _unique(out)


def distinctive_mask(text: str) -> list[bool]:
    """Per character of an institution name: True where it tells this one from others.

    中国建设银行 → 建设; 漯河市源汇区人民法院 → 源汇. A name made only of generic
    words (中国银行) is distinctive in full: dropping any of it names another bank.
    """
    if not has_distinct(text):
        return [True] * len(text)
    mask = [True] * len(text)
    # a leading place may be left out while a distinctive part follows it (漯河市 of
    # 漯河市源汇区人民法院 or 漯河市建业置业有限公司), the last one before generic words may not
    i = 0
    while place := next((p for p in PLACE_NAMES if text.startswith(p, i) and has_distinct(text[i + len(p):])), ""):
        mask[i:i + len(place)] = [False] * len(place)
        i += len(place)
    while i < len(text):
        for g in GENERIC_WORDS:
            if text.startswith(g, i):
                for k in range(i, i + len(g)):
                    mask[k] = False
                i += len(g)
                break
        else:
            i += 1
    return mask


def has_distinct(text: str) -> bool:
    """Whether `text` has a character outside the generic words."""
    i = 0
    while i < len(text):
        for g in GENERIC_WORDS:
            if text.startswith(g, i):
                i += len(g)
                break
        else:
            return True
    return False


def same_kind_names(kind: str, extra: Sequence[SpanSource]) -> list[str]:
    """Names of `kind` that may stand in for one another: the case's own and, for
    institutions and roles, every bank, court place and capacity the kiosk knows."""
    own = [s.text for s in extra if s.kind == kind]
    if kind == "institution":
        return [*own, *BANK_NAMES]
    if kind == "role":
        return [*own, *ROLE_WORDS]
    return own
