"""The uploader process killed with SIGKILL in the middle of a part, then restarted; and the
two CLI commands of the room run as real processes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from platform_fixtures import KIOSK_ID, ipv6_available, make_kiosk, make_package, tree_bytes

from kiosk.config import PlatformSettings, Settings, save_config
from kiosk.platform.demo import DEMO_CASE_NO
from refplatform import ReferencePlatform

REPO = Path(__file__).resolve().parents[2]
PART = 8 << 20  # larger than the kernel's send buffer plus the platform's receive window


def _cli(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "main.py"), *args]


@pytest.mark.slow
def test_sigkill_mid_part_then_restart_uploads_exactly_once(tmp_path: Path) -> None:
    mid_part = threading.Event()
    release = threading.Event()
    partial: dict[int, int] = {}

    def progress(package_id: str, n: int, got: int) -> None:
        partial[n] = max(partial.get(n, 0), got)
        if n == 1 and got >= 256 * 1024 and not mid_part.is_set():
            mid_part.set()
            release.wait(30)  # hold the part half-received until the uploader is dead

    srv = ReferencePlatform(tmp_path / "pf", part_progress=progress, recv_buffer_bytes=128 * 1024, demo=True)
    url = srv.start()
    state = tmp_path / "state"
    k = make_kiosk(state, url)  # enrols this state dir
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128130000"
    pkg = make_package(k.keys, tmp_path / "sessions", pid, recording_bytes=18_000_000)
    k.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
    total = k.outbox.get(pid).total_size  # type: ignore[union-attr]
    k.close()  # releases the outbox for the uploader process
    save_config(Settings(kiosk_id=KIOSK_ID, platform=PlatformSettings(url=url, part_size_mb=8, timeout_s=10)),
                state / "config.toml")
    try:
        proc = subprocess.Popen(_cli("outbox", "flush", "--state", str(state), "--json"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert mid_part.wait(60), "the uploader never reached part 1"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        assert proc.returncode == -signal.SIGKILL
        assert srv.stored_packages() == []
        assert sorted(n for n, _s, o in srv.part_log(pid) if o == "stored") == [0]
        assert srv.upload_state(pid) == "open"

        done = subprocess.run(_cli("outbox", "flush", "--state", str(state), "--json"), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        out = json.loads(done.stdout)
        assert [r["package_id"] for r in out["uploaded"]] == [pid] and out["status"]["depth"] == 0

        assert srv.stored_packages() == [pid]
        assert tree_bytes(srv.data_dir / "packages" / pid) == tree_bytes(pkg)
        log = srv.part_log(pid)
        stored = [(n, s) for n, s, o in log if o == "stored"]
        assert sorted(n for n, _s in stored) == [0, 1, 2]  # each part stored once
        assert sum(s for _n, s in stored) == total
        assert "duplicate" not in {o for _n, _s, o in log}  # nothing held was sent again
        # what was re-sent because of the kill: the part in flight, cut short, nothing more
        [(n_cut, cut)] = [(n, s) for n, s, o in log if o == "incomplete"]
        assert n_cut == 1 and 256 * 1024 <= cut < PART and partial[1] == PART
    finally:
        srv.close()


def test_outbox_status_cli(tmp_path: Path, platform: ReferencePlatform) -> None:
    k = make_kiosk(tmp_path / "state", platform.url)
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128130100"
    k.outbox.enqueue(make_package(k.keys, tmp_path / "s", pid, recording_bytes=1000), pid, DEMO_CASE_NO)
    try:
        r = subprocess.run(_cli("outbox", "status", "--state", str(tmp_path / "state"), "--json"),
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["status"]["depth"] == 1 and out["items"][0]["package_id"] == pid
        # the app (this process) owns the outbox: a second uploader refuses politely
        r = subprocess.run(_cli("outbox", "flush", "--state", str(tmp_path / "state"), "--platform", platform.url),
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and "正在运行" in r.stderr
        r = subprocess.run(_cli("outbox", "status", "--state", str(tmp_path / "state")), capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0 and "待上传 1 个" in r.stdout
    finally:
        k.close()


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback")
def test_platform_emulator_cli_on_ipv6(tmp_path: Path) -> None:
    proc = subprocess.Popen(_cli("platform-emulator", "--host", "::1", "--port", "0", "--data", str(tmp_path / "d"), "--demo"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://[::1]:")
        k = make_kiosk(tmp_path / "state", url)
        assert k.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO
        pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128130200"
        pkg = make_package(k.keys, tmp_path / "s", pid, recording_bytes=1000)
        k.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
        assert [r.package_id for r in k.uploader.drain_once()] == [pid]
        assert tree_bytes(tmp_path / "d" / "packages" / pid) == tree_bytes(pkg)
        k.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
