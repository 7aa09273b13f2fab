"""A rogue or broken platform: a real HTTP server on loopback answers every request with a
status, headers and body drawn by hypothesis. Whatever it says, each client call returns its
documented type or raises `PlatformError` (never another exception), in bounded time, and the
uploader never marks a package as delivered without a receipt signed by the platform key."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import PlatformSettings, StatePaths
from kiosk.evidence.manifest import write_manifest
from kiosk.platform import Outbox, PlatformClient, Uploader
from kiosk.platform.client import CREDENTIAL_FILE, PlatformError
from kiosk.platform.protocol import Receipt
from kiosk.security.keys import DeviceKeys, make_ca

pytestmark = pytest.mark.allow_log_warnings  # the client logs re-enrolment and clock warnings on purpose

KIOSK_ID = "LH-KIOSK-0099"
PACKAGE_ID = "LH2026-000123-LH-KIOSK-0099-20261128120000"
EXAMPLES = 25  # per client call; 12 calls


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"{}"


class _Rogue(BaseHTTPRequestHandler):
    answer = Answer()
    requests_seen = 0

    def _reply(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        type(self).requests_seen += 1
        a = type(self).answer
        self.send_response(a.status)
        for k, v in a.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(a.body)))
        self.end_headers()
        self.wfile.write(a.body)

    do_GET = do_POST = do_PUT = _reply  # noqa: N815 - http.server's naming

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base
        pass


@pytest.fixture(scope="module")
def rogue() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Rogue)
    t = threading.Thread(target=srv.serve_forever, name="rogue-platform", daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/kiosk-api"
    srv.shutdown()
    srv.server_close()
    t.join(5)


@dataclass
class Kiosk:
    client: PlatformClient
    outbox: Outbox
    uploader: Uploader
    keys: DeviceKeys


@pytest.fixture(scope="module")
def kiosk(rogue: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    root = tmp_path_factory.mktemp("rogue-kiosk")
    paths = StatePaths(root).ensure()
    keys = DeviceKeys(paths.keys)
    keys.ensure_demo_certificate(KIOSK_ID)
    _, platform_cert = make_ca("平台签名证书")
    (paths.keys / CREDENTIAL_FILE).write_text(json.dumps({
        "platform_url": rogue, "kiosk_id": KIOSK_ID, "credential_id": "cred-1", "credential_expires_at": "",
        "platform_cert_pem": platform_cert.public_bytes(serialization.Encoding.PEM).decode()}), encoding="utf-8")
    settings = PlatformSettings(url=rogue, timeout_s=2.0)
    client = PlatformClient(rogue, settings, keys, KIOSK_ID, paths.keys)
    client.max_attempts = 2
    client.backoff_base_s = 0.001
    client.backoff_cap_s = 0.005
    outbox = Outbox(paths.outbox, keys.cipher(), min_free_bytes=1 << 20)
    pkg = root / "pkg" / PACKAGE_ID
    (pkg / "recordings").mkdir(parents=True)
    (pkg / "recordings" / "p1.mp4").write_bytes(b"\x00" * 200_000)
    (pkg / "audit.jsonl").write_text('{"event": "start"}\n', encoding="utf-8")
    write_manifest(pkg, {"package_id": PACKAGE_ID, "case_no": "LH2026-000123", "kiosk_id": KIOSK_ID,
                         "status": "completed", "parties": [], "steps": []}, keys)
    outbox.enqueue(pkg, PACKAGE_ID, "LH2026-000123")
    k = Kiosk(client, outbox, Uploader(outbox, client, retention_days=0), keys)
    yield k
    k.uploader.stop()
    client.close()
    outbox.close()


# -- what a rogue platform may say ----------------------------------------------------------------
_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                     st.floats(allow_nan=False), st.text(max_size=40))
_json = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                        st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                     max_leaves=25)
_fields = st.fixed_dictionaries({}, optional={
    "code": st.sampled_from(["credential_expired", "credential_revoked", "unknown_device", "clock_skew",
                             "case_not_found", "incomplete", "hash_mismatch", "", "x"]),
    "server_time": st.one_of(st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00",
                                              "2026-11-28T12:00:00Z", "2026-11-28T12:00:00", "garbage"]),
                             st.text(max_size=30)),
    "title": st.one_of(st.text(max_size=30), st.just("\n"), st.just("请扫码\u202e付款" * 200)), "detail": _json,
    "state": st.sampled_from(["complete", "open", "x"]), "receipt": _json,
    "part_size": st.one_of(st.integers(min_value=-5, max_value=2 ** 40), st.text(max_size=5), st.none(),
                           st.floats()),
    "received": _json, "credential_id": _json, "status": _json,
    "package_id": st.just(PACKAGE_ID), "case_no": _json, "kiosk_id": _json, "received_at": _json,
    "manifest_sha256": _json, "total_size": _json, "files": _json, "receipt_id": _json,
    "signature_b64": st.one_of(st.text(max_size=20), st.just("MEUCIQ==")),
})
_raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"[" * 50_000, b'{"a":' * 20_000, b"1e99999", b"NaN", b'"\\ud800"', b"\xff\xfe{}",
                     b'{"part_size": 1e400}', b"{" + b'"k":1,' * 10_000 + b'"z":2}']),
)
_bodies = st.one_of(_fields.map(lambda d: json.dumps(d, allow_nan=True).encode()),
                    _json.map(lambda v: json.dumps(v).encode()), _raw_bodies)
_statuses = st.one_of(st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 413, 429, 500, 502, 503]),
                      st.integers(min_value=200, max_value=599))
_headers = st.fixed_dictionaries({}, optional={
    "Retry-After": st.sampled_from(["1", "0", "-3", "1e9", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"]),
    "Content-Type": st.sampled_from(["application/json", "text/html", "application/problem+json; charset=gbk"]),
    "Date": st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
})
answers = st.builds(Answer, status=_statuses, headers=_headers, body=_bodies)

_DOC = SimpleNamespace(url="v1/documents/d1", sha256="0" * 64, title="不动产登记申请书", doc_id="d1")
CALLS: dict[str, Any] = {
    "health": lambda c: c.health(),
    "get_case": lambda c: c.get_case("LH2026-000123"),
    "get_case_by_qr": lambda c: c.get_case_by_qr("BDC:LH2026-000123"),
    "download_document": lambda c: c.download_document(_DOC),
    "staff_login": lambda c: c.staff_login("0001", "123456"),
    "heartbeat": lambda c: c.heartbeat({"outbox": {"depth": 1}}),
    "remote_config": lambda c: c.remote_config(),
    "create_upload": lambda c: c.create_upload(PACKAGE_ID, "LH2026-000123", [], 1 << 20),
    "upload_status": lambda c: c.upload_status(PACKAGE_ID),
    "put_part": lambda c: c.put_part(PACKAGE_ID, 0, b"part"),
    "complete": lambda c: c.complete(PACKAGE_ID),
    "renew": lambda c: c.renew(),
}
TRIED: dict[str, int] = {}


@pytest.mark.parametrize("call", sorted(CALLS))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=answers)
def test_any_answer_is_a_result_or_a_platform_error(kiosk: Kiosk, answer: Answer, call: str) -> None:
    _Rogue.answer = answer
    TRIED[call] = TRIED.get(call, 0) + 1
    client = kiosk.client
    saved = dict(client.credential or {})
    try:
        result = CALLS[call](client)
    except PlatformError as exc:
        assert exc.message and isinstance(exc.code, str)
        # shown on the kiosk screen: one printable line of bounded length, whatever the platform sent
        assert exc.message.isprintable() and len(exc.message) <= 100, repr(exc.message)
        assert "Traceback" not in exc.message
        return
    finally:
        client.credential = saved  # a fuzzed renewal must not poison the next example
        client._clock_offset = client._clock_offset.__class__(0)
    if call == "complete":
        pytest.fail(f"a receipt not signed by the platform key was accepted: {result}")
    if call == "download_document":
        pytest.fail("a document whose hash differs from the case was accepted")
    if call == "renew":
        assert result is None and isinstance(client.credential, dict)
        return
    assert isinstance(result, dict), (call, type(result))


@settings(max_examples=4 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=answers)
def test_uploader_never_delivers_without_a_signed_receipt(kiosk: Kiosk, answer: Answer) -> None:
    """Whatever the platform answers, one pass of the uploader leaves the package queued
    (ready for a retry or failed for the technician), never 'done' and never stuck in
    'uploading', and its encrypted copy stays on disk."""
    _Rogue.answer = answer
    kiosk.outbox.retry_failed()
    saved = dict(kiosk.client.credential or {})
    try:
        receipts = kiosk.uploader.drain_once()
    finally:
        kiosk.client.credential = saved
        kiosk.client._clock_offset = kiosk.client._clock_offset.__class__(0)
    assert receipts == []
    item = kiosk.outbox.get(PACKAGE_ID)
    assert item is not None and item.state in ("ready", "failed"), item
    assert kiosk.outbox.receipt(PACKAGE_ID) is None
    assert (kiosk.outbox.store / PACKAGE_ID).is_dir()
    assert kiosk.outbox.purge(now=4e9) == []


def test_a_genuinely_signed_receipt_is_still_accepted(kiosk: Kiosk) -> None:
    """Guard against the fuzz passing because nothing could ever be accepted: a receipt the
    platform key really signed goes through `complete`."""
    key, cert = make_ca("平台签名证书-2")
    saved = dict(kiosk.client.credential or {})
    kiosk.client.credential = {**saved, "platform_cert_pem": cert.public_bytes(serialization.Encoding.PEM).decode()}
    try:
        rec = Receipt(PACKAGE_ID, "LH2026-000123", KIOSK_ID, "2026-11-28T12:00:00+08:00", "a" * 64, 10, 2,
                      "r-1").sign(key)
        _Rogue.answer = Answer(200, {"Content-Type": "application/json"}, json.dumps(rec.to_json()).encode())
        assert kiosk.client.complete(PACKAGE_ID) == rec
        _Rogue.answer = Answer(200, {}, json.dumps({**rec.to_json(), "files": 3}).encode())
        with pytest.raises(PlatformError) as err:
            kiosk.client.complete(PACKAGE_ID)
        assert err.value.code == "bad_receipt"
    finally:
        kiosk.client.credential = saved


def test_every_call_was_fuzzed() -> None:
    """Each client call got its share of answers (runs after the fuzz in file order)."""
    if not TRIED:
        pytest.skip("run together with the fuzz test")
    assert set(TRIED) == set(CALLS), sorted(set(CALLS) - set(TRIED))
    assert min(TRIED.values()) >= min(EXAMPLES, 10), TRIED
    assert _Rogue.requests_seen >= sum(TRIED.values())
