"""Chain of custody at the kiosk, end to end on loopback against the demo's embedded platform
(presence and staff sessions required).

Self-service presence: the platform releases a case only with a party's ID card read at the
kiosk. The applicant puts the card down before the lookup; the identity step then uses that
card (no second read) and still matches the face. A card of nobody in the case is refused at
intake, in Chinese, before any personal data.

Staff sessions: every manual decision names the platform staff session the deciding clerk
logged in under; `complete` refuses a package whose decision names a forged one."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.platform.demo import DEMO_STAFF_LOGIN, demo_photo_path
from kiosk.session.context import build_context, seed_cast
from kiosk.session.runner import SessionRunner
from kiosk.session.view import HeadlessView
from refplatform import embedded

CASE = "LH2026-000131"  # 司法解封: one person, p1


def _run(tmp_path: Path, cast: Any = None, *, forge: str = "", overrides: bool = False
         ) -> tuple[Any, HeadlessView, Any, list[tuple[str, ...]], int]:
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded, cast=cast)
    view = HeadlessView(staff_overrides=overrides)

    def on_duty() -> None:  # the operator logs in on the platform, as `simulate`'s does
        ctx.client.staff_login(*DEMO_STAFF_LOGIN)
        if forge:
            ctx.client.staff_session_id = forge

    view.on_duty = on_duty
    runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="SIM-STAFF")
    try:
        pf = ctx.embedded_platform
        assert pf is not None and pf.require_presence and pf.require_staff_sessions
        outcome = runner.run(CASE)
        releases = pf.store.query("SELECT case_no, what, basis FROM releases")
        reads = ctx.idcard.reads
        runner.outbox_item = ctx.outbox.get(outcome.package_id) if outcome.package_id else None
        runner.rejected = (pf.data_dir / "rejected" / outcome.package_id).is_dir() if outcome.package_id else False
        runner.upload_row = pf.store.query("SELECT state, problem FROM uploads WHERE package_id=?",
                                           (outcome.package_id,))
    finally:
        ctx.close()
    return outcome, view, runner, [tuple(r) for r in releases], reads


@pytest.mark.slow
def test_kiosk_session_with_presence_required_completes(tmp_path: Path) -> None:
    outcome, view, runner, releases, reads = _run(tmp_path)
    assert outcome.ok and outcome.receipt is not None, view.lines[-5:]
    # every release of this case's data was on the strength of p1's card
    assert releases and {r[0] for r in releases} == {CASE}
    assert {r[2] for r in releases} == {"card:p1"}, releases
    whats = {r[1] for r in releases}
    assert "case" in whats and any(w.startswith("document:") for w in whats), whats
    # one card read for intake and identity; the face was matched against it all the same
    assert reads == 1
    identity = next(r for r in runner.flow.results if r.step.value == "identity")
    assert identity.outcome.value == "passed" and identity.manual is None
    # decisions taken here (no Chinese speech model) name the operator's platform session
    for r in runner.flow.results:
        if r.manual:
            assert str(r.manual.get("staff_session", "")).startswith("SS-"), r.manual


@pytest.mark.allow_log_warnings  # the refused session is logged for the technician
def test_card_of_nobody_in_the_case_is_refused_in_chinese(tmp_path: Path) -> None:
    outcome, view, _runner, releases, _reads = _run(tmp_path, cast=lambda _case: seed_cast("LH2026-000123")[:1])
    assert not outcome.ok and outcome.status == "aborted"
    assert releases == []  # nothing about the case left the platform
    assert any(line.startswith("RESULT FAIL") and "不是本案件的当事人" in line for line in view.lines), view.lines


def _stranger(case_no: str) -> list[Any]:
    """The party's own ID card, another face: the face match fails and staff pass it by hand."""
    return [dataclasses.replace(p, photo=demo_photo_path("astronaut")) for p in seed_cast(case_no)]


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # the refused upload is logged for the technician
def test_complete_refuses_a_manual_decision_under_a_forged_staff_session(tmp_path: Path) -> None:
    forged = "SS-" + "0" * 16
    outcome, view, runner, _releases, _reads = _run(tmp_path, cast=_stranger, forge=forged, overrides=True)
    manual = [r for r in runner.flow.results if r.manual]
    assert manual and all(r.manual["staff_session"] == forged for r in manual), view.lines[-5:]
    events = [e for e in runner.flow.audit.events if e.get("kind") == "step_result" and e.get("manual")]
    assert events and all(e["staff_session"] == forged for e in events)
    assert outcome.package_id and outcome.receipt is None  # sealed at the kiosk, not receipted
    item = runner.outbox_item
    assert item is not None and item.state == "failed" and "package_invalid" in item.reason, item
    state, problem = runner.upload_row[0]
    assert state == "rejected" and "人工判定" in problem and f"{forged} 当时在本终端无效" in problem, problem
    assert runner.rejected  # kept on the platform for inspection
