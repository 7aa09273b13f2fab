"""The reference platform as a running server: state, lifecycle and injected faults.

`ReferencePlatform(data_dir).start()` serves the FastAPI app of `routes.py` with uvicorn in a
daemon thread on loopback (IPv4 or IPv6, plain HTTP or TLS) and returns the base URL; `close()`
stops it, drops the connections still open and closes the store.

`faults` lets tests and demos make the platform misbehave on purpose (status codes, stalls,
resets, garbage bodies) without a separate fake: an ASGI layer in front of the routes.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.platform.protocol import DATE_HEADER, format_date, utc_now
from refplatform import demo_seed, staff
from refplatform.ca import load_or_create_ca
from refplatform.problems import PROBLEM_JSON, Problem, problem_body
from refplatform.routes import build_app
from refplatform.store import Store, private_dir

log = logging.getLogger(__name__)

ENROL_CODE_TTL_S = 24 * 3600.0


@dataclass
class Fault:
    """One injected misbehaviour for requests whose method and path match.

    `status` answers with that status and `body` (default a problem JSON); `stall_s` waits
    before answering (or before reading the body); `reset_after` reads that many body bytes and
    then resets the connection; `times` is how many requests it applies to (None: forever).
    """

    method: str = "*"
    path_re: str = ".*"
    status: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    stall_s: float = 0.0
    reset_after: int | None = None
    times: int | None = 1
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and re.search(self.path_re, path) is not None


@dataclass
class Device:
    kiosk_id: str
    cert_pem: bytes
    sm2_public_hex: str
    public_key: ec.EllipticCurvePublicKey
    revoked: bool


class ReferencePlatform:
    """Start with `start()` (returns the base URL; serves in a daemon thread), end with `close()`."""

    def __init__(self, data_dir: Path, host: str = "127.0.0.1", port: int = 0, certfile: str | None = None,
                 keyfile: str | None = None, *, demo: bool = False, max_package_bytes: int = 4 << 30,
                 max_part_bytes: int = 64 << 20, credential_ttl_s: float = 30 * 86400.0, seed_demo: bool = True,
                 require_presence: bool = False, require_staff_sessions: bool = False,
                 lookups_per_minute: int = 30,
                 part_progress: Callable[[str, int, int], None] | None = None,
                 recv_buffer_bytes: int | None = None) -> None:
        """`demo` accepts the reusable demo enrolment code; `seed_demo` serves the demo cases;
        `require_presence` releases case data only with presence proof (see `cases.py`);
        `require_staff_sessions` refuses packages whose manual decisions name no staff session.
        `part_progress(package_id, n, bytes_so_far)` is called as part bodies arrive (tests and
        the benchmark use it to act mid-part); `recv_buffer_bytes` fixes the TCP receive buffer of
        accepted connections (a narrow link, so that a part in flight is really cut short)."""
        self.data_dir = Path(data_dir)
        self.host, self.port = host, port
        self.certfile, self.keyfile = certfile, keyfile
        self.demo_enrol_code = demo_seed.DEMO_ENROL_CODE if demo else None
        self.max_package_bytes = max_package_bytes
        self.max_part_bytes = max_part_bytes
        self.credential_ttl_s = credential_ttl_s
        self.require_presence = require_presence
        self.require_staff_sessions = require_staff_sessions
        self.lookups_per_minute = lookups_per_minute
        self.part_progress = part_progress
        self.recv_buffer_bytes = recv_buffer_bytes
        self.faults: list[Fault] = []
        self.receipt_tamper: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self._lock = threading.Lock()
        private_dir(self.data_dir)
        for sub in ("packages", "uploads", "rejected"):
            private_dir(self.data_dir / sub)
        self.store = Store(self.data_dir / "platform.sqlite3")
        self.ca_key, self.ca_cert = load_or_create_ca(self.data_dir)
        self.cases: dict[str, dict[str, Any]] = demo_seed.seed(self.data_dir) if seed_demo else {}
        staff.seed_staff(self)
        self._complete_locks: dict[str, threading.Lock] = {}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def enrol_code(self) -> str | None:
        """The demo enrolment code when this platform runs for a demo, else None."""
        return self.demo_enrol_code

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> str:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if self.recv_buffer_bytes:
                # set before listen(): accepted sockets inherit it, with autotuning off
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.recv_buffer_bytes)
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        config = uvicorn.Config(_Faults(self, build_app(self)), log_level="warning", access_log=False,
                                lifespan="off", ws="none", http="h11", loop="asyncio", timeout_keep_alive=60,
                                timeout_graceful_shutdown=5, backlog=64, ssl_certfile=self.certfile,
                                ssl_keyfile=self.keyfile, server_header=False, date_header=True)
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="reference-platform",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"reference platform did not start on {self.host}:{self.port}")
            time.sleep(0.01)
        port = sock.getsockname()[1]
        host = f"[{self.host}]" if family == socket.AF_INET6 else self.host
        self.url = f"{'https' if self.certfile else 'http'}://{host}:{port}"
        log.info("reference platform listening on %s", self.url)
        return self.url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
            loop = _loop_of(server)
            if loop is not None:
                # stopping means stopping: kept-alive and half-received connections end now
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_abort_all, server)
        if thread is not None:
            thread.join(timeout=15)
        self._server = self._thread = None

    def close(self) -> None:
        self.stop()
        self.store.close()

    def __enter__(self) -> ReferencePlatform:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- administration (what the centre's staff would do in the real platform's back office) --
    def issue_enrol_code(self, kiosk_id: str, ttl_s: float = ENROL_CODE_TTL_S) -> str:
        """A one-time code that enrols `kiosk_id` only, valid for `ttl_s` seconds."""
        code = "EN-" + secrets.token_hex(8).upper()
        self.store.execute("INSERT INTO enrol_codes VALUES (?,?,?,NULL)", (code, kiosk_id, time.time() + ttl_s))
        return code

    def revoke_device(self, kiosk_id: str) -> None:
        self.store.execute("UPDATE devices SET revoked=1 WHERE kiosk_id=?", (kiosk_id,))
        self.store.execute("UPDATE credentials SET revoked=1 WHERE kiosk_id=?", (kiosk_id,))

    def expire_credentials(self, kiosk_id: str) -> None:
        self.store.execute("UPDATE credentials SET expires_at=? WHERE kiosk_id=?", (time.time() - 1, kiosk_id))

    def enrolled_certificate(self, kiosk_id: str) -> bytes | None:
        rows = self.store.query("SELECT cert_pem FROM devices WHERE kiosk_id=?", (kiosk_id,))
        return bytes(rows[0][0]) if rows else None

    def platform_certificate_pem(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM)

    def upload_state(self, package_id: str) -> str | None:
        """"open", "complete", "rejected", or None when the platform never heard of the package."""
        rows = self.store.query("SELECT state FROM uploads WHERE package_id=?", (package_id,))
        return str(rows[0][0]) if rows else None

    def stored_packages(self) -> list[str]:
        root = self.data_dir / "packages"
        return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def part_log(self, package_id: str) -> list[tuple[int, int, str]]:
        """(part number, bytes, outcome) of every part body received, in arrival order; outcome is
        stored, duplicate (already held, not stored again), hash_mismatch or incomplete (the
        connection ended mid-body; bytes is how much had arrived)."""
        rows = self.store.query("SELECT n, size, outcome FROM part_log WHERE package_id=? ORDER BY rowid",
                                (package_id,))
        return [(int(n), int(s), str(o)) for n, s, o in rows]

    def heartbeats(self, kiosk_id: str) -> list[dict[str, Any]]:
        rows = self.store.query("SELECT body FROM heartbeats WHERE kiosk_id=? ORDER BY rowid", (kiosk_id,))
        return [json.loads(r[0]) for r in rows]

    def releases(self, kiosk_id: str | None = None) -> list[tuple[str, str, str, str]]:
        """(kiosk id, case number, what, basis) of every release of personal data, in order."""
        rows = self.store.query("SELECT kiosk_id, case_no, what, basis FROM releases ORDER BY rowid")
        return [(str(k), str(c), str(w), str(b)) for k, c, w, b in rows if kiosk_id in (None, k)]

    def add_fault(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.matches(method, path) and (f.times is None or f.hits < f.times):
                    f.hits += 1
                    return f
        return None

    # -- shared with the handlers ------------------------------------------------------------
    def device(self, kiosk_id: str) -> Device | None:
        rows = self.store.query("SELECT cert_pem, sm2_public_hex, revoked FROM devices WHERE kiosk_id=?", (kiosk_id,))
        if not rows:
            return None
        cert = x509.load_pem_x509_certificate(bytes(rows[0][0]))
        pub = cert.public_key()
        assert isinstance(pub, ec.EllipticCurvePublicKey)
        return Device(kiosk_id, bytes(rows[0][0]), str(rows[0][1] or ""), pub, bool(rows[0][2]))

    def new_credential(self, kiosk_id: str) -> tuple[str, float]:
        cred = "cred-" + secrets.token_hex(16)
        expires = time.time() + self.credential_ttl_s
        self.store.execute("INSERT INTO credentials VALUES (?,?,?,0)", (cred, kiosk_id, expires))
        return cred, expires

    def complete_lock(self, package_id: str) -> threading.Lock:
        with self._lock:
            return self._complete_locks.setdefault(package_id, threading.Lock())


def embedded(data_dir: Path) -> ReferencePlatform:
    """The platform a demo (`simulate`, `run --demo`) starts on loopback: demo cases and the demo
    enrolment code, and the custody rules on, so the normal path proves them: case data only to a
    staff session or with a party's ID card (`require_presence`); every manual decision made
    under a staff session valid at the time (`require_staff_sessions`). `main.py` hands this to
    the kiosk as its platform factory."""
    pf = ReferencePlatform(data_dir, demo=True, require_presence=True, require_staff_sessions=True)
    try:
        pf.start()
    except BaseException:
        pf.close()
        raise
    return pf


# -- the ASGI layer in front of the routes: injected faults and the platform's clock ---------
def _loop_of(server: uvicorn.Server) -> asyncio.AbstractEventLoop | None:
    for conn in list(server.server_state.connections):
        loop = getattr(conn, "loop", None)
        if loop is not None:
            return loop  # type: ignore[no-any-return]
    return getattr(server, "_loop", None)


def _abort_all(server: uvicorn.Server) -> None:
    for conn in list(server.server_state.connections):
        transport = getattr(conn, "transport", None)
        if transport is not None:
            transport.abort()


class _Faults:
    """Applies `ReferencePlatform.faults`, and stamps every answer with the platform's time."""

    def __init__(self, pf: ReferencePlatform, app: Any) -> None:
        self.pf = pf
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_dated(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((DATE_HEADER.lower().encode(), format_date(utc_now()).encode()))
                message = {**message, "headers": headers}
            await send(message)

        fault = self.pf.take_fault(scope["method"], scope["path"])
        if fault is not None and await self._apply(fault, scope, receive, send_dated):
            return
        await self.app(scope, receive, send_dated)

    async def _apply(self, f: Fault, scope: dict[str, Any], receive: Any, send: Any) -> bool:
        """True when the fault answered (or killed) the request itself."""
        if f.stall_s:
            await asyncio.sleep(f.stall_s)  # the point of the fault: a server that does not answer
        if f.reset_after is not None:
            got = 0
            while got < f.reset_after:
                message = await receive()
                got += len(message.get("body", b""))
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            self._reset(scope)
            await asyncio.sleep(0)  # let the server see the connection gone before the app returns
            return True
        if f.status is None:
            return False
        more = True
        while more:  # read the request to its end: an answer before that would be cut by a reset
            message = await receive()
            more = message["type"] == "http.request" and bool(message.get("more_body"))
        body = f.body if f.body is not None else problem_body(
            Problem(f.status, {429: "rate_limited", 503: "unavailable"}.get(f.status, "internal"), "注入的故障"))
        ctype = PROBLEM_JSON if f.body is None else "application/json"
        headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")] + [(k.lower().encode(), v.encode()) for k, v in f.headers.items()]
        await send({"type": "http.response.start", "status": f.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True

    def _reset(self, scope: dict[str, Any]) -> None:
        """RST instead of FIN: SO_LINGER with a zero timeout, then abort the transport."""
        server = self.pf._server
        client = scope.get("client")
        for conn in list(server.server_state.connections) if server else []:
            if getattr(conn, "client", None) == client and client is not None:
                transport = conn.transport  # type: ignore[union-attr]
                sock = transport.get_extra_info("socket")
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                transport.abort()
                return
