"""Upload throughput on loopback: the outbox uploader against curl sending the same bytes to the
same reference platform, and the bytes sent again after the uploader is killed mid-part.

Figures:
  upload_mbps                     the whole package: a fresh client (new connection), the outbox's
                                  drain (create, decrypt + hash + signed PUT per part, complete and
                                  the receipt's signature check), MB/s
  curl_mbps                       curl sending the same package (create, the decrypted parts, complete,
                                  the same signed headers) in one process and connection, timed from
                                  before its process starts to its exit, MB/s
  upload_vs_curl                  curl's time / the product's time (same run, same server)
  upload_sink_mbps, curl_sink_mbps, upload_vs_curl_fast_server
                                  the parts only, against a sink server that reads and discards
                                  (`_Sink`): what each client reaches when the server is not the limit
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


def _signed(client: PlatformClient, method: str, url: str, **kw: Any) -> Any:
    """A request prepared (body, signed headers) exactly as the client would send it."""
    import requests

    return requests.Request(method, url, auth=client.auth(), **kw).prepare()


def _curl_args(client: PlatformClient, url: str, pid: str, item: Any, part_size: int, parts: list[Path],
               out: Path, *, whole: bool) -> list[str]:
    """One curl process, one connection: create + every part + complete (`whole`), or the parts."""
    args = ["curl", "-sS", "--fail"]

    def add(req: Any, body: Path) -> None:
        if len(args) > 3:
            args.extend(["--next", "-sS", "--fail"])  # --next resets every option
        args.extend(["-o", str(out / f"reply-{len(args)}"), "-X", req.method])
        args.extend(["--data-binary", f"@{body}"] if req.method == "POST" else ["-T", str(body)])
        args.extend(["-H", "Expect:"])  # no 100-continue wait (curl would pause up to 1 s per part)
        for h in ("Content-Type", "Authorization", "X-BDC-Date", "X-BDC-Nonce", "X-BDC-Content-SHA256", "X-BDC-Kiosk"):
            if h in req.headers:
                args.extend(["-H", f"{h}: {req.headers[h]}"])
        args.append(str(req.url))

    def post(path: str, body: dict[str, Any], name: str) -> None:
        req = _signed(client, "POST", f"{url}/{path}", json=body)
        f = out / name
        f.write_bytes(req.body)
        add(req, f)

    if whole:
        post("v1/packages", {"package_id": pid, "case_no": DEMO_CASE_NO, "files": item.files, "part_size": part_size},
             "create.json")
    for n, f in enumerate(parts):
        req = _signed(client, "PUT", f"{url}/v1/packages/{pid}/parts/{n}", data=f.read_bytes(),
                      headers={"Content-Type": "application/octet-stream"})
        add(req, f)
    if whole:
        post(f"v1/packages/{pid}/complete", {}, "complete.json")
    return args


def _timed_curl(args: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"curl failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    return time.perf_counter() - t0


class _Sink:
    """A faster server than the reference platform: HTTP/1.1 keep-alive on loopback that reads each
    body into one buffer and answers `{}` — no hashing, no signature check, nothing stored. What
    a client reaches against it is the client's own speed."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.received = 0
        threading.Thread(target=self._accept, name="sink", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: Any) -> None:
        buf = bytearray(16 << 20)
        view = memoryview(buf)
        pending = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in pending:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
                head, pending = pending.split(b"\r\n\r\n", 1)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v)
                    elif k.strip().lower() == b"expect" and b"100" in v:
                        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                got = min(length, len(pending))
                pending = pending[length:] if got == length else b""
                while got < length:
                    n = conn.recv_into(view[: min(len(buf), length - got)])
                    if not n:
                        return
                    got += n
                self.received += length
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")

    def close(self) -> None:
        self.sock.close()


def _throughput(root: Path, size: int, part_mb: int) -> dict[str, float]:
    srv = ReferencePlatform(root / "pf", max_package_bytes=size * 4, seed_demo=False, demo=True)
    url = srv.start()
    state = root / "state"
    keys, client, outbox, _up = _kiosk(state, url, part_mb)
    sink = _Sink()
    try:
        pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128140000"
        pkg = _package(keys, root / "sessions", pid, size)
        outbox.enqueue(pkg, pid, DEMO_CASE_NO)
        item = outbox.get(pid)
        assert item is not None
        total = item.total_size
        part_size = part_mb << 20
        # curl's package: built the same way under its own id (the platform checks the manifest
        # against the id on completion); its parts decrypted to plain files before timing (curl
        # does not decrypt or hash, so its side is an upper bound for any client)
        cid = pid + "-curl"
        cout = Outbox(root / "outbox-curl", keys.cipher())  # not in the product's outbox: it would drain it
        cout.enqueue(_package(keys, root / "sessions-curl", cid, size), cid, DEMO_CASE_NO)
        citem = cout.get(cid)
        assert citem is not None
        reader = cout.reader(citem)
        parts_dir = root / "curl-parts"
        parts_dir.mkdir()
        parts = []
        for n in range(-(-citem.total_size // part_size)):
            f = parts_dir / f"{n}.part"
            f.write_bytes(reader.read(n * part_size, part_size))
            parts.append(f)
        cout.close()

        # the product: a fresh client (new connection), the whole drain of the outbox
        # (create, decrypt + hash + signed PUT per part, complete with the receipt check)
        t0 = time.perf_counter()
        fresh = PlatformClient(url, PlatformSettings(url=url, part_size_mb=part_mb, timeout_s=60), keys, KIOSK_ID,
                               StatePaths(state).keys)
        [receipt] = Uploader(outbox, fresh, retention_days=0).drain_once()
        drain_s = time.perf_counter() - t0
        fresh.close()
        assert receipt.total_size == total
        # curl: the same package (create, parts, complete), one process and connection, timed
        # from before its process starts to its exit
        curl_s = _timed_curl(_curl_args(client, url, cid, citem, part_size, parts, root, whole=True))
        if srv.stored_packages().count(cid) != 1:
            raise RuntimeError("curl's package was not stored")

        # against the sink: the parts only (the sink signs no receipt), both sides the same way
        sink_client = PlatformClient(sink.url, PlatformSettings(url=sink.url, part_size_mb=part_mb, timeout_s=60),
                                     keys, KIOSK_ID, StatePaths(state).keys)
        t0 = time.perf_counter()
        reader = outbox.reader(item)
        for n in range(len(parts)):
            sink_client.put_part("sink", n, reader.read(n * part_size, part_size))
        client_sink_s = time.perf_counter() - t0
        sink_client.close()
        curl_sink_s = _timed_curl(_curl_args(client, sink.url, "sink", item, part_size, parts, root, whole=False))
        return {"upload_mbps": total / MB / drain_s, "curl_mbps": citem.total_size / MB / curl_s,
                "upload_vs_curl": (total / drain_s) / (citem.total_size / curl_s),
                "upload_sink_mbps": total / MB / client_sink_s, "curl_sink_mbps": total / MB / curl_sink_s,
                "upload_vs_curl_fast_server": curl_sink_s / client_sink_s,
                "upload_package_mb": total / MB}
    finally:
        sink.close()
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
