"""Free disk space running out during a session stops it gracefully with a clear message.
With the disk full the outbox cannot take the package either, so what was captured stays in
the session directory; once space is freed, recovery queues it as an aborted package."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.flow import State
from kiosk.session import runner as runner_module
from kiosk.session.context import build_context
from kiosk.session.recovery import recover_sessions
from kiosk.session.runner import SessionRunner
from kiosk.session.view import HeadlessView
from refplatform import embedded


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # the stop is logged for the technician
def test_disk_filling_up_mid_session_stops_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
    real = shutil.disk_usage
    full = {"now": False}

    def disk_usage(path: Any) -> Any:  # the OS reports what a nearly full disk would report
        usage = real(path)
        if full["now"]:
            return type(usage)(usage.total, usage.total - 10 * 2**20, 10 * 2**20)
        return usage

    def on_event(event: dict[str, Any]) -> None:
        if event["kind"] == "step_started" and event.get("step") == "notice":
            full["now"] = True

    monkeypatch.setattr(runner_module.shutil, "disk_usage", disk_usage)
    view = HeadlessView(on_event=on_event)
    runner = SessionRunner(ctx, ctx.applicant.attend(view))
    try:
        outcome = runner.run("LH2026-000126")
        assert outcome.status == "aborted" and not outcome.ok
        assert runner.flow.state is State.ABORTED and runner.flow.abort_reason == "disk_low"
        assert any("存储空间不足" in line for line in view.lines)
        kept = [p for p in paths.sessions.iterdir() if p.is_dir()]
        assert len(kept) == 1 and (kept[0] / "p1.mp4").stat().st_size > 0
        assert ctx.outbox.status()["depth"] == 0
        full["now"] = False  # the technician freed space
        recovered = recover_sessions(paths.sessions, keys=ctx.keys, outbox=ctx.outbox,
                                     kiosk_id=settings.kiosk_id, software_version=ctx.software_version)
        assert len(recovered) == 1 and ctx.outbox.status()["depth"] == 1
        assert not any(paths.sessions.iterdir())
    finally:
        ctx.close()
