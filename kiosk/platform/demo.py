"""Demo data the reference platform seeds: cases of all nine business types, their Chinese
PDFs (generated with reportlab and a CJK font found on the system), and the personas whose
ID cards the simulated reader presents.

Every ID number is a valid GB 11643 number whose sex digit and birth date match the persona;
every anchor lies inside its page; each script names the party and the property and asks at
least one negatively phrased question whose expected answer is "deny".
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.fonts import register_reportlab_font
from kiosk.idnumber import make_id_number

DEMO_CASE_NO = "LH2026-000123"
DEMO_ENROL_CODE = "DEMO-ENROL"
PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
_REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Persona:
    """What a party's ID card says (for a legal person: its agent's card)."""

    name: str
    id_number: str
    sex: str  # "男" | "女"
    birth: str  # YYYY-MM-DD
    address: str
    nation: str = "汉"
    authority: str = "漯河市公安局源汇分局"
    valid_from: str = "2016-05-10"
    valid_to: str = "2036-05-10"
    photo: Path | None = None


def _person(name: str, region: str, birth: str, seq: str, address: str, photo: Path | None = None,
            authority: str = "漯河市公安局源汇分局") -> Persona:
    idn = make_id_number(region, birth.replace("-", ""), seq)
    sex = "男" if int(idn[16]) % 2 == 1 else "女"
    return Persona(name=name, id_number=idn, sex=sex, birth=birth, address=address, photo=photo,
                   authority=authority)


def _credit_code(body17: str) -> str:
    """GB 32100 unified social credit code check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(body17, weights, strict=True))
    return body17 + chars[(31 - total % 31) % 31]


def demo_photo_path(which: str) -> Path | None:
    """The shipped demo face photo (`grace_hopper` or `astronaut`), else the package copy."""
    name = {"grace_hopper": "grace_hopper.jpg", "astronaut": "astronaut.png"}[which]
    shipped = _REPO_ROOT / "resources" / "demo" / "faces" / name
    if shipped.exists():
        return shipped
    if which == "grace_hopper":
        try:
            from matplotlib import cbook

            return Path(str(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)))
        except (ImportError, OSError, ValueError):
            return None
    png = _astronaut_png()
    if png is None:
        return None
    import tempfile

    cache = Path(tempfile.gettempdir()) / "bdc-kiosk-demo" / name
    if not cache.exists() or cache.stat().st_size != len(png):
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + ".tmp")
        tmp.write_bytes(png)
        tmp.replace(cache)
    return cache


def _astronaut_png() -> bytes | None:
    try:
        from PIL import Image
        from skimage import data
    except ImportError:
        return None
    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, format="PNG")
    return buf.getvalue()


# --- people and companies -----------------------------------------------------------------
_P_SELLER = _person("王秀兰", "411102", "1958-03-12", "024", "河南省漯河市源汇区交通路38号院3号楼2单元501室")
_P_BUYER = _person("李静", "411103", "1985-10-27", "066", "河南省漯河市郾城区黄河路与嵩山路交叉口嵩山花园7号楼1203室",
                   authority="漯河市公安局郾城分局")
_P_A = _person("赵国强", "411104", "1972-06-05", "031", "河南省漯河市召陵区人民东路126号", authority="漯河市公安局召陵分局")
_P_B = _person("孙丽娟", "411102", "1990-01-19", "048", "河南省漯河市源汇区滨河路18号金桥小区5号楼302室")
_P_C = _person("周海涛", "411103", "1968-11-30", "017", "河南省漯河市郾城区淞江路66号院2号楼601室",
               authority="漯河市公安局郾城分局")
_P_D = _person("吴桂芳", "411122", "1963-08-08", "082", "河南省漯河市临颍县颍川大道219号", authority="临颍县公安局")
_P_AGENT_BANK = _person("陈志刚", "411102", "1981-04-14", "055", "河南省漯河市源汇区太行山路99号")
_P_AGENT_DEV = _person("刘洋", "411103", "1988-12-02", "013", "河南省漯河市郾城区长江路88号", authority="漯河市公安局郾城分局")
_BANK = ("中国建设银行股份有限公司漯河分行", _credit_code("91411100" + "7067890" + "12"))
_DEVELOPER = ("漯河市沙澧置业有限公司", _credit_code("91411100" + "MA3X7B2" + "K4"))


def _party(pid: str, role: str, p: Persona) -> dict[str, Any]:
    return {"party_id": pid, "role": role, "kind": "person", "name": p.name, "id_type": "居民身份证",
            "id_number": p.id_number, "photo_url": None}


def _legal(pid: str, role: str, org: tuple[str, str], agent: Persona) -> dict[str, Any]:
    return {"party_id": pid, "role": role, "kind": "legal", "name": org[0], "id_type": "统一社会信用代码",
            "credit_code": org[1], "photo_url": None, "agent": {"name": agent.name, "id_number": agent.id_number}}


@dataclass(frozen=True)
class _CaseSpec:
    case_no: str
    business_type: str
    location: str
    unit_no: str
    parties: tuple[tuple[str, str, Any], ...]  # (party_id, role, Persona | (org, agent))
    second_doc: str
    verb: str  # what the statement says the party does


_CASES: tuple[_CaseSpec, ...] = (
    _CaseSpec(DEMO_CASE_NO, "存量房转移登记", "漯河市源汇区交通路38号院3号楼2单元501室", "豫(2019)漯河市不动产权第0012345号",
              (("p1", "义务人", _P_SELLER), ("p2", "权利人", _P_BUYER)), "存量房买卖合同", "转让"),
    _CaseSpec("LH2026-000124", "预告登记", "漯河市郾城区嵩山路与牡丹江路交叉口沙澧春天9号楼1单元1802室", "预售合同备案号YS2026-0456",
              (("p1", "权利人", _P_A), ("p2", "义务人", (_DEVELOPER, _P_AGENT_DEV))), "商品房预售合同", "办理预告登记"),
    _CaseSpec("LH2026-000125", "房地产权抵押登记", "漯河市召陵区人民东路126号东方花园4号楼3单元702室", "豫(2021)漯河市不动产权第0034567号",
              (("p1", "抵押人", _P_C), ("p2", "抵押权人", (_BANK, _P_AGENT_BANK))), "个人住房抵押借款合同", "抵押"),
    _CaseSpec("LH2026-000126", "商品房首次登记", "漯河市郾城区嵩山路与牡丹江路交叉口沙澧春天9号楼", "建设工程规划许可证建字第411103202300012号",
              (("p1", "申请人", (_DEVELOPER, _P_AGENT_DEV)),), "房屋竣工验收备案表", "申请首次登记"),
    _CaseSpec("LH2026-000127", "新房转移登记", "漯河市郾城区嵩山路与牡丹江路交叉口沙澧春天9号楼2单元601室", "商品房买卖合同备案号XS2026-0789",
              (("p1", "权利人", _P_B), ("p2", "义务人", (_DEVELOPER, _P_AGENT_DEV))), "商品房买卖合同", "受让"),
    _CaseSpec("LH2026-000128", "抵押注销登记", "漯河市源汇区滨河路18号金桥小区5号楼302室", "豫(2018)漯河市不动产证明第0009876号",
              (("p1", "抵押权人", (_BANK, _P_AGENT_BANK)), ("p2", "抵押人", _P_B)), "抵押权注销申请及贷款结清证明", "注销抵押"),
    _CaseSpec("LH2026-000129", "司法查封", "漯河市临颍县颍川大道219号", "豫(2017)临颍县不动产权第0005432号",
              (("p1", "申请执行人", _P_D), ("p2", "被执行人", _P_A)), "人民法院协助执行通知书", "确认查封"),
    _CaseSpec("LH2026-000130", "司法裁决", "漯河市召陵区黄河东路55号阳光小区2号楼1单元401室", "(2025)豫1104民初1234号民事判决书",
              (("p1", "权利人", _P_C),), "人民法院民事判决书", "依生效裁判申请转移登记"),
    _CaseSpec("LH2026-000131", "司法解封", "漯河市临颍县颍川大道219号", "豫(2017)临颍县不动产权第0005432号",
              (("p1", "申请人", _P_D),), "人民法院解除查封通知书", "申请解除查封"),
)


def _persona_of(spec: Any) -> Persona:
    return spec[1] if isinstance(spec, tuple) else spec


def demo_personas(case_no: str = DEMO_CASE_NO) -> dict[str, Persona]:
    """party_id → the persona whose ID card stands at the kiosk for that party (agents for legal persons)."""
    for c in _CASES:
        if c.case_no == case_no:
            out: dict[str, Persona] = {}
            for pid, _role, who in c.parties:
                p = _persona_of(who)
                # the two public-domain faces shipped with the product stand in for every demo applicant
                photo = demo_photo_path("grace_hopper" if pid == "p1" else "astronaut")
                out[pid] = Persona(**{**p.__dict__, "photo": photo})
            return out
    raise KeyError(case_no)


def demo_companies() -> list[tuple[str, str]]:
    """(name, unified social credit code) of every legal person in the demo cases."""
    return [_DEVELOPER, _BANK]


def demo_roles(case_no: str) -> dict[str, str]:
    """party_id → role, in party order (KeyError for an unknown case)."""
    for c in _CASES:
        if c.case_no == case_no:
            return {pid: role for pid, role, _who in c.parties}
    raise KeyError(case_no)


def demo_case_numbers() -> list[str]:
    return [c.case_no for c in _CASES]


# --- PDFs ------------------------------------------------------------------------------------
def _register_font() -> str:
    return register_reportlab_font()


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _anchor_rects(n: int, legal: list[bool]) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per party: (kind, rect) boxes on the signing page; rows from the bottom of the page upwards."""
    out = []
    for i in range(n):
        y = 120.0 + 110.0 * (n - 1 - i)
        boxes = [("signature", (300.0, y, 160.0, 56.0))]
        if legal[i]:
            boxes.append(("seal", (470.0, y - 10.0, 90.0, 90.0)))
        out.append(boxes)
    return out


def _render_pdf(title: str, case: dict[str, Any], pages: int, signing_page: int, body: list[str]) -> bytes:
    from reportlab.lib.colors import Color
    from reportlab.pdfgen import canvas

    font = _register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.setTitle(title)
    c.setAuthor("漯河市不动产登记中心（演示数据）")
    parties = case["parties"]
    rects = _anchor_rects(len(parties), [p["kind"] == "legal" for p in parties])
    for page in range(1, pages + 1):
        c.setFont(font, 20)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 70, title)
        c.setFont(font, 10)
        c.drawString(50, PAGE_H - 95, f"受理号：{case['case_no']}    业务类型：{case['business_type']}    第{page}页/共{pages}页")
        y = PAGE_H - 130
        c.setFont(font, 12)
        lines = body if page == 1 else ["申请人确认：以上填报内容真实、合法、有效，如有不实，愿承担法律责任。"]
        for para in lines:
            for line in _wrap(para, 38):
                c.drawString(60, y, line)
                y -= 20
            y -= 6
        if page == signing_page:
            for party, boxes in zip(parties, rects, strict=True):
                for kind, (x, by, w, h) in boxes:
                    c.setStrokeColor(Color(0.6, 0.6, 0.6))
                    c.setDash(3, 3)
                    c.rect(x, by, w, h)
                    c.setDash()
                    if kind == "signature":
                        c.setFont(font, 12)
                        label = f"{party['role']}（签字）：" if party["kind"] == "person" else f"{party['role']}代理人（签字）："
                        c.drawRightString(x - 8, by + h / 2 - 4, label)
                    else:
                        c.setFont(font, 9)
                        c.drawCentredString(x + w / 2, by + h / 2 - 3, "（盖章）")
            c.setFont(font, 11)
            c.drawString(60, 70, "日期：______年____月____日")
        c.showPage()
    c.save()
    return buf.getvalue()


def _doc_body(case: dict[str, Any], title: str) -> list[str]:
    prop = case["property"]
    lines = [f"不动产坐落：{prop['location']}", f"不动产权证书/证明号：{prop['unit_no']}", f"登记事由：{case['business_type']}"]
    for p in case["parties"]:
        who = p["name"] if p["kind"] == "person" else f"{p['name']}（代理人：{p['agent']['name']}）"
        lines.append(f"{p['role']}：{who}")
    lines += [
        "一、申请人保证所提交的材料真实、合法、有效，所述事实属实。",
        "二、申请人已知悉登记所需材料、办理时限及相关法律后果。",
        "三、因提供虚假材料造成他人损失的，由申请人依法承担责任。",
        f"本{title}由申请人在漯河市不动产登记中心自助终端确认并签署，签署过程全程录音录像。",
    ]
    return lines


_BUILT: dict[str, tuple[dict[str, Any], dict[str, bytes]]] = {}


def build_case(spec: _CaseSpec) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(case JSON as the platform serves it, doc_id → PDF bytes); built once per process (the
    PDFs are byte-for-byte reproducible, reportlab's invariant mode)."""
    if spec.case_no not in _BUILT:
        _BUILT[spec.case_no] = _build_case(spec)
    case, pdfs = _BUILT[spec.case_no]
    return json.loads(json.dumps(case)), dict(pdfs)


def _build_case(spec: _CaseSpec) -> tuple[dict[str, Any], dict[str, bytes]]:
    parties: list[dict[str, Any]] = []
    for pid, role, who in spec.parties:
        if isinstance(who, tuple):
            parties.append(_legal(pid, role, who[0], who[1]))
        else:
            parties.append(_party(pid, role, who))
    case: dict[str, Any] = {
        "case_no": spec.case_no, "business_type": spec.business_type,
        "property": {"location": spec.location, "unit_no": spec.unit_no},
        "parties": parties, "documents": [], "scripts": {},
        "policy": {"liveness_actions": 2, "face_attempts": 3, "retention_days": 30, "statement_retries": 2},
    }
    rects = _anchor_rects(len(parties), [p["kind"] == "legal" for p in parties])
    pdfs: dict[str, bytes] = {}
    for doc_id, title, pages in (("d1", "不动产登记申请书", 2), ("d2", spec.second_doc, 1)):
        pdf = _render_pdf(title, case, pages, pages, _doc_body(case, title))
        anchors = [{"party_id": p["party_id"], "page": pages, "rect": list(rect), "kind": kind}
                   for p, boxes in zip(parties, rects, strict=True) for kind, rect in boxes]
        case["documents"].append({
            "doc_id": doc_id, "title": title, "url": f"v1/cases/{spec.case_no}/documents/{doc_id}",
            "sha256": hashlib.sha256(pdf).hexdigest(), "pages": pages, "page_size": [PAGE_W, PAGE_H],
            "anchors": anchors})
        pdfs[doc_id] = pdf
    for p in parties:
        signer = p["name"] if p["kind"] == "person" else p["agent"]["name"]
        counterpart = "、".join(o["name"] for o in parties if o is not p) or "登记机构"
        if p["kind"] == "person":
            statement = (f"本人{p['name']}，作为{p['role']}，自愿就位于{spec.location}的不动产{spec.verb}，"
                         f"已阅读并认可所签文书的全部内容，与{counterpart}办理{spec.business_type}。")
        else:
            statement = (f"本人{signer}，受{p['name']}委托，作为其代理人，就位于{spec.location}的不动产{spec.verb}，"
                         f"已阅读并认可所签文书的全部内容，办理{spec.business_type}。")
        questions = [{"ask": f"您是否自愿办理本次{spec.business_type}？", "expect": "affirm"},
                     {"ask": "有没有人强迫您或者欺骗您来办理这次登记？", "expect": "deny"}]
        if p["role"] in ("义务人", "抵押人"):
            questions.append({"ask": "您是否清楚办理后该房屋的权利将发生变化？", "expect": "affirm"})
        case["scripts"][p["party_id"]] = {
            "notice": (f"{signer}您好，欢迎使用不动产登记自助终端。接下来将全程录音录像，请您面对摄像头，"
                       "按提示朗读声明、回答问题并在文书上签字。录音录像仅用于本次登记，依法保存。"),
            "statement": statement, "questions": questions}
    for p in parties:
        p["photo_url"] = f"v1/cases/{spec.case_no}/parties/{p['party_id']}/photo"
    return case, pdfs


def seed(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Write every demo case's PDFs and photos under `data_dir/demo` (once); case_no → case JSON."""
    root = Path(data_dir) / "demo"
    root.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Any]] = {}
    for spec in _CASES:
        case_file = root / f"{spec.case_no}.json"
        if case_file.exists():
            case = json.loads(case_file.read_text(encoding="utf-8"))
            if all((root / f"{spec.case_no}-{d['doc_id']}.pdf").exists() for d in case["documents"]):
                out[spec.case_no] = case
                continue
        case, pdfs = build_case(spec)
        for doc_id, pdf in pdfs.items():
            (root / f"{spec.case_no}-{doc_id}.pdf").write_bytes(pdf)
        case_file.write_text(json.dumps(case, ensure_ascii=False, indent=1), encoding="utf-8")
        out[spec.case_no] = case
    for spec in _CASES:
        for pid, persona in demo_personas(spec.case_no).items():
            target = root / f"{spec.case_no}-{pid}.photo"
            if not target.exists() and persona.photo is not None:
                target.write_bytes(persona.photo.read_bytes())
    return out
