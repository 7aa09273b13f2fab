"""SIGKILL a real `simulate` process at several points; nothing confirmed may be lost.

Against a `platform-emulator` in its own process: the first session is killed while the
second party is being recorded; the next run recovers it as an *aborted* package (with the
first party's recording playable) and is itself killed while packaging/uploading; a final
`outbox flush` delivers what is queued. Then the platform holds each package exactly once,
each verifies, and the outbox is drained.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process ended early with {proc.returncode}")
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def _audit_kinds(state: Path) -> list[str]:
    kinds: list[str] = []
    for path in (state / "sessions").glob("*/audit.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # the line being written when we look
            kinds.append(f"{event.get('kind')}:{event.get('party_id', '')}:{event.get('step', '')}")
    return kinds


def _simulate(state: Path, out: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([PY, "main.py", "simulate", "--out", str(out), "--state", str(state),
                             "--platform", url, "--json"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_sigkill_at_several_points_loses_nothing(tmp_path: Path) -> None:
    port = _free_port()
    data = tmp_path / "platform"
    server = subprocess.Popen([PY, "main.py", "platform-emulator", "--host", "127.0.0.1", "--port", str(port),
                               "--data", str(data), "--demo"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    state = tmp_path / "state"
    try:
        _wait_for(lambda: _port_open(port), 60, server)
        # 1) killed while the second party is being recorded (the first party's recording is closed)
        first = _simulate(state, tmp_path / "out1", url)
        _wait_for(lambda: "step_started:p2:identity" in _audit_kinds(state), 400, first)
        time.sleep(1.5)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        leftovers = [p for p in (state / "sessions").iterdir() if p.is_dir()]
        assert len(leftovers) == 1 and (leftovers[0] / "p1.mp4").exists()

        # 2) the next run recovers it, and is killed itself once it is packaging or uploading
        second = _simulate(state, tmp_path / "out2", url)
        _wait_for(lambda: any(k.startswith("package_building") for k in _audit_kinds(state)), 600, second)
        time.sleep(0.8)
        os.kill(second.pid, signal.SIGKILL)
        second.wait()

        # 3) a flush delivers whatever is still queued (the aborted package at least)
        flush = subprocess.run([PY, "main.py", "outbox", "flush", "--state", str(state), "--platform", url, "--json"],
                               cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert flush.returncode == 0, flush.stderr[-2000:]
        status = subprocess.run([PY, "main.py", "outbox", "status", "--state", str(state), "--json"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        info = json.loads(status.stdout.strip().splitlines()[-1])
        by_state = info.get("by_state", info)
        assert by_state.get("ready", 0) == 0 and by_state.get("uploading", 0) == 0 and by_state.get("failed", 0) == 0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    packages = sorted(p for p in (data / "packages").iterdir() if p.is_dir())
    statuses = [json.loads((p / "manifest.json").read_text(encoding="utf-8"))["status"] for p in packages]
    # the run killed mid-recording became an aborted package; the run killed while packaging
    # either queued its completed package (then delivered once) or was recovered as aborted next time
    assert statuses.count("aborted") >= 1
    assert len({p.name for p in packages}) == len(packages)
    aborted = next(p for p, s in zip(packages, statuses, strict=True) if s == "aborted")
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                            str(aborted / "recordings" / "p1.mp4")], capture_output=True, text=True)
    assert probe.returncode == 0 and float(probe.stdout.strip()) > 1.0
    for p in packages:
        check = subprocess.run([PY, "main.py", "verify", str(p)], cwd=ROOT, capture_output=True, text=True,
                               timeout=300)
        assert check.returncode == 0, check.stderr
    assert not list((state / "outbox").rglob("*.partial")), "a half-written file remained in the outbox"


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0
