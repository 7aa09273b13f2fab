"""A camera and a microphone pulled mid-session pause the flow with a clear message and
resume it when plugged back; the session still completes. One-party legal-person case (the
developer's agent signs and the company seal is stamped)."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import load_config
from kiosk.flow import State
from kiosk.platform.demo import DEMO_STAFF_LOGIN
from kiosk.session.context import build_context
from kiosk.session.runner import SessionRunner
from kiosk.session.view import HeadlessView
from refplatform import embedded


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # the capture hub logs each unplug as a warning for the technician
def test_unplug_and_replug_pause_and_resume_the_session(tmp_path: Path) -> None:
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
    events: list[dict[str, Any]] = []
    unplugged = threading.Event()

    def on_event(event: dict[str, Any]) -> None:
        events.append(event)
        if event["kind"] == "step_started" and event.get("step") == "statement" and not unplugged.is_set():
            unplugged.set()
            threading.Thread(target=pull_cables, name="cable-puller").start()

    def pull_cables() -> None:
        ctx.camera.disconnect()
        ctx.microphone.disconnect()
        # plugged back once the flow has paused for it
        for _ in range(600):
            if any(e["kind"] == "paused" for e in events):
                break
            threading.Event().wait(0.1)
        ctx.camera.reconnect()
        ctx.microphone.reconnect()

    view = HeadlessView(on_event=on_event, staff_overrides=True)  # the subject here is the cable, not the face
    view.on_duty = lambda: ctx.client.staff_login(*DEMO_STAFF_LOGIN)  # decisions under a platform staff session
    runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="T-STAFF")
    try:
        outcome = runner.run("LH2026-000126")
        receipts = ctx.uploader.drain_until_done(120)
    finally:
        ctx.close()
    for t in threading.enumerate():
        if t.name == "cable-puller":
            t.join(10)
    assert unplugged.is_set()
    kinds = [e["kind"] for e in events]
    paused = [e for e in events if e["kind"] == "paused"]
    assert paused and paused[0]["by"] == "device"
    assert kinds.index("resumed") > kinds.index("paused")
    assert any("摄像头连接中断" in line for line in view.lines)
    assert any("摄像头已恢复" in line for line in view.lines)
    assert outcome.ok and outcome.status == "completed", outcome.message
    assert runner.flow.state is State.DONE
    assert outcome.package_id
    stored = paths.platform_data / "packages" / outcome.package_id / "manifest.json"
    manifest = json.loads(stored.read_text(encoding="utf-8"))
    assert manifest["parties"][0]["kind"] == "legal"
    stamped = [a for d in manifest["documents"] for a in d["anchors"] if a["kind"] == "seal"]
    assert stamped and all(a["stamped"] for a in stamped)
    assert receipts is not None


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # each unplug is logged as a warning for the technician
def test_id_reader_and_pad_pulled_mid_step_pause_and_resume_the_session(tmp_path: Path) -> None:
    """The reader goes while the identity step waits for the card, the pad while the signing step
    waits for the pen: each pauses the flow with its own message, the step reruns after the
    replug, and the session completes."""
    settings, paths = load_config(tmp_path / "state")
    ctx = build_context(settings, paths, demo=True, platform_factory=embedded)
    events: list[dict[str, Any]] = []
    pulled: list[str] = []
    plug_threads: list[threading.Thread] = []

    def replug_when_paused(device: Any, pauses_before: int) -> None:
        for _ in range(600):
            if sum(e["kind"] == "paused" for e in events) > pauses_before:
                break
            threading.Event().wait(0.1)
        device.reconnect()

    def on_event(event: dict[str, Any]) -> None:
        events.append(event)
        if event["kind"] != "step_started":
            return
        device = {"identity": ctx.idcard, "signing": ctx.signpad}.get(event.get("step", ""))
        if device is None or event["step"] in pulled:
            return
        pulled.append(event["step"])
        device.disconnect()  # on the runner thread, before the step asks the device for anything
        t = threading.Thread(target=replug_when_paused, name="cable-puller",
                             args=(device, sum(e["kind"] == "paused" for e in events)))
        plug_threads.append(t)
        t.start()

    view = HeadlessView(on_event=on_event, staff_overrides=True)  # the subject here is the cable, not the face
    view.on_duty = lambda: ctx.client.staff_login(*DEMO_STAFF_LOGIN)  # decisions under a platform staff session
    runner = SessionRunner(ctx, ctx.applicant.attend(view), staff_id="T-STAFF")
    try:
        outcome = runner.run("LH2026-000126")
        receipts = ctx.uploader.drain_until_done(120)
    finally:
        ctx.close()
        for t in plug_threads:
            t.join(10)
    assert pulled == ["identity", "signing"]
    paused = [e for e in events if e["kind"] == "paused"]
    resumed = [e for e in events if e["kind"] == "resumed"]
    assert len(paused) == 2 and all(e["by"] == "device" for e in paused) and len(resumed) == 2
    assert any("身份证读卡器连接中断" in line for line in view.lines)
    assert any("身份证读卡器已恢复" in line for line in view.lines)
    assert any("签字板连接中断" in line for line in view.lines)
    assert any("签字板已恢复" in line for line in view.lines)
    # a pulled cable is a pause, never a failed attempt (other failures — statement and qa without
    # a Chinese speech model, a liveness miss — are not this test's business)
    device_words = ("读卡器", "身份证", "签字板", "断开", "未连接")
    failed = [e for e in events if e["kind"] in ("step_failed", "escalated")
              and any(w in str(e.get("reason", "")) for w in device_words)]
    assert not failed, [(e.get("step"), e.get("reason")) for e in failed]
    results = {e.get("step"): e.get("outcome") for e in events if e["kind"] == "step_result"}
    assert results.get("signing") == "passed", results
    assert outcome.ok and outcome.status == "completed", outcome.message
    assert runner.flow.state is State.DONE and receipts is not None
