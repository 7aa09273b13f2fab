"""The end of a real session, headless, on the demo's embedded platform: the ID card asked for
on its own page before the lookup, each answer confirmed by staff one by one when no Chinese
speech model is installed, and the review given the case, the property, the parties and the
documents as this party signed them (stamped, not the originals)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.model import Case
from kiosk.platform.demo import DEMO_STAFF_LOGIN
from kiosk.session.context import build_context
from kiosk.session.runner import SessionRunner
from kiosk.session.summary import CaseSummary, case_summary
from kiosk.session.view import CARD_READ, PLACE_CARD, HeadlessView

CASE = "LH2026-000131"  # 司法解封: one person, p1, two questions


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("review")
    settings, paths = load_config(tmp / "state")
    from refplatform import embedded

    ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
    view = HeadlessView()
    view.on_duty = lambda: ctx.client.staff_login(*DEMO_STAFF_LOGIN)
    runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="SIM-STAFF")
    kept: dict[str, Any] = {}
    wipe = runner._wipe

    def keep_then_wipe() -> None:  # what the party's steps produced, before the session forgets it
        kept.update({pid: rec for pid, rec in runner.records.items()})
        kept["documents"] = dict(runner.documents)
        wipe()

    runner._wipe = keep_then_wipe  # type: ignore[method-assign]
    try:
        outcome = runner.run(CASE)
    finally:
        ctx.close()
    return {"outcome": outcome, "view": view, "runner": runner, "kept": kept}


@pytest.mark.slow
def test_the_card_is_asked_for_on_its_own_page_and_its_reading_is_said(session: dict[str, Any]) -> None:
    view = session["view"]
    assert session["outcome"].ok, view.lines[-5:]
    assert f"[] card: {PLACE_CARD}" in view.lines
    i = view.lines.index(f"[] card: {PLACE_CARD}")
    assert f"  > {CARD_READ}" in view.lines[i:], view.lines[i:i + 5]


@pytest.mark.slow
def test_the_review_has_the_case_the_property_and_the_signed_documents(session: dict[str, Any]) -> None:
    view, runner, kept = session["view"], session["runner"], session["kept"]
    summary = view.review
    assert isinstance(summary, CaseSummary)
    case: Case = runner.case
    assert summary.case_no == CASE and summary.business_type == "司法解封"
    assert summary.location == case.property.location and summary.location
    assert summary.number == case.property.unit_no and summary.number_label == "权属证明号"
    you = summary.you
    assert you is not None and you.role == "申请人" and you.name.endswith("*") and you.name[0] == case.parties[0].name[0]
    assert case.parties[0].name not in you.name  # masked
    assert [d.doc_id for d in summary.documents] == [d.doc_id for d in case.documents]
    from pypdf import PdfReader

    for d in summary.documents:
        assert d.status == "signed" and d.pdf is not None, d.note
        original = kept["documents"][d.doc_id]
        assert d.pdf != original and d.pdf.startswith(original[:1024])  # the original, signed on top
        page = PdfReader(io.BytesIO(d.pdf)).pages[-1]
        xobjects = page["/Resources"]["/XObject"]
        assert any(str(name).startswith("/BdcStamp") for name in xobjects), list(xobjects)
        assert d.note.startswith("已签名（第")


@pytest.mark.slow
def test_each_answer_is_confirmed_by_staff_as_its_own_decision(session: dict[str, Any]) -> None:
    runner, kept = session["runner"], session["kept"]
    questions = runner.case.script_for("p1").questions
    events = [e for e in runner.flow.audit.events if e.get("kind") == "manual_answer"]
    assert [e["question"] for e in events] == list(range(1, len(questions) + 1))
    for e in events:
        assert e["manual"] and e["staff"] == "SIM-STAFF" and e["outcome"] == "manual_pass" and e["ts"]
        assert str(e.get("staff_session", "")).startswith("SS-")  # under the operator's platform login
    # the step itself is recorded as decided by staff, after its answers
    qa = next(r for r in runner.flow.results if r.step.value == "qa")
    assert qa.outcome.value == "manual_pass" and qa.manual and qa.manual["staff"] == "SIM-STAFF"
    # the evidence keeps who decided each answer
    items = kept["p1"].qa
    assert len(items) == len(questions)
    for item in items:
        assert item["staff_decision"]["staff"] == "SIM-STAFF" and item["staff_decision"]["at"]
        assert item["passed"] is True


def test_a_document_not_signed_says_so(tmp_path: Path) -> None:
    from kiosk.model import parse_case
    from kiosk.platform.demo import CASES
    from refplatform.demo_seed import build_case

    data, _pdfs = build_case(CASES[0])  # 存量房转移登记, 义务人 p1 and 权利人 p2
    case = parse_case(data)
    summary = case_summary(case, "p2", {"d1": b"%PDF-stamped"}, {("d1", 1)})
    assert [p.is_you for p in summary.parties] == [False, True]
    assert [p.role for p in summary.parties] == ["义务人", "权利人"]
    assert all(case.party(pid).name not in line.name for pid, line in zip(("p1", "p2"), summary.parties, strict=True))
    d1, d2 = summary.documents
    assert d1.status == "signed" and d1.pdf == b"%PDF-stamped" and d1.note == "已签名（第2页）"
    assert d2.status == "not_signed" and d2.pdf is None and d2.note.startswith("未签名")
