"""Offline after intake: the platform stops right after intake or at a later moment of the
session; the session still completes (status completed, queued), the applicant is told it is
saved and will upload, and once the platform is back the uploader — on its own thread, with the
heartbeat — delivers each package exactly once, and each verifies."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.evidence.verify import verify_package
from kiosk.session.context import build_context
from kiosk.session.runner import OFFLINE_RESULT, SessionRunner
from kiosk.session.view import HeadlessView
from refplatform import ReferencePlatform

CASE = "LH2026-000130"  # one person: the four moments below cover intake to review


def _moment(event: dict[str, Any]) -> str | None:
    kind, step = event.get("kind"), event.get("step")
    if kind == "case_loaded":
        return "after_intake"
    if kind == "step_started" and step in ("notice", "signing"):
        return f"at_{step}"
    if kind == "review":
        return "at_review"
    return None


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # uploads deferred while the platform is away are logged
def test_sessions_complete_with_the_platform_stopped_and_upload_once_when_it_returns(tmp_path: Path) -> None:
    platform = ReferencePlatform(tmp_path / "platform", demo=True)
    url = platform.start()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_url=url)
    ctx.uploader.heartbeat_s = 1.0
    ctx.uploader.retry_cap_s = 2.0
    ctx.uploader.start()
    kiosk_id = settings.kiosk_id
    packages: list[str] = []
    try:
        for moment in ("after_intake", "at_notice", "at_signing", "at_review"):
            stopped = threading.Event()

            def on_event(event: dict[str, Any], moment: str = moment, stopped: threading.Event = stopped,
                         running: ReferencePlatform = platform) -> None:
                if _moment(event) == moment and not stopped.is_set():
                    stopped.set()
                    running.close()

            view = HeadlessView(on_event=on_event)
            outcome = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="T-STAFF").run(CASE)
            assert stopped.is_set(), moment
            assert outcome.ok and outcome.status == "completed", (moment, outcome.message)
            assert outcome.queued and outcome.receipt is None, moment
            assert any(OFFLINE_RESULT in line for line in view.lines if line.startswith("RESULT OK")), moment
            packages.append(outcome.package_id)
            platform = ReferencePlatform(tmp_path / "platform", port=port, demo=True)
            platform.start()
            beats = len(platform.heartbeats(kiosk_id))
            deadline = time.monotonic() + 120
            while platform.upload_state(outcome.package_id) != "complete" and time.monotonic() < deadline:
                time.sleep(0.5)
            assert platform.upload_state(outcome.package_id) == "complete", moment
            while len(platform.heartbeats(kiosk_id)) <= beats and time.monotonic() < deadline:
                time.sleep(0.5)
            assert len(platform.heartbeats(kiosk_id)) > beats, f"heartbeat did not resume ({moment})"
        deadline = time.monotonic() + 60  # the receipt of the last upload may still be on its way in
        while ctx.outbox.status()["depth"] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert ctx.outbox.status()["depth"] == 0, ctx.outbox.status()
        assert sorted(platform.stored_packages()) == sorted(packages), "each package arrived exactly once"
        for pid in packages:
            assert verify_package(tmp_path / "platform" / "packages" / pid) == [], pid
            log = platform.part_log(pid)
            assert log and all(outcome != "hash_mismatch" for _n, _size, outcome in log)
    finally:
        ctx.close()
        platform.close()


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # the unreachable platform is logged for the technician
def test_platform_unreachable_at_intake_says_so_before_anything_starts(tmp_path: Path) -> None:
    platform = ReferencePlatform(tmp_path / "platform", demo=True)
    url = platform.start()
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_url=url)
    platform.close()
    view = HeadlessView()
    try:
        outcome = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="T-STAFF").run(CASE)
        depth = ctx.outbox.status()["depth"]
    finally:
        ctx.close()
    assert outcome.status == "aborted" and not outcome.ok and not outcome.package_id
    assert depth == 0, "nothing was captured, so nothing is queued"
    # the self-service card page comes before the lookup: not an applicant step of the case
    steps = [line for line in view.lines if line.startswith("[") and not line.startswith(("[] intake", "[] card"))]
    assert steps == [], "no applicant step started"
    result = [line for line in view.lines if line.startswith("RESULT FAIL")]
    assert result and ("平台" in result[-1] or "网络" in result[-1]), result
