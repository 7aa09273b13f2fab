"""The reference platform and the client over real HTTP on loopback (IPv4 and ::1)."""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from platform_fixtures import KIOSK_ID, Kiosk, ipv6_available, make_kiosk, make_package, tree_bytes

from kiosk.idnumber import is_valid_id_number
from kiosk.model import BusinessType, parse_case
from kiosk.platform import PlatformError
from kiosk.platform.client import DeviceAuth, spki_sha256
from kiosk.platform.demo import DEMO_CASE_NO, demo_case_numbers, demo_personas
from kiosk.platform.protocol import Receipt
from kiosk.security.keys import make_ca
from refplatform import ReferencePlatform

HOSTS = ["127.0.0.1", pytest.param("::1", marks=pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback"))]


@pytest.mark.parametrize("host", HOSTS)
def test_enrol_fetch_upload_roundtrip(tmp_path: Path, host: str) -> None:
    srv = ReferencePlatform(tmp_path / "pf", host=host, demo=True)
    try:
        url = srv.start()
        assert (f"[{host}]" if ":" in host else host) in url
        k = make_kiosk(tmp_path / "state", url)
        case = parse_case(k.client.get_case(DEMO_CASE_NO))
        assert [p.party_id for p in case.parties] == ["p1", "p2"]
        for doc in case.documents:
            pdf = k.client.download_document(doc)
            assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == doc.sha256
        photos = [k.client.download_photo(p) for p in case.parties]
        assert photos[0] is not None and photos[0][:3] == b"\xff\xd8\xff"  # grace_hopper.jpg
        assert photos[1] is not None and photos[1][:8] == b"\x89PNG\r\n\x1a\n"  # astronaut.png
        assert k.client.get_case_by_qr(f"BDC:CASE:{DEMO_CASE_NO}")["case_no"] == DEMO_CASE_NO

        pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128101500"
        pkg = make_package(k.keys, tmp_path / "sessions", pid, recording_bytes=2_600_000)
        k.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
        [receipt] = k.uploader.drain_once()
        assert receipt.package_id == pid
        assert receipt.manifest_sha256 == hashlib.sha256((pkg / "manifest.json").read_bytes()).hexdigest()
        assert srv.stored_packages() == [pid]
        assert tree_bytes(srv.data_dir / "packages" / pid) == tree_bytes(pkg)
        log = srv.part_log(pid)
        parts = -(-sum(p.stat().st_size for p in pkg.rglob("*") if p.is_file()) // (1 << 20))
        assert parts >= 3 and sorted(n for n, _s, _o in log) == list(range(parts))
        assert {o for _n, _s, o in log} == {"stored"}
        st = k.outbox.status()
        assert st["depth"] == 0 and st["last_upload"]["package_id"] == pid
        k.close()
    finally:
        srv.close()


def test_demo_cases_cover_all_business_types(platform: ReferencePlatform, kiosk: Kiosk) -> None:
    seen = set()
    for case_no in demo_case_numbers():
        case = parse_case(kiosk.client.get_case(case_no))
        seen.add(case.business_type)
        for doc in case.documents:
            assert doc.anchors and doc.page_size and doc.pages
            for a in doc.anchors:
                x, y, w, h = a.rect
                assert x + w <= doc.page_size[0] and y + h <= doc.page_size[1] and a.page <= doc.pages
        for party in case.parties:
            script = case.script_for(party.party_id)
            assert script is not None and party.signer_name in script.statement
            assert case.property.location in script.statement
            assert 1 <= len(script.questions) <= 3
            assert any(q.expect == "deny" and "有没有人强迫" in q.ask for q in script.questions)
            assert case.anchors_for(party.party_id)
    assert seen == set(BusinessType)
    legal = [p for c in demo_case_numbers() for p in parse_case(kiosk.client.get_case(c)).parties if p.kind == "legal"]
    assert legal and all(p.agent is not None for p in legal)
    mortgage = parse_case(kiosk.client.get_case("LH2026-000125"))
    bank = next(p for p in mortgage.parties if p.kind == "legal")
    assert any(a.kind == "seal" for _d, a in mortgage.anchors_for(bank.party_id))


def test_demo_main_case_and_personas(kiosk: Kiosk) -> None:
    case = parse_case(kiosk.client.get_case(DEMO_CASE_NO))
    assert case.business_type == BusinessType.RESALE_TRANSFER
    assert [(p.party_id, p.role, p.kind) for p in case.parties] == [("p1", "义务人", "person"), ("p2", "权利人", "person")]
    titles = [d.title for d in case.documents]
    assert titles == ["不动产登记申请书", "存量房买卖合同"]
    app = case.documents[0]
    assert app.pages == 2 and {(a.party_id, a.page) for a in app.anchors} == {("p1", 2), ("p2", 2)}
    assert {a.party_id for a in case.documents[1].anchors} == {"p1", "p2"}
    assert "漯河市" in case.property.location
    personas = demo_personas()
    for p in case.parties:
        persona = personas[p.party_id]
        assert persona.id_number == p.id_number and persona.name == p.name
        assert is_valid_id_number(persona.id_number)
        assert persona.birth.replace("-", "") == persona.id_number[6:14]
        assert persona.sex == ("男" if int(persona.id_number[16]) % 2 else "女")
        assert persona.photo is not None and persona.photo.exists()


def test_second_complete_returns_the_same_receipt(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128101600"
    pkg = make_package(kiosk.keys, tmp_path / "s", pid)
    kiosk.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
    kiosk.outbox.enqueue(pkg, pid, DEMO_CASE_NO)  # idempotent
    [first] = kiosk.uploader.drain_once()
    again = kiosk.client.complete(pid)
    assert again == first
    # declaring the same upload again answers its completed state, nothing is stored twice
    item = kiosk.outbox.get(pid)
    assert item is not None
    status = kiosk.client.create_upload(pid, DEMO_CASE_NO, item.files, 1 << 20)
    assert status["state"] == "complete" and status["receipt"] == first.to_json()
    assert platform.stored_packages() == [pid]
    key = kiosk.client.platform_public_key()
    assert key is not None and first.signature_valid(key)
    forged = Receipt(**{**first.to_json(), "manifest_sha256": "0" * 64})
    assert not forged.signature_valid(key)


def _signed(kiosk: Kiosk) -> requests.Session:
    s = requests.Session()
    s.auth = kiosk.client.auth()
    return s


def test_rejects_path_traversal_and_bad_names(platform: ReferencePlatform, kiosk: Kiosk) -> None:
    s = _signed(kiosk)
    good = {"path": "manifest.json", "size": 3, "sha256": "a" * 64}
    for bad in ("../etc/passwd", "/abs/file", "documents/../../x", "C:/win.ini", "a\\b", "ok/./x", "x\x00y"):
        r = s.post(platform.url + "/v1/packages", timeout=5,
                   json={"package_id": "P-0001", "case_no": DEMO_CASE_NO, "part_size": 65536,
                         "files": [good, {"path": bad, "size": 1, "sha256": "b" * 64}]})
        assert r.status_code == 400, bad
        assert r.headers["Content-Type"] == "application/problem+json"
        assert r.json()["code"] == "bad_path", bad
    assert not list((platform.data_dir / "uploads").iterdir())


def test_rejects_oversize_package_and_part(tmp_path: Path) -> None:
    srv = ReferencePlatform(tmp_path / "pf", max_package_bytes=200_000, seed_demo=False, demo=True)
    try:
        k = make_kiosk(tmp_path / "st", srv.start())
        s = _signed(k)
        big = {"package_id": "P-big", "case_no": "X-0001", "part_size": 65536,
               "files": [{"path": "manifest.json", "size": 200_001, "sha256": "a" * 64}]}
        r = s.post(srv.url + "/v1/packages", json=big, timeout=5)
        assert r.status_code == 413 and r.json()["code"] == "package_too_large"
        ok = {**big, "package_id": "P-ok", "files": [{"path": "manifest.json", "size": 100_000, "sha256": "a" * 64}]}
        assert s.post(srv.url + "/v1/packages", json=ok, timeout=5).status_code == 201
        r = s.put(srv.url + "/v1/packages/P-ok/parts/0", data=b"x" * 70_000, timeout=5)
        assert r.status_code == 413 and r.json()["code"] == "part_too_large"
        r = s.put(srv.url + "/v1/packages/P-ok/parts/9", data=b"x", timeout=5)
        assert r.status_code == 400 and r.json()["code"] == "bad_part"
        k.close()
    finally:
        srv.close()


def test_rejects_unknown_devices_bad_signatures_and_replays(platform: ReferencePlatform, kiosk: Kiosk) -> None:
    url = platform.url + f"/v1/cases/{DEMO_CASE_NO}"
    r = requests.get(url, timeout=5)
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    stranger = ec.generate_private_key(ec.SECP256R1())
    r = requests.get(url, auth=DeviceAuth(stranger, "cred-unknown", "X-1"), timeout=5)
    assert r.status_code == 401 and r.json()["code"] == "unknown_device"
    cred = str(kiosk.client.credential["credential_id"])  # type: ignore[index]
    r = requests.get(url, auth=DeviceAuth(stranger, cred, KIOSK_ID), timeout=5)
    assert r.status_code == 401 and r.json()["code"] == "bad_signature"
    # a body changed after signing
    prepared = requests.Request("POST", platform.url + "/v1/devices/heartbeat", json={"kiosk_id": KIOSK_ID},
                                auth=kiosk.client.auth()).prepare()
    prepared.body = b'{"kiosk_id": "EVIL"}'
    prepared.headers["Content-Length"] = str(len(prepared.body))
    with requests.Session() as s:
        r = s.send(prepared, timeout=5)
        assert r.status_code == 400 and r.json()["code"] == "hash_mismatch"
        ok = requests.Request("GET", url, auth=kiosk.client.auth()).prepare()
        assert s.send(ok, timeout=5).status_code == 200
        r = s.send(ok, timeout=5)  # the same signed request again
        assert r.status_code == 401 and r.json()["code"] == "replayed"
    assert platform.heartbeats(KIOSK_ID) == []


def test_part_with_wrong_hash_is_refused(platform: ReferencePlatform, kiosk: Kiosk) -> None:
    s = _signed(kiosk)
    body = {"package_id": "P-hash", "case_no": DEMO_CASE_NO, "part_size": 65536,
            "files": [{"path": "manifest.json", "size": 4, "sha256": hashlib.sha256(b"abcd").hexdigest()}]}
    assert s.post(platform.url + "/v1/packages", json=body, timeout=5).status_code == 201
    prepared = requests.Request("PUT", platform.url + "/v1/packages/P-hash/parts/0", data=b"abcd",
                                auth=kiosk.client.auth()).prepare()
    prepared.body = b"abce"
    r = s.send(prepared, timeout=5)
    assert r.status_code == 400 and r.json()["code"] == "hash_mismatch"
    assert platform.part_log("P-hash") == [(0, 4, "hash_mismatch")]
    assert s.get(platform.url + "/v1/packages/P-hash", timeout=5).json()["received"] == []


def test_complete_refuses_a_package_whose_manifest_does_not_match(platform: ReferencePlatform, kiosk: Kiosk,
                                                                    tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128101700"
    pkg = make_package(kiosk.keys, tmp_path / "s", pid)
    (pkg / "audit.jsonl").write_text('{"event": "edited after signing"}\n', encoding="utf-8")
    kiosk.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
    assert kiosk.uploader.drain_once() == []
    item = kiosk.outbox.get(pid)
    assert item is not None and item.state == "failed" and "package_invalid" in item.reason
    assert platform.stored_packages() == []
    assert (kiosk.paths.outbox / "store" / pid).is_dir()  # the local copy stays for the technician
    assert any("package_invalid" in r.getMessage() and "audit.jsonl" in r.getMessage() for r in caplog.records)


def test_document_with_wrong_hash_is_refused(kiosk: Kiosk) -> None:
    case = parse_case(kiosk.client.get_case(DEMO_CASE_NO))
    doc = case.documents[0].model_copy(update={"sha256": "0" * 64})
    with pytest.raises(PlatformError) as err:
        kiosk.client.download_document(doc)
    assert err.value.code == "document_hash_mismatch"


def test_case_not_found_and_staff_login(kiosk: Kiosk) -> None:
    with pytest.raises(PlatformError) as err:
        kiosk.client.get_case("LH2026-999999")
    assert err.value.code == "case_not_found" and err.value.status == 404 and "受理号" in err.value.message
    assert kiosk.client.staff_login("9001", "135790")["roles"] == ["technician", "counter"]
    with pytest.raises(PlatformError) as err:
        kiosk.client.staff_login("9001", "000000")
    assert err.value.code == "staff_login_failed"
    cfg = kiosk.client.remote_config()
    assert cfg["settings"]["platform"]["heartbeat_s"] >= 10


def test_heartbeat_reports_outbox_depth_and_health(platform: ReferencePlatform, kiosk: Kiosk,
                                                   tmp_path: Path) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128101800"
    kiosk.outbox.enqueue(make_package(kiosk.keys, tmp_path / "s", pid), pid, DEMO_CASE_NO)
    kiosk.uploader.health = lambda: {"camera": {"ok": True}, "disk_free_mb": 1234}
    kiosk.uploader.heartbeat()
    [beat] = platform.heartbeats(KIOSK_ID)
    assert beat["outbox"]["depth"] == 1 and beat["health"]["disk_free_mb"] == 1234
    assert beat["kiosk_id"] == KIOSK_ID


def test_enrolment_code_is_single_use(platform: ReferencePlatform, tmp_path: Path) -> None:
    code = platform.issue_enrol_code(KIOSK_ID)
    a = make_kiosk(tmp_path / "a", platform.url, enrol=False)
    a.client.ensure_enrolled(code)
    assert a.keys.certificate() is not None
    cert_pem = platform.enrolled_certificate(KIOSK_ID)
    assert cert_pem is not None and x509.load_pem_x509_certificate(cert_pem).public_key().public_numbers() == \
        a.keys.signing_key.public_key().public_numbers()
    b = make_kiosk(tmp_path / "b", platform.url, enrol=False)
    with pytest.raises(PlatformError) as err:
        b.client.ensure_enrolled(code)
    assert err.value.code == "already_enrolled"  # used code, and the id is taken by a's key
    with pytest.raises(PlatformError) as err:
        a.client.enrol(code)  # the same device with its own key: the code is used up all the same
    assert err.value.code == "bad_enrol_code"
    with pytest.raises(PlatformError) as err:
        make_kiosk(tmp_path / "c", platform.url, enrol=False).client.ensure_enrolled(None)
    assert err.value.code == "not_enrolled"
    a.close()
    b.close()


def _server_cert(tmp_path: Path) -> tuple[Path, Path, Path]:
    ca_key, ca_cert = make_ca("测试CA")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = tmp_path / "srv.crt", tmp_path / "srv.key", tmp_path / "ca.crt"
    paths[0].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    paths[2].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return paths


def test_https_with_ca_bundle_and_pinning(tmp_path: Path) -> None:
    crt, key, ca = _server_cert(tmp_path)
    srv = ReferencePlatform(tmp_path / "pf", certfile=str(crt), keyfile=str(key), demo=True)
    try:
        url = srv.start()
        assert url.startswith("https://127.0.0.1:")
        pin = spki_sha256(x509.load_pem_x509_certificate(crt.read_bytes()).public_bytes(serialization.Encoding.DER))
        k = make_kiosk(tmp_path / "ok", url, ca_bundle=str(ca), pin=pin)
        assert k.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO
        k.close()
        with pytest.raises(PlatformError) as err:
            make_kiosk(tmp_path / "nopin", url, ca_bundle=str(ca), pin="0" * 64)
        assert err.value.code == "pin_mismatch"
        with pytest.raises(PlatformError) as err:
            make_kiosk(tmp_path / "noca", url)  # system CAs do not know the test CA
        assert err.value.code == "tls_error"
        assert json.loads(requests.get(url + "/v1/health", verify=str(ca), timeout=5).text)["status"] == "ok"
    finally:
        srv.close()


def test_kiosk_clock_off_by_an_hour_is_corrected(kiosk: Kiosk, caplog: pytest.LogCaptureFixture) -> None:
    kiosk.client._clock_offset = dt.timedelta(hours=-1)
    assert kiosk.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO
    assert abs(kiosk.client._clock_offset.total_seconds()) < 60
    assert any("clock differs" in r.getMessage() for r in caplog.records)


def test_data_directory_is_private(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path) -> None:
    """Whatever the process umask: the data directory and everything in it are the owner's only."""
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128101900"
    kiosk.outbox.enqueue(make_package(kiosk.keys, tmp_path / "s", pid), pid, DEMO_CASE_NO)
    assert [r.package_id for r in kiosk.uploader.drain_once()] == [pid]
    kiosk.client.staff_login("0001", "246810")
    seen = 0
    for p in [platform.data_dir, *platform.data_dir.rglob("*")]:
        mode = p.stat().st_mode & 0o777
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))
        seen += 1
    assert (platform.data_dir / "packages" / pid / "documents" / "d1.pdf").is_file() and seen > 20
