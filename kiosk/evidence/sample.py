"""A complete two-party sample session's evidence: for the demo, the tests and the benchmark.

The case has the platform's format (docs/architecture.md, "The path of a case"): an individual
selling to a company represented by its agent; documents come from `sample_document`, pen data from `sample_pen`, the seal from
`seal.demo_seal_png`. Identity, recording and transcript results are shaped like the ones
the identity, recording and speech rooms produce.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from kiosk.audit import append_event
from kiosk.evidence.package import PackageBuilder, PartyEvidence, SignatureEvidence
from kiosk.idnumber import make_id_number
from kiosk.model import Case, parse_case
from kiosk.security.keys import DeviceKeys
from kiosk.signing.pen import PenData
from kiosk.signing.sample_document import sample_form_pdf
from kiosk.signing.sample_pen import handwriting_points
from kiosk.signing.seal import demo_seal_png

CREDIT_CODE = "91411100MA44ABCD1X"
_SIG = [380.0, 150.0, 160.0, 56.0]


def sample_documents(case_no: str = "LH2026-000123") -> dict[str, tuple[str, bytes, list[dict[str, Any]]]]:
    """doc_id -> (title, pdf bytes, anchors as the platform sends them)."""
    a1: list[dict[str, Any]] = [{"party_id": "p1", "page": 2, "rect": _SIG, "kind": "signature"},
          {"party_id": "p2", "page": 2, "rect": [380.0, 70.0, 160.0, 56.0], "kind": "signature"},
          {"party_id": "p2", "page": 2, "rect": [200.0, 60.0, 90.0, 90.0], "kind": "seal"}]
    a2: list[dict[str, Any]] = [{"party_id": "p1", "page": 1, "rect": [380.0, 200.0, 160.0, 56.0], "kind": "signature"},
          {"party_id": "p1", "page": 1, "rect": [380.0, 150.0, 160.0, 30.0], "kind": "date"}]
    out: dict[str, tuple[str, bytes, list[dict[str, Any]]]] = {}
    specs: list[tuple[str, str, list[dict[str, Any]], int]] = [("d1", "不动产登记申请书", a1, 2),
                                                              ("d2", "询问笔录", a2, 1)]
    for doc_id, title, anchors, pages in specs:
        labels = {"signature": "签字：", "seal": "盖章：", "date": "日期："}
        boxes: list[tuple[int, tuple[float, float, float, float], str]] = [
            (int(a["page"]), (a["rect"][0], a["rect"][1], a["rect"][2], a["rect"][3]), labels[str(a["kind"])])
            for a in anchors]
        pdf = sample_form_pdf(title, case_no, pages=pages, anchors=boxes)
        out[doc_id] = (title, pdf, anchors)
    return out


def sample_case(case_no: str = "LH2026-000123") -> tuple[Case, dict[str, bytes]]:
    docs = sample_documents(case_no)
    data = {
        "case_no": case_no, "business_type": "存量房转移登记",
        "property": {"location": "漯河市源汇区黄河路88号3号楼2单元501室", "unit_no": "411102003001GB00012F00030011"},
        "parties": [
            {"party_id": "p1", "role": "义务人", "kind": "person", "name": "张三",
             "id_number": make_id_number("411102", "19580312", "021")},
            {"party_id": "p2", "role": "权利人", "kind": "legal", "name": "漯河市源汇置业有限公司",
             "credit_code": CREDIT_CODE,
             "agent": {"name": "李四", "id_number": make_id_number("411102", "19850706", "034")}}],
        "documents": [{"doc_id": k, "title": t, "url": f"/documents/{k}.pdf",
                       "sha256": hashlib.sha256(pdf).hexdigest(), "pages": 2 if k == "d1" else 1,
                       "anchors": anchors} for k, (t, pdf, anchors) in docs.items()],
        "scripts": {"p1": {"notice": "请确认您已阅读告知书。", "statement": "本人张三，自愿将位于漯河市源汇区的房屋转让给漯河市源汇置业有限公司。",
                           "questions": [{"ask": "您是否自愿出售该房屋？", "expect": "affirm"}]}},
    }
    return parse_case(data), {k: pdf for k, (_, pdf, _) in docs.items()}


def sample_party_evidence(case: Case, party_id: str, recording: Path | None = None,
                          seed: int = 1) -> PartyEvidence:
    sigs = []
    for n, (doc, a) in enumerate(case.anchors_for(party_id)):
        if a.kind != "signature":
            continue
        pen = PenData.from_points(handwriting_points(seed + n), "sim-pad", 150.0, 75.0)
        sigs.append(SignatureEvidence(doc.doc_id, doc.anchors.index(a), pen))
    script = case.script_for(party_id)
    statement = script.statement if script else "本人确认以上内容属实。"
    return PartyEvidence(
        party_id=party_id,
        identity={"passed": True, "reference_source": "chip", "threshold": 0.5, "distance": 0.38,
                  "attempts": [{"n": 1, "passed": True}],
                  "liveness": [{"action": "blink", "outcome": "passed", "t_prompt": 12.0, "t_done": 13.4},
                               {"action": "turn_left", "outcome": "passed", "t_prompt": 15.2, "t_done": 17.0}],
                  "presence": {"present_share": 0.97, "passed": True, "samples": 900}},
        recording=recording,
        recording_quality={"passed": True, "duration_s": 185.4, "width": 640, "height": 480, "fps": 25.0,
                           "dropped_share": 0.002, "av_offset_ms": 12.0, "video_codec": "h264",
                           "audio_codec": "aac", "problems": []},
        transcript={"prompt": statement, "attempts": [
            {"prompt": statement, "asr": {"text": statement.replace("，", "")},
             "match": {"passed": True, "coverage": 0.96}}]},
        qa=[{"ask": q.ask, "expect": q.expect, "asr": {"text": "是的我自愿"}, "transcript": "是的，我自愿",
             "verdict": "affirm", "passed": True}
            for q in (script.questions if script else [])],
        signatures=sigs,
        manual_decisions=[] if party_id == "p1" else [
            {"party_id": party_id, "step": "identity", "outcome": "manual_pass", "attempts": 3, "detail": {},
             "manual": {"staff": "窗口03 王工", "reason": "代理人证件照较旧，人工比对一致"}}])


def sample_audit(n: int = 6) -> list[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    for i, step in enumerate(["受理", "身份核验", "告知", "陈述", "问答", "签署"][:n]):
        append_event(chain, {"ts": f"2026-11-28T10:0{i}:00+08:00", "step": step, "outcome": "通过"})
    if n >= 6:  # the agent's identity decided by staff, as `sample_party_evidence` records for p2
        append_event(chain, {"ts": "2026-11-28T10:06:00+08:00", "kind": "step_result", "party_id": "p2",
                             "step": "identity", "outcome": "manual_pass", "attempts": 3, "manual": True,
                             "staff": "窗口03 王工", "reason": "代理人证件照较旧，人工比对一致"})
    return chain


def build_sample_package(work_dir: Path, keys: DeviceKeys, *, recordings: dict[str, Path] | None = None,
                         kiosk_id: str = "LH-KIOSK-0001", status: str = "completed",
                         tsa_url: str | None = None) -> Path:
    """Build the whole sample package (demo certificate created if the device has none)."""
    keys.ensure_demo_certificate(kiosk_id)
    case, pdfs = sample_case()
    b = PackageBuilder(work_dir, case, kiosk_id, "0.1.0", keys,
                       started_at="2026-11-28T10:00:00+08:00",
                       seals={CREDIT_CODE: demo_seal_png("漯河市源汇置业有限公司", 400)}, tsa_url=tsa_url)
    for doc_id, pdf in pdfs.items():
        b.add_document(doc_id, pdf)
    for i, p in enumerate(case.parties):
        b.add_party(sample_party_evidence(case, p.party_id, (recordings or {}).get(p.party_id), seed=1 + 7 * i))
    b.set_audit(sample_audit())
    b.set_steps([{"step": "身份核验", "party_id": p.party_id, "outcome": "通过"} for p in case.parties])
    return b.build(status=status)
