"""Demo data the reference platform seeds: the demo cases of `kiosk.platform.demo` as the
platform serves them, with their Chinese PDFs (reportlab, a CJK font found on the system, byte
for byte reproducible) and the parties' reference photos; and the reusable demo enrolment code,
accepted only by a platform started with `demo=True`.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from kiosk.fonts import register_reportlab_font
from kiosk.platform.demo import CASES, DEMO_ENROL_CODE, CaseSpec, demo_personas, legal_json, party_json
from refplatform.store import private_dir, write_private

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
__all__ = ["DEMO_ENROL_CODE", "build_case", "seed"]


# --- PDFs ------------------------------------------------------------------------------------
# the notice greets where the applicant is: alone at a self-service kiosk, or at a staffed
# counter (a case released to a staff session, `refplatform.cases`)
KIOSK_GREETING = "欢迎使用不动产登记自助终端"
COUNTER_GREETING = "欢迎办理不动产登记，请在窗口工作人员指引下办理"


def for_counter(case: dict[str, Any]) -> dict[str, Any]:
    """The case as a staffed counter receives it: each notice greets as the counter does."""
    out = copy.deepcopy(case)
    for script in out.get("scripts", {}).values():
        script["notice"] = str(script.get("notice", "")).replace(KIOSK_GREETING, COUNTER_GREETING)
    return out


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


def build_case(spec: CaseSpec) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(case JSON as the platform serves it, doc_id → PDF bytes); built once per process (the
    PDFs are byte-for-byte reproducible, reportlab's invariant mode)."""
    if spec.case_no not in _BUILT:
        _BUILT[spec.case_no] = _build_case(spec)
    case, pdfs = _BUILT[spec.case_no]
    return json.loads(json.dumps(case)), dict(pdfs)


def _build_case(spec: CaseSpec) -> tuple[dict[str, Any], dict[str, bytes]]:
    parties: list[dict[str, Any]] = []
    for pid, role, who in spec.parties:
        if isinstance(who, tuple):
            parties.append(legal_json(pid, role, who[0], who[1]))
        else:
            parties.append(party_json(pid, role, who))
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
            "notice": (f"{signer}您好，{KIOSK_GREETING}。接下来将全程录音录像，请您面对摄像头，"
                       "按提示朗读声明、回答问题并在文书上签字。录音录像仅用于本次登记，依法保存。"),
            "statement": statement, "questions": questions}
    for p in parties:
        p["photo_url"] = f"v1/cases/{spec.case_no}/parties/{p['party_id']}/photo"
    return case, pdfs


def seed(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Write every demo case's PDFs and photos under `data_dir/demo` (once); case_no → case JSON."""
    root = Path(data_dir) / "demo"
    private_dir(root)
    out: dict[str, dict[str, Any]] = {}
    for spec in CASES:
        case_file = root / f"{spec.case_no}.json"
        if case_file.exists():
            case = json.loads(case_file.read_text(encoding="utf-8"))
            if all((root / f"{spec.case_no}-{d['doc_id']}.pdf").exists() for d in case["documents"]):
                out[spec.case_no] = case
                continue
        case, pdfs = build_case(spec)
        for doc_id, pdf in pdfs.items():
            write_private(root / f"{spec.case_no}-{doc_id}.pdf", pdf)
        write_private(case_file, json.dumps(case, ensure_ascii=False, indent=1).encode("utf-8"))
        out[spec.case_no] = case
    for spec in CASES:
        for pid, persona in demo_personas(spec.case_no).items():
            target = root / f"{spec.case_no}-{pid}.photo"
            if not target.exists() and persona.photo is not None:
                write_private(target, persona.photo.read_bytes())
    return out
