"""Upload throughput on loopback: the outbox uploader against curl sending the same bytes to the
same reference platform, and the bytes sent again after the uploader is killed mid-part.

Figures:
  upload_mbps                     whole drain (create, parts, complete with the platform's checks), MB/s
  upload_parts_mbps               the part phase only (decrypt + hash + signed PUTs), MB/s
  curl_mbps                       curl PUTting the same parts with the same signed headers, MB/s
  upload_vs_curl                  upload_parts_mbps / curl_mbps (same run, same server)
  upload_resend_bytes_after_kill  bytes the platform received beyond the package size after a
                                  SIGKILL of `outbox flush` in the middle of a part and a restart
  upload_resend_parts_after_kill  the same in parts (≤ 1 means: at most the part in flight)
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.config import PlatformSettings, Settings, StatePaths, save_config  # noqa: E402
from kiosk.evidence.manifest import write_manifest  # noqa: E402
from kiosk.evidence.sample import build_sample_package  # noqa: E402
from kiosk.platform import Outbox, PlatformClient, Uploader  # noqa: E402
from kiosk.platform.demo import DEMO_CASE_NO, DEMO_ENROL_CODE  # noqa: E402
from kiosk.security.keys import DeviceKeys  # noqa: E402
from refplatform import ReferencePlatform  # noqa: E402

KIOSK_ID = "LH-KIOSK-BENCH"
MB = 1_000_000


def _package(keys: DeviceKeys, parent: Path, pid: str, size: int) -> Path:
    """A real sample package (the platform receipts only what verifies) whose recording is `size`
    random bytes; its directory is renamed to `pid`."""
    parent.mkdir(parents=True, exist_ok=True)
    recording = parent / "p1.mp4"
    with open(recording, "wb") as fh:
        left = size
        while left:
            n = min(left, 8 << 20)
            fh.write(os.urandom(n))
            left -= n
    built = build_sample_package(parent / "build", keys, recordings={"p1": recording}, kiosk_id=KIOSK_ID)
    recording.unlink()
    m = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    m.pop("files", None)
    m.pop("format", None)
    m["package_id"] = pid
    for name in ("manifest.json", "manifest.sig.json"):
        (built / name).unlink()
    d = built.rename(parent / pid)
    write_manifest(d, m, keys)  # the same package, under the id this benchmark uses
    return d


def _kiosk(state: Path, url: str, part_mb: int) -> tuple[DeviceKeys, PlatformClient, Outbox, Uploader]:
    paths = StatePaths(state).ensure()
    keys = DeviceKeys(paths.keys)
    settings = PlatformSettings(url=url, part_size_mb=part_mb, timeout_s=60)
    client = PlatformClient(url, settings, keys, KIOSK_ID, paths.keys)
    client.ensure_enrolled(DEMO_ENROL_CODE)
    outbox = Outbox(paths.outbox, keys.cipher())
    return keys, client, outbox, Uploader(outbox, client, retention_days=0)


def _throughput(root: Path, size: int, part_mb: int) -> dict[str, float]:
    srv = ReferencePlatform(root / "pf", max_package_bytes=size * 4, seed_demo=False, demo=True)
    url = srv.start()
    keys, client, outbox, up = _kiosk(root / "state", url, part_mb)
    try:
        pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128140000"
        pkg = _package(keys, root / "sessions", pid, size)
        outbox.enqueue(pkg, pid, DEMO_CASE_NO)
        item = outbox.get(pid)
        assert item is not None
        span: list[float] = []
        put = client.put_part

        def timed_put(package_id: str, n: int, data: bytes, sha256: str | None = None) -> dict[str, Any]:
            if not span:
                span.append(time.perf_counter())
            out = put(package_id, n, data, sha256)
            span[1:] = [time.perf_counter()]
            return out

        client.put_part = timed_put  # type: ignore[method-assign]
        t0 = time.perf_counter()
        [receipt] = up.drain_once()
        drain_s = time.perf_counter() - t0
        parts_s = span[1] - span[0]
        assert receipt.total_size == item.total_size

        # curl: the same stream, same part size, a fresh upload id, headers signed the same way
        part_size = part_mb << 20
        cid = pid + "-curl"
        status = client.create_upload(cid, DEMO_CASE_NO, item.files, part_size)
        reader = outbox.reader(item)
        parts_dir = root / "curl-parts"
        parts_dir.mkdir()
        args = ["curl", "-sS", "--fail"]
        import requests

        for n in range(int(status["parts_total"])):
            data = reader.read(n * part_size, part_size)
            f = parts_dir / f"{n}.part"
            f.write_bytes(data)
            req = requests.Request("PUT", f"{url}/v1/packages/{cid}/parts/{n}", data=data,
                                   auth=client.auth()).prepare()
            if n:
                args.append("--next")
            args += ["-o", os.devnull, "-T", str(f), "-H", "Content-Type: application/octet-stream"]
            for h in ("Authorization", "X-BDC-Date", "X-BDC-Nonce", "X-BDC-Content-SHA256", "X-BDC-Kiosk"):
                args += ["-H", f"{h}: {req.headers[h]}"]
            args.append(str(req.url))
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, timeout=600)
        curl_s = time.perf_counter() - t0
        held = client.upload_status(cid)["received"]
        assert len(held) == int(status["parts_total"]), "curl parts were not all accepted"
        total = item.total_size
        return {"upload_mbps": total / MB / drain_s, "upload_parts_mbps": total / MB / parts_s,
                "curl_mbps": total / MB / curl_s, "upload_vs_curl": (total / parts_s) / (total / curl_s),
                "upload_package_mb": total / MB}
    finally:
        client.close()
        outbox.close()
        srv.close()


def _resend_after_kill(root: Path, size: int, part_mb: int) -> dict[str, float]:
    part = part_mb << 20
    mid = threading.Event()
    release = threading.Event()

    def progress(package_id: str, n: int, got: int) -> None:
        if n == 1 and got >= 256 * 1024 and not mid.is_set():
            mid.set()
            release.wait(60)

    # a narrow receive window, so that the part in flight is really cut short by the kill
    srv = ReferencePlatform(root / "pf-kill", max_package_bytes=size * 4, seed_demo=False, demo=True, part_progress=progress,
                            recv_buffer_bytes=128 * 1024)
    url = srv.start()
    state = root / "state-kill"
    keys, client, outbox, _up = _kiosk(state, url, part_mb)
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128140100"
    outbox.enqueue(_package(keys, root / "sessions-kill", pid, size), pid, DEMO_CASE_NO)
    total = outbox.get(pid).total_size  # type: ignore[union-attr]
    client.close()
    outbox.close()
    save_config(Settings(kiosk_id=KIOSK_ID, platform=PlatformSettings(url=url, part_size_mb=part_mb, timeout_s=60)),
                state / "config.toml")
    cmd = [sys.executable, str(REPO / "main.py"), "outbox", "flush", "--state", str(state)]
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not mid.wait(120):
            proc.kill()
            raise RuntimeError("uploader never reached the second part")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        release.set()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        if srv.stored_packages() != [pid]:
            raise RuntimeError("package not stored after restart")
        log = srv.part_log(pid)
        extra = sum(s for _n, s, o in log if o != "stored")
        if sum(s for _n, s, o in log if o == "stored") != total:
            raise RuntimeError("stored parts do not add up to the package")
        return {"upload_resend_bytes_after_kill": float(extra), "upload_resend_parts_after_kill": extra / part}
    finally:
        release.set()
        srv.close()


def run(quick: bool) -> dict[str, float]:
    size = (20 if quick else 200) * MB
    root = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        figures = _throughput(root, size, part_mb=8)
        figures.update(_resend_after_kill(root, (16 if quick else 64) * MB, part_mb=8))
        return figures
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    figures = run("--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v:12.3f}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
