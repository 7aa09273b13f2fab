"""The headless operator decides only what this environment cannot: a face that does not match
the reference photo ends the session (no staff override asked for), and says why."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.flow import State
from kiosk.platform.demo import demo_photo_path
from kiosk.session.context import build_context, seed_cast
from kiosk.session.runner import SessionRunner
from kiosk.session.view import HeadlessView
from refplatform import embedded

CASE = "LH2026-000130"  # 司法裁决: one person, p1 (the seed's reference photo: grace_hopper)


def _stranger(case_no: str) -> list[Any]:
    """Someone with the right ID card (no chip photo) but another face."""
    return [dataclasses.replace(p, photo=demo_photo_path("astronaut")) for p in seed_cast(case_no)]


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # the aborted session is logged for the technician
def test_failed_face_match_ends_the_headless_session(tmp_path: Path) -> None:
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded, cast=_stranger)
    view = HeadlessView()
    runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="SIM-STAFF")
    try:
        outcome = runner.run(CASE)
    finally:
        ctx.close()
    assert not outcome.ok and outcome.status == "aborted"
    assert runner.flow.state is State.ABORTED and runner.flow.abort_reason.startswith("staff_abort")
    assert [d["cause"] for d in view.decisions] == ["identity"]
    assert view.decisions[0]["action"] == "abort"
    assert not any(r.manual for r in runner.flow.results), "nothing was passed by hand"
    assert any("--staff-overrides" in line for line in view.lines)
