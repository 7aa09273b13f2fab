"""The reference platform: the kiosk side of the central platform, as `docs/platform-openapi.yaml`
describes it, on the standard library's HTTP server with SQLite and plain files.

It serves the demo and the integration tests, and it is what an integrator reads to build the
real server. Uploads are resumable: the kiosk declares the package's files (path, size,
sha256) at `create`, sends the concatenation of those files in fixed-size parts in any order
and as often as it likes (a part already held is acknowledged, not stored twice), and at
`complete` the platform splits the stream back into files, checks every hash, checks the
signed manifest against the certificate it issued to that device, moves the package into
`DATA/packages/<package_id>/` and answers with a receipt signed by the platform key. A second
`complete` returns the same receipt.

`faults` lets tests and demos make the platform misbehave on purpose (status codes, stalls,
resets, garbage bodies) without a separate fake.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.server
import json
import logging
import os
import re
import secrets
import shutil
import socket
import sqlite3
import ssl
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.platform import demo
from kiosk.platform.protocol import (
    BODY_HASH_HEADER,
    CLOCK_WINDOW_S,
    DATE_HEADER,
    EMPTY_SHA256,
    NONCE_HEADER,
    PACKAGE_ID_RE,
    PROBLEM_TYPE,
    Receipt,
    format_date,
    parse_authorization,
    parse_date,
    path_problem,
    utc_now,
    verify_request,
)
from kiosk.privacy import scrub_text
from kiosk.security.keys import issue_certificate, make_ca

log = logging.getLogger(__name__)

MAX_JSON_BYTES = 1 << 20
_CHUNK = 256 * 1024
_DEMO_STAFF = (("0001", "246810", "张敏", ["counter"]), ("9001", "135790", "刘工", ["technician", "counter"]))
_CONFIG_VERSION = 1


class Problem(Exception):
    """An RFC 9457 problem answer; `code` is what the kiosk acts on."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.extra = extra


class _ShortBody(ConnectionError):
    """The client went away in the middle of a part body."""

    def __init__(self, got: int, length: int) -> None:
        super().__init__(f"client closed after {got} of {length} bytes")
        self.got = got


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
class _Device:
    kiosk_id: str
    cert_pem: bytes
    sm2_public_hex: str
    public_key: ec.EllipticCurvePublicKey
    revoked: bool


class _Store:
    """SQLite behind one lock: the platform's devices, credentials, uploads and parts."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS devices(kiosk_id TEXT PRIMARY KEY, cert_pem BLOB NOT NULL, sm2_public_hex TEXT,
        enrolled_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS credentials(credential_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,
        expires_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS enrol_codes(code TEXT PRIMARY KEY, used_by TEXT);
    CREATE TABLE IF NOT EXISTS nonces(nonce TEXT PRIMARY KEY, seen REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS uploads(package_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, case_no TEXT NOT NULL,
        files_json TEXT NOT NULL, total_size INTEGER NOT NULL, part_size INTEGER NOT NULL,
        state TEXT NOT NULL, receipt_json TEXT, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS parts(package_id TEXT NOT NULL, n INTEGER NOT NULL, size INTEGER NOT NULL,
        sha256 TEXT NOT NULL, PRIMARY KEY(package_id, n));
    CREATE TABLE IF NOT EXISTS part_log(package_id TEXT NOT NULL, n INTEGER NOT NULL, size INTEGER NOT NULL,
        outcome TEXT NOT NULL, at REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS device_certs(kiosk_id TEXT NOT NULL, cert_der BLOB NOT NULL, issued_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS heartbeats(kiosk_id TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS staff(staff_no TEXT PRIMARY KEY, name TEXT NOT NULL, salt BLOB NOT NULL,
        pin_hash BLOB NOT NULL, roles TEXT NOT NULL);
    """

    def __init__(self, path: Path) -> None:
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(self.SCHEMA)

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            return list(self.db.execute(sql, args).fetchall())

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.lock:
            return self.db.execute(sql, args).rowcount

    def close(self) -> None:
        with self.lock:
            self.db.close()


def _pin_hash(pin: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, 100_000)


class ReferencePlatform:
    """Start with `start()` (returns the base URL; serves in a daemon thread), end with `stop()`."""

    def __init__(self, data_dir: Path, host: str = "127.0.0.1", port: int = 0, certfile: str | None = None,
                 keyfile: str | None = None, *, max_package_bytes: int = 4 << 30, max_part_bytes: int = 64 << 20,
                 credential_ttl_s: float = 30 * 86400.0, seed_demo: bool = True,
                 part_progress: Callable[[str, int, int], None] | None = None,
                 recv_buffer_bytes: int | None = None) -> None:
        """`part_progress(package_id, n, bytes_so_far)` is called as part bodies arrive (tests and
        the benchmark use it to act mid-part); `recv_buffer_bytes` fixes the TCP receive buffer of
        accepted connections (a narrow link, so that a part in flight is really cut short)."""
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.certfile = certfile
        self.keyfile = keyfile
        self.max_package_bytes = max_package_bytes
        self.max_part_bytes = max_part_bytes
        self.credential_ttl_s = credential_ttl_s
        self.part_progress = part_progress
        self.recv_buffer_bytes = recv_buffer_bytes
        self.faults: list[Fault] = []
        self.receipt_tamper: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self._faults_lock = threading.Lock()
        for sub in ("packages", "uploads"):
            (self.data_dir / sub).mkdir(parents=True, exist_ok=True)
        self.store = _Store(self.data_dir / "platform.sqlite3")
        self.ca_key, self.ca_cert = self._load_or_create_ca()
        self.cases: dict[str, dict[str, Any]] = demo.seed(self.data_dir) if seed_demo else {}
        self._seed_staff()
        self._complete_locks: dict[str, threading.Lock] = {}
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> str:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET

        class _Server(http.server.ThreadingHTTPServer):
            address_family = family
            daemon_threads = True
            request_queue_size = 64

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self.live: set[socket.socket] = set()
                self.live_lock = threading.Condition()
                super().__init__(*args, **kwargs)

            def process_request(self, request: Any, client_address: Any) -> None:
                with self.live_lock:
                    self.live.add(request)
                super().process_request(request, client_address)

            def shutdown_request(self, request: Any) -> None:
                super().shutdown_request(request)
                with self.live_lock:
                    self.live.discard(request)
                    self.live_lock.notify_all()

            def drop_connections(self) -> None:
                """Stopping means stopping: kept-alive connections must not go on being served."""
                with self.live_lock:
                    live = list(self.live)
                for sock in live:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                with self.live_lock:  # let handlers that were mid-request finish before the store closes
                    self.live_lock.wait_for(lambda: not self.live, timeout=10)

            def handle_error(self, request: Any, client_address: Any) -> None:
                # a client that vanished or failed the TLS handshake: not the platform's fault
                log.debug("connection from %s ended abnormally", client_address, exc_info=True)

        httpd = _Server((self.host, self.port), _make_handler(self), bind_and_activate=False)
        try:
            if self.recv_buffer_bytes:
                # set before listen(): accepted sockets inherit it, with autotuning off
                httpd.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.recv_buffer_bytes)
            httpd.server_bind()
            httpd.server_activate()
        except OSError:
            httpd.server_close()
            raise
        scheme = "http"
        if self.certfile:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.certfile, self.keyfile)
            # handshake in the request thread, so a stalled client cannot block accept()
            httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
            scheme = "https"
        port = httpd.server_address[1]
        host = f"[{self.host}]" if family == socket.AF_INET6 else self.host
        self.url = f"{scheme}://{host}:{port}"
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="reference-platform", daemon=True)
        self._thread.start()
        log.info("reference platform listening on %s", self.url)
        return self.url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd.drop_connections()  # type: ignore[attr-defined]
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def close(self) -> None:
        self.stop()
        self.store.close()

    def __enter__(self) -> ReferencePlatform:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- administration (what the centre's staff would do in the real platform's back office) --
    def issue_enrol_code(self) -> str:
        code = "EN-" + secrets.token_hex(6).upper()
        self.store.execute("INSERT INTO enrol_codes(code) VALUES (?)", (code,))
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
        """"open", "complete", or None when the platform never heard of the package."""
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

    def add_fault(self, fault: Fault) -> Fault:
        with self._faults_lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self._faults_lock:
            for f in self.faults:
                if f.matches(method, path) and (f.times is None or f.hits < f.times):
                    f.hits += 1
                    return f
        return None

    # -- internals --------------------------------------------------------------------------
    def _load_or_create_ca(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key_path, cert_path = self.data_dir / "platform_key.pem", self.data_dir / "platform_cert.pem"
        if key_path.exists() and cert_path.exists():
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise TypeError(f"{key_path} is not an EC key")
            return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
        key, cert = make_ca("漯河市不动产登记中心 终端CA（参考平台）")
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key, cert

    def _seed_staff(self) -> None:
        for staff_no, pin, name, roles in _DEMO_STAFF:
            if not self.store.query("SELECT 1 FROM staff WHERE staff_no=?", (staff_no,)):
                salt = secrets.token_bytes(16)
                self.store.execute("INSERT INTO staff VALUES (?,?,?,?,?)",
                                   (staff_no, name, salt, _pin_hash(pin, salt), json.dumps(roles)))

    def device(self, kiosk_id: str) -> _Device | None:
        rows = self.store.query("SELECT cert_pem, sm2_public_hex, revoked FROM devices WHERE kiosk_id=?", (kiosk_id,))
        if not rows:
            return None
        cert = x509.load_pem_x509_certificate(bytes(rows[0][0]))
        pub = cert.public_key()
        assert isinstance(pub, ec.EllipticCurvePublicKey)
        return _Device(kiosk_id, bytes(rows[0][0]), str(rows[0][1] or ""), pub, bool(rows[0][2]))

    def new_credential(self, kiosk_id: str) -> tuple[str, float]:
        cred = "cred-" + secrets.token_hex(12)
        expires = time.time() + self.credential_ttl_s
        self.store.execute("INSERT INTO credentials VALUES (?,?,?,0)", (cred, kiosk_id, expires))
        return cred, expires

    def complete_lock(self, package_id: str) -> threading.Lock:
        with self._faults_lock:
            return self._complete_locks.setdefault(package_id, threading.Lock())


def _problem_body(p: Problem) -> bytes:
    body = {"type": PROBLEM_TYPE + p.code, "title": p.title, "status": p.status, "code": p.code}
    if p.detail:
        body["detail"] = p.detail
    body.update(p.extra)
    return json.dumps(body, ensure_ascii=False).encode()


def _make_handler(platform: ReferencePlatform) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pf = platform

    return Handler


class _Handler(http.server.BaseHTTPRequestHandler):
    """One request. Routing is a small table; every answer has a Content-Length (keep-alive)."""

    pf: ReferencePlatform
    protocol_version = "HTTP/1.1"
    server_version = "bdc-reference-platform/1"
    timeout = 60  # seconds a connection may sit idle or stall mid-body

    ROUTES: tuple[tuple[str, re.Pattern[str], str, bool], ...] = (
        ("GET", re.compile(r"^/v1/health$"), "health", False),
        ("POST", re.compile(r"^/v1/devices/enrol$"), "enrol", False),
        ("POST", re.compile(r"^/v1/devices/renew$"), "renew", True),
        ("POST", re.compile(r"^/v1/devices/heartbeat$"), "heartbeat", True),
        ("GET", re.compile(r"^/v1/devices/config$"), "config", True),
        ("POST", re.compile(r"^/v1/staff/login$"), "staff_login", True),
        ("GET", re.compile(r"^/v1/cases$"), "case_by_qr", True),
        ("GET", re.compile(r"^/v1/cases/(?P<case_no>[^/]+)$"), "case", True),
        ("GET", re.compile(r"^/v1/cases/(?P<case_no>[^/]+)/documents/(?P<doc_id>[^/]+)$"), "document", True),
        ("GET", re.compile(r"^/v1/cases/(?P<case_no>[^/]+)/parties/(?P<party_id>[^/]+)/photo$"), "photo", True),
        ("POST", re.compile(r"^/v1/packages$"), "create_upload", True),
        ("GET", re.compile(r"^/v1/packages/(?P<package_id>[^/]+)$"), "upload_status", True),
        ("PUT", re.compile(r"^/v1/packages/(?P<package_id>[^/]+)/parts/(?P<n>[0-9]{1,6})$"), "put_part", True),
        ("POST", re.compile(r"^/v1/packages/(?P<package_id>[^/]+)/complete$"), "complete", True),
    )

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        log.debug("%s %s", self.address_string(), scrub_text(format % args))

    # -- plumbing ---------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _send(self, status: int, body: bytes, ctype: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(DATE_HEADER, format_date(utc_now()))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode(), headers=headers)

    def _content_length(self) -> int:
        raw = self.headers.get("Content-Length")
        if raw is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                raise Problem(411, "length_required", "需要 Content-Length", "chunked bodies are not accepted")
            return 0
        try:
            n = int(raw)
        except ValueError:
            self.close_connection = True
            raise Problem(400, "bad_request", "Content-Length 无效") from None
        if n < 0:
            self.close_connection = True
            raise Problem(400, "bad_request", "Content-Length 无效")
        return n

    def _read_small_body(self) -> bytes:
        n = self._content_length()
        if n > MAX_JSON_BYTES:
            self.close_connection = True
            raise Problem(413, "body_too_large", "请求体过大", f"{n} > {MAX_JSON_BYTES} bytes")
        data = self.rfile.read(n) if n else b""
        if len(data) != n:
            self.close_connection = True
            raise ConnectionError("client closed mid-body")
        return data

    def _dispatch(self, method: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        self._body_consumed = False
        try:
            fault = self.pf.take_fault(method, path)
            if fault is not None and self._apply_fault(fault):
                return
            name, auth, params = self._route(method, path)
            kiosk_id = self._authenticate(method, allow_expired=name == "renew") if auth else ""
            getattr(self, "_h_" + name)(kiosk_id=kiosk_id, query=urllib.parse.parse_qs(parsed.query), **params)
        except Problem as p:
            if not self._body_consumed and self.headers.get("Content-Length", "0") not in ("0", ""):
                self.close_connection = True  # unread body: the connection cannot be reused
            self._send(p.status, _problem_body(p), "application/problem+json",
                       {"Retry-After": "1"} if p.status in (429, 503) else None)
        except (ConnectionError, TimeoutError, ssl.SSLError) as exc:
            self.close_connection = True
            log.info("connection dropped during %s %s: %s", method, path, exc)
        except Exception:
            log.exception("reference platform failed on %s %s", method, path)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._send(500, _problem_body(Problem(500, "internal", "平台内部错误")), "application/problem+json")

    def _route(self, method: str, path: str) -> tuple[str, bool, dict[str, str]]:
        for m, pattern, name, auth in self.ROUTES:
            match = pattern.match(path)
            if match and m == method:
                return name, auth, match.groupdict()
        if any(p.match(path) for _m, p, _n, _a in self.ROUTES):
            raise Problem(405, "method_not_allowed", "不支持的请求方法", f"{method} {path}")
        raise Problem(404, "not_found", "没有这个接口", path)

    def _apply_fault(self, f: Fault) -> bool:
        """True when the fault answered (or killed) the request itself."""
        if f.stall_s:
            time.sleep(f.stall_s)  # the point of the fault: a server that does not answer
        if f.reset_after is not None:
            n = self._content_length()
            if f.reset_after:
                self.rfile.read(min(n, f.reset_after))
            # RST instead of FIN: SO_LINGER with a zero timeout
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.close()
            return True
        if f.status is None:
            return False
        self.close_connection = True
        body = f.body if f.body is not None else _problem_body(
            Problem(f.status, {429: "rate_limited", 503: "unavailable"}.get(f.status, "internal"), "注入的故障"))
        ctype = "application/problem+json" if f.body is None else "application/json"
        self._send(f.status, body, ctype, f.headers)
        return True

    # -- authentication -------------------------------------------------------------------
    def _authenticate(self, method: str, *, allow_expired: bool = False) -> str:
        auth = parse_authorization(self.headers.get("Authorization", ""))
        if auth is None:
            raise Problem(401, "unauthenticated", "请求未签名", "missing or malformed Authorization header")
        credential, signature = auth
        rows = self.pf.store.query("SELECT kiosk_id, expires_at, revoked FROM credentials WHERE credential_id=?",
                                   (credential,))
        if not rows:
            raise Problem(401, "unknown_device", "终端未注册或凭据无效", "unknown credential")
        kiosk_id, expires_at, revoked = str(rows[0][0]), float(rows[0][1]), bool(rows[0][2])
        device = self.pf.device(kiosk_id)
        if device is None:
            raise Problem(401, "unknown_device", "终端未注册", kiosk_id)
        if revoked or device.revoked:
            raise Problem(401, "credential_revoked", "终端凭据已被吊销，需要重新注册", kiosk_id)
        date = self.headers.get(DATE_HEADER, "")
        when = parse_date(date)
        if when is None or abs((utc_now() - when).total_seconds()) > CLOCK_WINDOW_S:
            raise Problem(401, "clock_skew", "终端时间与平台相差过大", f"date {date!r}",
                          server_time=format_date(utc_now()))
        nonce = self.headers.get(NONCE_HEADER, "")
        body_sha = self.headers.get(BODY_HASH_HEADER, EMPTY_SHA256).lower()
        if not re.fullmatch(r"[0-9a-f]{64}", body_sha) or not re.fullmatch(r"[A-Za-z0-9_\-]{16,64}", nonce):
            raise Problem(401, "bad_signature", "请求签名无效", "bad nonce or body hash header")
        if not verify_request(device.public_key, signature, method, self.path, date, nonce, body_sha, credential):
            raise Problem(401, "bad_signature", "请求签名无效", "signature does not verify with the enrolled certificate")
        now = time.time()
        if self.pf.store.query("SELECT 1 FROM nonces WHERE nonce=?", (nonce,)):
            raise Problem(401, "replayed", "重复的请求", "nonce already seen")
        self.pf.store.execute("INSERT INTO nonces VALUES (?,?)", (nonce, now))
        if secrets.randbelow(200) == 0:
            self.pf.store.execute("DELETE FROM nonces WHERE seen < ?", (now - 2 * CLOCK_WINDOW_S,))
        if expires_at < now and not allow_expired:
            raise Problem(401, "credential_expired", "终端凭据已过期", "renew at /v1/devices/renew")
        self._signed_body_sha = body_sha
        return kiosk_id

    def _signed_json(self) -> Any:
        data = self._read_small_body()
        self._body_consumed = True
        if hashlib.sha256(data).hexdigest() != getattr(self, "_signed_body_sha", EMPTY_SHA256):
            raise Problem(400, "hash_mismatch", "请求体与签名不符", "body sha256 differs from the signed header")
        return self._parse_json(data)

    @staticmethod
    def _parse_json(data: bytes) -> Any:
        try:
            return json.loads(data.decode("utf-8")) if data else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Problem(400, "bad_json", "请求体不是有效的JSON", str(exc)) from None

    # -- handlers ------------------------------------------------------------------------------
    def _h_health(self, **_: Any) -> None:
        self._json(200, {"status": "ok", "server_time": format_date(utc_now()), "version": "1"})

    def _h_enrol(self, **_: Any) -> None:
        data = self._read_small_body()
        self._body_consumed = True
        body = self._parse_json(data)
        if not isinstance(body, dict):
            raise Problem(400, "bad_request", "请求体必须是JSON对象")
        code, kiosk_id, csr_pem = body.get("enrol_code"), body.get("kiosk_id"), body.get("csr_pem")
        sm2_hex = str(body.get("sm2_public_hex", ""))
        if not isinstance(kiosk_id, str) or not re.fullmatch(r"[A-Za-z0-9\-]{3,40}", kiosk_id):
            raise Problem(400, "bad_request", "终端编号格式不正确", "kiosk_id")
        if not isinstance(csr_pem, str) or not isinstance(code, str):
            raise Problem(400, "bad_request", "缺少注册码或证书请求", "enrol_code, csr_pem")
        if sm2_hex and not re.fullmatch(r"[0-9a-fA-F]{128}", sm2_hex):
            raise Problem(400, "bad_request", "SM2公钥格式不正确", "sm2_public_hex")
        if code != demo.DEMO_ENROL_CODE:
            used = self.pf.store.query("SELECT used_by FROM enrol_codes WHERE code=?", (code,))
            if not used or used[0][0] is not None:
                raise Problem(403, "bad_enrol_code", "注册码无效或已使用", "unknown or used enrol code")
            self.pf.store.execute("UPDATE enrol_codes SET used_by=? WHERE code=?", (kiosk_id, code))
        try:
            cert = issue_certificate(csr_pem.encode(), self.pf.ca_key, self.pf.ca_cert, common_name=kiosk_id)
        except (ValueError, TypeError) as exc:
            raise Problem(400, "bad_csr", "证书请求无效", str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - UserFacingError from a bad CSR signature
            raise Problem(400, "bad_csr", "证书请求无效", str(exc)) from None
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.pf.store.execute("UPDATE credentials SET revoked=1 WHERE kiosk_id=?", (kiosk_id,))
        self.pf.store.execute(
            "INSERT INTO devices VALUES (?,?,?,?,0) ON CONFLICT(kiosk_id) DO UPDATE SET cert_pem=excluded.cert_pem, "
            "sm2_public_hex=excluded.sm2_public_hex, enrolled_at=excluded.enrolled_at, revoked=0",
            (kiosk_id, cert_pem, sm2_hex.lower(), format_date(utc_now())))
        self.pf.store.execute("INSERT INTO device_certs VALUES (?,?,?)",
                              (kiosk_id, cert.public_bytes(serialization.Encoding.DER), format_date(utc_now())))
        cred, expires = self.pf.new_credential(kiosk_id)
        pf_pem = self.pf.platform_certificate_pem().decode()
        self._json(201, {"kiosk_id": kiosk_id, "credential_id": cred,
                         "credential_expires_at": format_date(dt.datetime.fromtimestamp(expires, dt.timezone.utc)),
                         "certificate_pem": cert_pem.decode(), "ca_chain_pem": pf_pem,
                         "platform_cert_pem": pf_pem})

    def _h_renew(self, kiosk_id: str, **_: Any) -> None:
        """A new credential for a device whose key still signs: no enrolment code needed."""
        self._signed_json()
        auth = parse_authorization(self.headers.get("Authorization", ""))
        assert auth is not None
        # the old credential stays usable for a minute so requests already in flight finish
        self.pf.store.execute("UPDATE credentials SET expires_at=MIN(expires_at, ?) WHERE credential_id=?",
                              (time.time() + 60, auth[0]))
        cred, expires = self.pf.new_credential(kiosk_id)
        self._json(200, {"credential_id": cred,
                         "credential_expires_at": format_date(dt.datetime.fromtimestamp(expires, dt.timezone.utc))})

    def _h_heartbeat(self, kiosk_id: str, **_: Any) -> None:
        body = self._signed_json()
        if not isinstance(body, dict):
            raise Problem(400, "bad_request", "心跳必须是JSON对象")
        self.pf.store.execute("INSERT INTO heartbeats VALUES (?,?,?)",
                              (kiosk_id, format_date(utc_now()), json.dumps(body, ensure_ascii=False)))
        self._json(200, {"server_time": format_date(utc_now()), "config_version": _CONFIG_VERSION})

    def _h_config(self, kiosk_id: str, **_: Any) -> None:
        self._json(200, {"version": _CONFIG_VERSION, "kiosk_id": kiosk_id,
                         "settings": {"platform": {"heartbeat_s": 60, "part_size_mb": 8},
                                      "session": {"retention_days": 30, "idle_timeout_s": 120}}})

    def _h_staff_login(self, **_: Any) -> None:
        body = self._signed_json()
        if not isinstance(body, dict):
            raise Problem(400, "bad_request", "请求体必须是JSON对象")
        staff_no, pin = str(body.get("staff_no", "")), str(body.get("pin", ""))
        rows = self.pf.store.query("SELECT name, salt, pin_hash, roles FROM staff WHERE staff_no=?", (staff_no,))
        if not rows or not secrets.compare_digest(_pin_hash(pin, bytes(rows[0][1])), bytes(rows[0][2])):
            raise Problem(401, "staff_login_failed", "工号或密码不正确")
        self._json(200, {"staff_no": staff_no, "name": rows[0][0], "roles": json.loads(rows[0][3]),
                         "token": secrets.token_urlsafe(24),
                         "expires_at": format_date(utc_now() + dt.timedelta(hours=8))})

    def _case(self, case_no: str) -> dict[str, Any]:
        case = self.pf.cases.get(case_no)
        if case is None:
            raise Problem(404, "case_not_found", "没有找到这个受理号的案件，请核对受理号或咨询窗口", case_no)
        return case

    def _h_case(self, case_no: str, **_: Any) -> None:
        self._json(200, self._case(urllib.parse.unquote(case_no)))

    def _h_case_by_qr(self, query: dict[str, list[str]], **_: Any) -> None:
        payload = (query.get("qr") or [""])[0].strip()
        case_no = payload
        m = re.search(r"(?:case_no=|BDC:CASE:|^)([A-Za-z0-9\-]{4,40})(?:$|&)", payload)
        if m:
            case_no = m.group(1)
        self._json(200, self._case(case_no))

    def _h_document(self, case_no: str, doc_id: str, **_: Any) -> None:
        self._case(case_no)
        path = self.pf.data_dir / "demo" / f"{case_no}-{doc_id}.pdf"
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", doc_id) or not path.is_file():
            raise Problem(404, "document_not_found", "文书不存在", f"{case_no}/{doc_id}")
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        self._send(200, data, "application/pdf", {"X-Content-SHA256": sha, "ETag": f'"{sha}"'})

    def _h_photo(self, case_no: str, party_id: str, **_: Any) -> None:
        self._case(case_no)
        path = self.pf.data_dir / "demo" / f"{case_no}-{party_id}.photo"
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", party_id) or not path.is_file():
            raise Problem(404, "photo_not_found", "照片不存在", f"{case_no}/{party_id}")
        data = path.read_bytes()
        ctype = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        self._send(200, data, ctype, {"X-Content-SHA256": hashlib.sha256(data).hexdigest()})

    # -- uploads -------------------------------------------------------------------------------
    def _upload_row(self, package_id: str, kiosk_id: str) -> tuple[Any, ...]:
        rows = self.pf.store.query("SELECT kiosk_id, case_no, files_json, total_size, part_size, state, receipt_json "
                                   "FROM uploads WHERE package_id=?", (package_id,))
        if not rows:
            raise Problem(404, "upload_not_found", "上传任务不存在", package_id)
        if rows[0][0] != kiosk_id:
            raise Problem(403, "forbidden", "该证据包属于其他终端", package_id)
        return rows[0]

    def _status(self, package_id: str, kiosk_id: str) -> dict[str, Any]:
        _k, case_no, _files, total, part_size, state, receipt = self._upload_row(package_id, kiosk_id)
        parts = self.pf.store.query("SELECT n, size, sha256 FROM parts WHERE package_id=? ORDER BY n", (package_id,))
        out: dict[str, Any] = {
            "package_id": package_id, "case_no": case_no, "state": state, "total_size": total,
            "part_size": part_size, "parts_total": max(1, -(-total // part_size)),
            "received": [{"n": n, "size": s, "sha256": h} for n, s, h in parts]}
        if receipt:
            out["receipt"] = json.loads(receipt)
        return out

    def _h_create_upload(self, kiosk_id: str, **_: Any) -> None:
        body = self._signed_json()
        if not isinstance(body, dict):
            raise Problem(400, "bad_request", "请求体必须是JSON对象")
        package_id, case_no = str(body.get("package_id", "")), str(body.get("case_no", ""))
        if not PACKAGE_ID_RE.match(package_id):
            raise Problem(400, "bad_package_id", "证据包编号格式不正确", package_id)
        files = body.get("files")
        if not isinstance(files, list) or not files or len(files) > 10000:
            raise Problem(400, "bad_request", "文件列表为空或过长", "files")
        clean: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, f in enumerate(files):
            if not isinstance(f, dict):
                raise Problem(400, "bad_request", "文件项必须是对象", f"files[{i}]")
            path, size, sha = f.get("path"), f.get("size"), f.get("sha256")
            why = path_problem(path) if isinstance(path, str) else "not a string"
            if why:
                raise Problem(400, "bad_path", "文件路径不安全", f"files[{i}].path {path!r}: {why}")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise Problem(400, "bad_request", "文件大小无效", f"files[{i}].size")
            if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
                raise Problem(400, "bad_request", "文件哈希无效", f"files[{i}].sha256")
            assert isinstance(path, str)
            if path in seen or any(s.startswith(path + "/") or path.startswith(s + "/") for s in seen):
                raise Problem(400, "bad_path", "文件路径重复或冲突", path)
            seen.add(path)
            clean.append({"path": path, "size": size, "sha256": sha})
        if "manifest.json" not in seen:
            raise Problem(400, "bad_request", "证据包缺少 manifest.json", "files")
        total = sum(int(f["size"]) for f in clean)
        if total > self.pf.max_package_bytes:
            raise Problem(413, "package_too_large", "证据包超过平台允许的大小",
                          f"{total} > {self.pf.max_package_bytes} bytes", max_bytes=self.pf.max_package_bytes)
        part_size = body.get("part_size", 8 << 20)
        if not isinstance(part_size, int) or not (64 * 1024 <= part_size <= self.pf.max_part_bytes):
            raise Problem(400, "bad_part_size", "分片大小超出允许范围",
                          f"part_size must be 65536…{self.pf.max_part_bytes}")
        files_json = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        existing = self.pf.store.query("SELECT kiosk_id, files_json FROM uploads WHERE package_id=?", (package_id,))
        if existing:
            if existing[0][0] != kiosk_id or existing[0][1] != files_json:
                raise Problem(409, "conflict", "同编号的证据包已存在且内容不同", package_id)
            self._json(200, self._status(package_id, kiosk_id))
            return
        self.pf.store.execute("INSERT INTO uploads VALUES (?,?,?,?,?,?,?,NULL,?)",
                              (package_id, kiosk_id, case_no, files_json, total, part_size, "open",
                               format_date(utc_now())))
        (self.pf.data_dir / "uploads" / package_id).mkdir(parents=True, exist_ok=True)
        self._json(201, self._status(package_id, kiosk_id), {"Location": f"/v1/packages/{package_id}"})

    def _h_upload_status(self, package_id: str, kiosk_id: str, **_: Any) -> None:
        self._json(200, self._status(package_id, kiosk_id))

    def _h_put_part(self, package_id: str, n: str, kiosk_id: str, **_: Any) -> None:
        _k, _c, _f, total, part_size, state, _r = self._upload_row(package_id, kiosk_id)
        idx = int(n)
        parts_total = max(1, -(-total // part_size))
        if idx >= parts_total:
            raise Problem(400, "bad_part", "分片序号超出范围", f"part {idx} of {parts_total}")
        expected = min(part_size, total - idx * part_size)
        length = self._content_length()
        if length > expected:
            self.close_connection = True
            raise Problem(413, "part_too_large", "分片超过约定大小", f"{length} > {expected} bytes")
        if length != expected:
            self.close_connection = True
            raise Problem(400, "bad_part_size", "分片大小与约定不符", f"{length} != {expected} bytes")
        signed_sha = self._signed_body_sha
        tmp = self.pf.data_dir / "uploads" / package_id / f"{idx}.part.{secrets.token_hex(4)}"
        try:
            got, sha = self._receive_part(tmp, length, package_id, idx)
        except _ShortBody as exc:
            tmp.unlink(missing_ok=True)
            self.pf.store.execute("INSERT INTO part_log VALUES (?,?,?,?,?)",
                                  (package_id, idx, exc.got, "incomplete", time.time()))
            raise
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._body_consumed = True
        if sha != signed_sha:
            tmp.unlink(missing_ok=True)
            self.pf.store.execute("INSERT INTO part_log VALUES (?,?,?,?,?)",
                                  (package_id, idx, got, "hash_mismatch", time.time()))
            raise Problem(400, "hash_mismatch", "分片内容与哈希不符，请重传该分片", f"part {idx}")
        final = self.pf.data_dir / "uploads" / package_id / f"{idx}.part"
        have = self.pf.store.query("SELECT sha256 FROM parts WHERE package_id=? AND n=?", (package_id, idx))
        if state == "complete" or (have and have[0][0] == sha):
            tmp.unlink(missing_ok=True)
            outcome = "duplicate"
        else:
            os.replace(tmp, final)
            self.pf.store.execute("INSERT OR REPLACE INTO parts VALUES (?,?,?,?)", (package_id, idx, got, sha))
            outcome = "stored"
        self.pf.store.execute("INSERT INTO part_log VALUES (?,?,?,?,?)", (package_id, idx, got, outcome, time.time()))
        self._json(200, {"n": idx, "size": got, "sha256": sha, "outcome": outcome})

    def _receive_part(self, tmp: Path, length: int, package_id: str, idx: int) -> tuple[int, str]:
        """Stream the body to `tmp`, fsynced; (bytes, sha256). A short body is a dropped link."""
        h = hashlib.sha256()
        got = 0
        with open(tmp, "wb") as fh:
            while got < length:
                try:
                    chunk = self.rfile.read(min(_CHUNK, length - got))
                except OSError as exc:
                    raise _ShortBody(got, length) from exc
                if not chunk:
                    raise _ShortBody(got, length)
                fh.write(chunk)
                h.update(chunk)
                got += len(chunk)
                if self.pf.part_progress is not None:
                    self.pf.part_progress(package_id, idx, got)
            fh.flush()
            os.fsync(fh.fileno())
        return got, h.hexdigest()

    def _h_complete(self, package_id: str, kiosk_id: str, **_: Any) -> None:
        self._signed_json()
        with self.pf.complete_lock(package_id):
            self._complete(package_id, kiosk_id)

    def _complete(self, package_id: str, kiosk_id: str) -> None:
        _k, case_no, files_json, total, part_size, state, receipt = self._upload_row(package_id, kiosk_id)
        if state == "complete" and receipt:
            self._json(200, json.loads(receipt))
            return
        parts_total = max(1, -(-total // part_size))
        have = {int(r[0]) for r in self.pf.store.query("SELECT n FROM parts WHERE package_id=?", (package_id,))}
        missing = sorted(set(range(parts_total)) - have)
        if missing:
            raise Problem(409, "incomplete", "证据包尚未传完", f"missing parts {missing[:20]}", missing=missing)
        files = json.loads(files_json)
        updir = self.pf.data_dir / "uploads" / package_id
        staging = self.pf.data_dir / "packages" / f".staging-{package_id}"
        shutil.rmtree(staging, ignore_errors=True)
        problems = _assemble(updir, parts_total, files, staging)
        manifest_sha = ""
        if not problems:
            manifest_sha = hashlib.sha256((staging / "manifest.json").read_bytes()).hexdigest()
            problems = self._check_package(staging, kiosk_id, package_id, files)
        if problems:
            shutil.rmtree(staging, ignore_errors=True)
            # the stream is wrong as a whole: drop the parts so the kiosk sends them again
            self.pf.store.execute("DELETE FROM parts WHERE package_id=?", (package_id,))
            raise Problem(422, "package_invalid", "证据包校验未通过", "; ".join(problems)[:2000], problems=problems)
        final = self.pf.data_dir / "packages" / package_id
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
        rec = Receipt(package_id=package_id, case_no=case_no, kiosk_id=kiosk_id,
                      received_at=format_date(utc_now()), manifest_sha256=manifest_sha, total_size=total,
                      files=len(files), receipt_id="RC-" + secrets.token_hex(8))
        if self.pf.receipt_tamper is not None:
            rec = Receipt.from_json({**self.pf.receipt_tamper(rec.to_json()), "signature_b64": ""})
        rec = rec.sign(self.pf.ca_key)
        self.pf.store.execute("UPDATE uploads SET state='complete', receipt_json=? WHERE package_id=?",
                              (json.dumps(rec.to_json(), ensure_ascii=False), package_id))
        shutil.rmtree(updir, ignore_errors=True)
        log.info("package %s stored (%d bytes, %d files)", package_id, total, len(files))
        self._json(200, rec.to_json())

    def _check_package(self, pkg: Path, kiosk_id: str, package_id: str, files: list[dict[str, Any]]) -> list[str]:
        try:
            manifest = json.loads((pkg / "manifest.json").read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return ["manifest.json 不是有效的JSON"]
        if not isinstance(manifest, dict) or manifest.get("package_id") != package_id:
            return ["manifest.json 中的证据包编号与上传编号不一致"]
        device = self.pf.device(kiosk_id)
        assert device is not None
        from kiosk.evidence.manifest import check_manifest

        trusted = self._issued_cert_of(pkg, kiosk_id) or device.cert_pem
        return check_manifest(pkg, trusted, trusted_sm2_public_hex=device.sm2_public_hex or None)

    def _issued_cert_of(self, pkg: Path, kiosk_id: str) -> bytes | None:
        """The certificate the package was signed with, when this platform issued it to this
        kiosk (an earlier enrolment): packages queued before a re-enrolment stay acceptable."""
        try:
            sigs = json.loads((pkg / "manifest.sig.json").read_bytes().decode("utf-8"))
            cert = x509.load_pem_x509_certificate(str(sigs["device"]["cert_pem"]).encode("ascii"))
        except (OSError, ValueError, KeyError, TypeError, UnicodeError):
            return None
        der = cert.public_bytes(serialization.Encoding.DER)
        rows = self.pf.store.query("SELECT 1 FROM device_certs WHERE kiosk_id=? AND cert_der=?", (kiosk_id, der))
        return cert.public_bytes(serialization.Encoding.PEM) if rows else None


def _assemble(updir: Path, parts_total: int, files: list[dict[str, Any]], dest: Path) -> list[str]:
    """Split the concatenated parts back into the declared files under `dest`; the hash problems."""
    dest.mkdir(parents=True)
    problems: list[str] = []
    part_idx, part_fh = 0, open(updir / "0.part", "rb")  # noqa: SIM115 - handed over part by part
    try:
        for f in files:
            target = dest / f["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            remaining = int(f["size"])
            h = hashlib.sha256()
            with open(target, "wb") as out:
                while remaining:
                    chunk = part_fh.read(min(_CHUNK, remaining))
                    if not chunk:
                        part_fh.close()
                        part_idx += 1
                        if part_idx >= parts_total:
                            problems.append(f"{f['path']}: 数据不足")
                            return problems
                        part_fh = open(updir / f"{part_idx}.part", "rb")  # noqa: SIM115
                        continue
                    out.write(chunk)
                    h.update(chunk)
                    remaining -= len(chunk)
                out.flush()
                os.fsync(out.fileno())
            if h.hexdigest() != f["sha256"]:
                problems.append(f"{f['path']}: SHA-256 与声明不符")
    finally:
        part_fh.close()
    return problems
