"""Chain of custody: each attack that was once reproduced against the reference platform on
loopback, replayed, and refused with a precise answer.

The platform receipts only what `verify` accepts for this device and this case; enrolment codes
cannot take over a kiosk; personal data leaves only with presence; staff sessions are checked;
package ids cannot be squatted; late and repeated calls never cause a 5xx.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.serialization import Encoding
from platform_fixtures import KIOSK_ID, Kiosk, make_kiosk, make_package

from kiosk.audit import append_event
from kiosk.evidence.manifest import write_manifest
from kiosk.evidence.sample import sample_audit
from kiosk.platform import PlatformError
from kiosk.platform.demo import DEMO_CASE_NO, DEMO_ENROL_CODE, demo_personas
from kiosk.platform.protocol import Receipt
from kiosk.security.keys import DeviceKeys
from refplatform import ReferencePlatform, staff

PART = 1 << 20


def _declared(pkg: Path) -> tuple[list[dict[str, Any]], bytes]:
    """The files of a package as `create` declares them, and the stream the parts are cut from."""
    paths = sorted(p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file())
    files = []
    for rel in paths:
        data = (pkg / rel).read_bytes()
        files.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return files, b"".join((pkg / rel).read_bytes() for rel in paths)


def _upload(client: Any, pkg: Path, pid: str, case_no: str = DEMO_CASE_NO) -> Receipt:
    """create → every part → complete, straight through the client (no outbox in between)."""
    files, stream = _declared(pkg)
    client.create_upload(pid, case_no, files, PART)
    for n in range(max(1, -(-len(stream) // PART))):
        client.put_part(pid, n, stream[n * PART:(n + 1) * PART])
    return client.complete(pid)  # type: ignore[no-any-return]


def _resign(pkg: Path, keys: DeviceKeys) -> None:
    """What an attacker holding the device key does after changing a file: a valid manifest again."""
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    for k in ("files", "format"):
        m.pop(k, None)
    (pkg / "manifest.json").unlink()
    (pkg / "manifest.sig.json").unlink()
    write_manifest(pkg, m, keys)


def _refused(exc: pytest.ExceptionInfo[PlatformError], code: str, *words: str) -> str:
    assert exc.value.code == code, (exc.value.code, exc.value.detail)
    assert exc.value.status < 500
    for w in words:
        assert w in exc.value.detail, (w, exc.value.detail)
    return exc.value.detail


def _not_receipted(platform: ReferencePlatform, kiosk: Kiosk, pkg: Path, pid: str, *words: str,
                   case_no: str = DEMO_CASE_NO) -> str:
    """Upload `pkg`: refused with a 422 naming the problem, not stored, no receipt."""
    with pytest.raises(PlatformError) as exc:
        _upload(kiosk.client, pkg, pid, case_no=case_no)
    detail = _refused(exc, "package_invalid", *words)
    assert pid not in platform.stored_packages() and platform.upload_state(pid) == "rejected"
    return detail


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[ReferencePlatform]:
    """A platform as deployed: no demo enrolment code, case data only with presence."""
    srv = ReferencePlatform(tmp_path / "strict", require_presence=True)
    srv.start()
    yield srv
    srv.close()


# -- 1. complete runs the full verification -------------------------------------------------
def test_broken_pades_signature_is_not_receipted(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150000"
    pkg = make_package(kiosk.keys, tmp_path / "s", pid)
    pdf = bytearray((pkg / "documents" / "d1.pdf").read_bytes())
    at = pdf.index(b"\nendobj", 400) - 1
    pdf[at] ^= 0x01  # one byte inside the signed range
    (pkg / "documents" / "d1.pdf").write_bytes(bytes(pdf))
    _resign(pkg, kiosk.keys)
    with pytest.raises(PlatformError) as exc:
        _upload(kiosk.client, pkg, pid)
    _refused(exc, "package_invalid", "documents/d1.pdf")
    assert platform.upload_state(pid) == "rejected" and platform.stored_packages() == []
    assert (platform.data_dir / "rejected" / pid / "documents" / "d1.pdf").read_bytes() == bytes(pdf)  # kept
    with pytest.raises(PlatformError) as again:  # asked again: the same answer, still no receipt
        kiosk.client.complete(pid)
    assert again.value.code == "package_invalid" and again.value.detail == exc.value.detail


def test_document_from_another_case_is_not_receipted(platform: ReferencePlatform, kiosk: Kiosk,
                                                     tmp_path: Path) -> None:
    """A package consistent in itself (every signature, digest and chain valid) whose documents
    are those of another case, under this case's number."""
    from platform_fixtures import demo_case

    from kiosk.model import parse_case

    other, pdfs = demo_case("LH2026-000124")
    forged = parse_case({**other.model_dump(mode="json"), "case_no": DEMO_CASE_NO})
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150100"
    pkg = make_package(kiosk.keys, tmp_path / "s", pid, case=(forged, pdfs))
    from kiosk.evidence.verify import verify_package

    cert = kiosk.keys.certificate()
    assert cert is not None
    assert verify_package(pkg, cert.public_bytes(Encoding.PEM)) == []  # nothing wrong inside the package
    _not_receipted(platform, kiosk, pkg, pid, "不是本案件下发的原件")


def test_package_of_nothing_but_an_audit_line_is_not_receipted(platform: ReferencePlatform, kiosk: Kiosk,
                                                               tmp_path: Path) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150200"
    pkg = tmp_path / pid
    pkg.mkdir()
    (pkg / "audit.jsonl").write_text('{"event": "start"}\n', encoding="utf-8")
    write_manifest(pkg, {"package_id": pid, "case_no": DEMO_CASE_NO, "kiosk_id": KIOSK_ID, "status": "completed"},
                   kiosk.keys)
    _not_receipted(platform, kiosk, pkg, pid, "文书")


def test_pdfs_signed_by_another_kiosk_are_not_receipted(platform: ReferencePlatform, kiosk: Kiosk,
                                                       tmp_path: Path) -> None:
    stranger = DeviceKeys(tmp_path / "stranger-keys")
    stranger.ensure_demo_certificate(KIOSK_ID)
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150300"
    pkg = make_package(stranger, tmp_path / "s", pid)
    _resign(pkg, kiosk.keys)  # the manifest by the enrolled device, the PDFs by another
    _not_receipted(platform, kiosk, pkg, pid, "签名证书与清单的设备证书不一致")


def test_receipt_case_number_must_match_the_manifest(platform: ReferencePlatform, kiosk: Kiosk,
                                                     tmp_path: Path) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150400"
    pkg = make_package(kiosk.keys, tmp_path / "s", pid)
    _not_receipted(platform, kiosk, pkg, pid, "受理号", "LH2026-000999", case_no="LH2026-000999")
    # the same package declared for its own case is receipted, for that case
    pid2 = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150401"
    good = make_package(kiosk.keys, tmp_path / "g", pid2)
    rec = _upload(kiosk.client, good, pid2)
    assert rec.case_no == DEMO_CASE_NO and platform.stored_packages() == [pid2]


# -- 2. enrolment -----------------------------------------------------------------------------
def test_enrolment_codes_are_bound_single_use_and_expiring(strict: ReferencePlatform, tmp_path: Path) -> None:
    code_a = strict.issue_enrol_code(KIOSK_ID)
    other = make_kiosk(tmp_path / "other", strict.url, enrol=False, kiosk_id="LH-KIOSK-0077")
    with pytest.raises(PlatformError) as exc:  # a code issued for another kiosk id
        other.client.enrol(code_a)
    _refused(exc, "bad_enrol_code")
    with pytest.raises(PlatformError) as exc:  # the demo code: not on a platform started without --demo
        other.client.enrol(DEMO_ENROL_CODE)
    _refused(exc, "bad_enrol_code")
    expired = strict.issue_enrol_code("LH-KIOSK-0077", ttl_s=-1)
    with pytest.raises(PlatformError) as exc:
        other.client.enrol(expired)
    _refused(exc, "bad_enrol_code")
    real = make_kiosk(tmp_path / "real", strict.url, enrol=False)
    real.client.enrol(code_a)
    with pytest.raises(PlatformError) as exc:  # single use
        make_kiosk(tmp_path / "again", strict.url, enrol=False).client.enrol(code_a)
    assert exc.value.code in ("bad_enrol_code", "already_enrolled")
    other.close()
    real.close()


def test_enrolled_kiosk_cannot_be_taken_over(strict: ReferencePlatform, tmp_path: Path) -> None:
    real = make_kiosk(tmp_path / "real", strict.url, enrol=False)
    real.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    cert = strict.enrolled_certificate(KIOSK_ID)
    thief = make_kiosk(tmp_path / "thief", strict.url, enrol=False)
    with pytest.raises(PlatformError) as exc:  # even with a fresh, valid code for that id
        thief.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    _refused(exc, "already_enrolled")
    assert strict.enrolled_certificate(KIOSK_ID) == cert
    assert real.client.remote_config()["kiosk_id"] == KIOSK_ID  # the real kiosk still works
    strict.revoke_device(KIOSK_ID)  # the operator's explicit revoke, then a new code enrols the new device
    thief.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    assert strict.enrolled_certificate(KIOSK_ID) != cert
    real.close()
    thief.close()


# -- 3. personal data only with presence --------------------------------------------------
def test_case_data_needs_presence(strict: ReferencePlatform, tmp_path: Path) -> None:
    k = make_kiosk(tmp_path / "k", strict.url, enrol=False)
    k.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    with pytest.raises(PlatformError) as exc:
        k.client.get_case(DEMO_CASE_NO)
    _refused(exc, "presence_required")
    assert exc.value.message == "请先将身份证放在读卡区"  # what the applicant sees
    k.client.card_present(demo_personas("LH2026-000124")["p1"].id_number)  # a card, not of this case
    with pytest.raises(PlatformError) as exc:
        k.client.get_case(DEMO_CASE_NO)
    _refused(exc, "presence_mismatch")
    seller = demo_personas(DEMO_CASE_NO)["p1"]
    k.client.card_present(seller.id_number)
    case = k.client.get_case(DEMO_CASE_NO)
    from kiosk.model import parse_case

    doc = parse_case(case).documents[0]
    assert k.client.download_document(doc).startswith(b"%PDF")
    k.client.card_present(None)
    with pytest.raises(PlatformError) as exc:  # the card is gone: no more documents
        k.client.download_document(doc)
    _refused(exc, "presence_required")
    k.client.staff_login("0001", "246810")  # the counter: a staff session at this kiosk
    assert k.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO
    releases = strict.releases(KIOSK_ID)
    assert [(c, w, b.split(":")[0]) for _k, c, w, b in releases] == [
        (DEMO_CASE_NO, "case", "card"), (DEMO_CASE_NO, "document:d1", "card"), (DEMO_CASE_NO, "case", "staff")]
    k.close()


def test_case_lookups_are_rate_limited_per_device(strict: ReferencePlatform, tmp_path: Path) -> None:
    k = make_kiosk(tmp_path / "k", strict.url, enrol=False)
    k.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    session = requests.Session()
    codes = []
    for i in range(100):  # sequential case numbers, as the probe did
        r = session.get(f"{strict.url}/v1/cases/LH2026-{100 + i:06d}", auth=k.client.auth(), timeout=10)
        codes.append(r.json()["code"])
    session.close()
    assert codes.count("rate_limited") >= 100 - strict.lookups_per_minute
    assert set(codes) <= {"case_not_found", "presence_required", "rate_limited"}
    k.close()


# -- 4. staff sessions ----------------------------------------------------------------------
def test_staff_tokens_are_stored_hashed_and_checked(strict: ReferencePlatform, tmp_path: Path) -> None:
    k = make_kiosk(tmp_path / "k", strict.url, enrol=False)
    k.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    out = k.client.staff_login("0001", "246810")
    token = out["token"]
    rows = sqlite3.connect(strict.data_dir / "platform.sqlite3").execute(
        "SELECT token_sha256, expires_at FROM staff_sessions").fetchall()
    assert rows == [(hashlib.sha256(token.encode()).hexdigest(), rows[0][1])]
    assert token.encode() not in (strict.data_dir / "platform.sqlite3").read_bytes()
    k.client.staff_token = token + "x"  # a forged or stale token
    with pytest.raises(PlatformError) as exc:
        k.client.get_case(DEMO_CASE_NO)
    _refused(exc, "staff_session_invalid")
    k.client.staff_token = token
    strict.store.execute("UPDATE staff_sessions SET expires_at=?", (time.time() - 1,))  # the session expired
    with pytest.raises(PlatformError) as exc:
        k.client.get_case(DEMO_CASE_NO)
    _refused(exc, "staff_session_invalid")
    other = make_kiosk(tmp_path / "o", strict.url, enrol=False, kiosk_id="LH-KIOSK-0078")
    other.client.enrol(strict.issue_enrol_code("LH-KIOSK-0078"))
    strict.store.execute("UPDATE staff_sessions SET expires_at=?", (time.time() + 60,))
    other.client.staff_token = token  # a token is bound to the kiosk it was issued at
    with pytest.raises(PlatformError) as exc:
        other.client.get_case(DEMO_CASE_NO)
    _refused(exc, "staff_session_invalid")
    k.close()
    other.close()


def test_wrong_pins_lock_out_and_unknown_numbers_cost_the_same(strict: ReferencePlatform, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    k = make_kiosk(tmp_path / "k", strict.url, enrol=False)
    k.client.enrol(strict.issue_enrol_code(KIOSK_ID))
    calls: list[str] = []
    real_hash = staff.pin_hash
    monkeypatch.setattr(staff, "pin_hash", lambda pin, salt: calls.append(pin) or real_hash(pin, salt))
    for staff_no in ("0001", "4242"):  # known and unknown: the same answer, the same PBKDF2 work
        calls.clear()
        with pytest.raises(PlatformError) as exc:
            k.client.staff_login(staff_no, "000000")
        _refused(exc, "staff_login_failed")
        assert len(calls) == 1
    for _ in range(staff.MAX_FAILS_PER_STAFF - 1):
        with pytest.raises(PlatformError):
            k.client.staff_login("0001", "000000")
    with pytest.raises(PlatformError) as exc:  # locked: even the right PIN
        k.client.staff_login("0001", "246810")
    _refused(exc, "login_locked")
    assert exc.value.message == "密码错误次数过多，请稍后再试或联系管理员"
    for i in range(staff.MAX_FAILS_PER_DEVICE):  # spread over many numbers: the device locks too
        with pytest.raises(PlatformError):
            k.client.staff_login(f"7{i:03d}", "000000")
    with pytest.raises(PlatformError) as exc:
        k.client.staff_login("9001", "135790")
    _refused(exc, "login_locked")
    k.close()


def test_manual_decisions_need_a_staff_session_valid_at_the_time(tmp_path: Path) -> None:
    srv = ReferencePlatform(tmp_path / "pf", demo=True, require_staff_sessions=True)
    srv.start()
    k = make_kiosk(tmp_path / "k", srv.url)
    try:
        session = k.client.staff_login("0001", "246810")["session_id"]

        def audit(staff_session: str | None, ts: str) -> list[dict[str, Any]]:
            chain = sample_audit(5)
            event = {"ts": ts, "kind": "step_result", "party_id": "p2", "step": "identity",
                     "outcome": "manual_pass", "manual": True, "staff": "0001", "reason": "证件照较旧，人工比对一致"}
            append_event(chain, {**event, **({"staff_session": staff_session} if staff_session else {})})
            return chain

        now = dt.datetime.now(dt.timezone.utc).isoformat()
        for n, (sid, ts, words) in enumerate([(None, now, "没有工作人员会话"),
                                              ("SS-forged0000000", now, "当时在本终端无效"),
                                              (session, "2020-01-01T00:00:00+00:00", "当时在本终端无效")]):
            pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-2026112815060{n}"
            pkg = make_package(k.keys, tmp_path / "s", pid, audit=audit(sid, ts))
            _not_receipted(srv, k, pkg, pid, "人工判定", words)
        pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150609"
        pkg = make_package(k.keys, tmp_path / "s", pid, audit=audit(session, now))
        assert _upload(k.client, pkg, pid).package_id == pid  # made under a live session: receipted
    finally:
        k.close()
        srv.close()


# -- 5. package ids -------------------------------------------------------------------------
def test_package_ids_cannot_be_squatted(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path) -> None:
    squatter = make_kiosk(tmp_path / "sq", platform.url, kiosk_id="LH-KIOSK-0099")
    started = "2026-11-28T16:00:00+08:00"
    for s in range(240):  # the next four minutes of ids in the old, guessable form
        pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128{160000 + (s // 60) * 100 + s % 60}"
        squatter.client.create_upload(pid, DEMO_CASE_NO, [{"path": "manifest.json", "size": 1,
                                                           "sha256": "0" * 64}], 1 << 16)
    pkg = make_package(kiosk.keys, tmp_path / "real", None, started_at=started, recording_bytes=1000)
    pid = pkg.name
    assert pid.startswith(f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128160000-") and len(pid.rsplit("-", 1)[1]) == 16
    assert _upload(kiosk.client, pkg, pid).package_id == pid
    with pytest.raises(PlatformError) as exc:  # another device cannot claim, read or feed it
        squatter.client.upload_status(pid)
    _refused(exc, "forbidden")
    squatter.close()


# -- 6. repeated, late and out-of-order calls -------------------------------------------------
def test_late_repeated_and_out_of_order_calls_get_no_5xx(platform: ReferencePlatform, kiosk: Kiosk,
                                                         tmp_path: Path) -> None:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128150500"
    pkg = make_package(kiosk.keys, tmp_path / "s", pid)
    with pytest.raises(PlatformError) as exc:  # complete before create
        kiosk.client.complete(pid)
    _refused(exc, "upload_not_found")
    rec = _upload(kiosk.client, pkg, pid)
    assert kiosk.client.complete(pid) == rec  # repeated: the same receipt
    status = kiosk.client.upload_status(pid)
    assert status["state"] == "complete"
    held = {p["n"]: p for p in status["received"]}
    _files, stream = _declared(pkg)
    again = kiosk.client.put_part(pid, 0, stream[:PART])  # a part after complete: acknowledged, not stored
    assert again["outcome"] == "duplicate" and again["sha256"] == held[0]["sha256"]
    with pytest.raises(PlatformError) as exc:  # different bytes after complete: refused, not a crash
        kiosk.client.put_part(pid, 0, bytes(len(stream[:PART])))
    _refused(exc, "already_complete")
    r = requests.request("PATCH", f"{platform.url}/v1/packages/{pid}", timeout=10)
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
