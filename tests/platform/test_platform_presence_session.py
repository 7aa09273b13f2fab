"""Self-service presence, end to end on loopback: the embedded platform of the demo releases a
case only with a party's ID card read at the kiosk. The applicant puts the card down before
the lookup; the identity step then uses that card (no second read) and still matches the face.
A card of nobody in the case is refused at intake, in Chinese, before any personal data."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.session.context import build_context, seed_cast
from kiosk.session.runner import SessionRunner
from kiosk.session.view import HeadlessView
from refplatform import embedded

CASE = "LH2026-000131"  # 司法解封: one person, p1


def _run(tmp_path: Path, cast: Any = None) -> tuple[Any, HeadlessView, Any, list[tuple[str, ...]], int]:
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded, cast=cast)
    view = HeadlessView()
    runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="SIM-STAFF")
    try:
        assert ctx.embedded_platform is not None and ctx.embedded_platform.require_presence
        outcome = runner.run(CASE)
        releases = ctx.embedded_platform.store.query("SELECT case_no, what, basis FROM releases")
        reads = ctx.idcard.reads
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


@pytest.mark.allow_log_warnings  # the refused session is logged for the technician
def test_card_of_nobody_in_the_case_is_refused_in_chinese(tmp_path: Path) -> None:
    outcome, view, _runner, releases, _reads = _run(tmp_path, cast=lambda _case: seed_cast("LH2026-000123")[:1])
    assert not outcome.ok and outcome.status == "aborted"
    assert releases == []  # nothing about the case left the platform
    assert any(line.startswith("RESULT FAIL") and "不是本案件的当事人" in line for line in view.lines), view.lines
