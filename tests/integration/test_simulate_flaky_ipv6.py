"""`simulate --platform URL --state DIR` against a `platform-emulator` on [::1], through a link
that drops and stalls connections: the session completes and the platform holds exactly one
package for the case, which `verify` accepts."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tools.flakylink import FlakyLink

ROOT = Path(__file__).resolve().parents[2]


def _ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def _free_port6() -> int:
    with socket.socket(socket.AF_INET6) as s:
        s.bind(("::1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.skipif(not _ipv6(), reason="no IPv6 loopback")
def test_simulate_over_a_dropping_stalling_ipv6_link(tmp_path: Path) -> None:
    port = _free_port6()
    data = tmp_path / "platform"
    server = subprocess.Popen([sys.executable, "main.py", "platform-emulator", "--host", "::1", "--port", str(port),
                               "--data", str(data), "--demo"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    link = FlakyLink("::1", port, listen_host="::1", plan=("ok", "drop", "ok", "stall", "ok", "drop"),
                     drop_after=120_000, stall_s=2.0, ok_bytes=400_000)
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket(socket.AF_INET6) as s:
                if s.connect_ex(("::1", port)) == 0:
                    break
            assert time.monotonic() < deadline and server.poll() is None, "platform-emulator did not start"
            time.sleep(0.2)
        url = link.start()
        state, out = tmp_path / "state", tmp_path / "out"
        state.mkdir()
        (state / "config.toml").write_text("[platform]\ntimeout_s = 3\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "main.py", "simulate", "--out", str(out), "--state", str(state),
                               "--platform", url, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr[-3000:]
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
        assert summary["uploaded"]
        assert link.stats.dropped + link.stats.stalled >= 1, "the faulty link never misbehaved"
    finally:
        link.stop()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    packages = [p for p in (data / "packages").iterdir() if p.is_dir()]
    cases = [json.loads((p / "manifest.json").read_text(encoding="utf-8"))["case_no"] for p in packages]
    assert cases == ["LH2026-000123"]
    assert (out / "receipt.json").exists()
    check = subprocess.run([sys.executable, "main.py", "verify", str(packages[0])], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert check.returncode == 0, check.stderr
