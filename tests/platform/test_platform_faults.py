"""Failure handling over real HTTP: bad replies, resets, stalls, broken JSON, bad receipts,
credentials that expire or are revoked, an unreachable platform."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from platform_fixtures import KIOSK_ID, Kiosk, ipv6_available, make_kiosk, make_package, tree_bytes
from tools.flakylink import FlakyLink

from kiosk.platform import SAVED_OFFLINE_MESSAGE, PlatformError
from kiosk.platform.demo import DEMO_CASE_NO
from kiosk.security.keys import DeviceKeys
from refplatform import Fault, ReferencePlatform

PART = r"/parts/\d+$"


def _queue(k: Kiosk, tmp_path: Path, stamp: str, size: int = 2_200_000) -> tuple[str, Path]:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-{stamp}"
    pkg = make_package(k.keys, tmp_path / "sessions", pid, recording_bytes=size)
    k.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
    return pid, pkg


def _assert_stored_once(srv: ReferencePlatform, pid: str, pkg: Path) -> None:
    assert srv.stored_packages() == [pid]
    assert tree_bytes(srv.data_dir / "packages" / pid) == tree_bytes(pkg)
    stored = [n for n, _s, outcome in srv.part_log(pid) if outcome == "stored"]
    assert len(stored) == len(set(stored)), "a part was stored twice"


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_are_retried(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path, status: int) -> None:
    pid, pkg = _queue(kiosk, tmp_path, "20261128110000")
    part_fault = platform.add_fault(Fault("PUT", PART, status=status, times=2, headers={"Retry-After": "0"}))
    create_fault = platform.add_fault(Fault("POST", r"/v1/packages$", status=status, times=1))
    [receipt] = kiosk.uploader.drain_once()
    assert receipt.package_id == pid
    assert part_fault.hits == 2 and create_fault.hits == 1
    _assert_stored_once(platform, pid, pkg)


def test_connection_reset_mid_part(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path) -> None:
    pid, pkg = _queue(kiosk, tmp_path, "20261128110100")
    fault = platform.add_fault(Fault("PUT", r"/parts/1$", reset_after=300_000, times=2))
    [receipt] = kiosk.uploader.drain_once()
    assert fault.hits == 2 and receipt.package_id == pid
    log = platform.part_log(pid)
    assert [n for n, _s, _o in log].count(1) == 1  # the reset attempts never completed a part
    _assert_stored_once(platform, pid, pkg)


def test_stalled_server_times_out_and_upload_resumes(platform: ReferencePlatform, tmp_path: Path) -> None:
    k = make_kiosk(tmp_path / "state", platform.url, timeout_s=2.0)
    try:
        pid, pkg = _queue(k, tmp_path, "20261128110200")
        # every attempt of this pass stalls past the read timeout: the pass gives up, item stays ready
        k.client.max_attempts = 2
        fault = platform.add_fault(Fault("POST", r"/v1/packages$", stall_s=3.0, status=503, times=k.client.max_attempts))
        assert k.uploader.drain_once() == []
        assert fault.hits == k.client.max_attempts
        item = k.outbox.get(pid)
        assert item is not None and item.state == "ready" and "network" in item.reason
        assert k.outbox.status()["last_error"]["package_id"] == pid
        # one more stall on a part, then the link is fine again
        part_fault = platform.add_fault(Fault("PUT", r"/parts/0$", stall_s=3.0, status=503, times=1))
        k.client.max_attempts = 5
        k.outbox.retry_failed()
        [receipt] = k.uploader.drain_once()
        assert part_fault.hits == 1 and receipt.package_id == pid
        _assert_stored_once(platform, pid, pkg)
    finally:
        k.close()


@pytest.mark.parametrize("body", [b'{"package_id": "LH2026', b"<html>bad gateway</html>", b""])
def test_truncated_or_garbage_json(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path, body: bytes) -> None:
    platform.add_fault(Fault("GET", rf"/v1/cases/{DEMO_CASE_NO}$", status=200, body=body))
    with pytest.raises(PlatformError) as err:
        kiosk.client.get_case(DEMO_CASE_NO)
    assert err.value.code == "bad_response" and err.value.retryable
    assert kiosk.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO

    pid, pkg = _queue(kiosk, tmp_path, "20261128110300")
    platform.add_fault(Fault("POST", r"/complete$", status=200, body=body))
    assert kiosk.uploader.drain_once() == []
    item = kiosk.outbox.get(pid)
    assert item is not None and item.state == "ready" and "bad_response" in item.reason
    kiosk.outbox.retry_failed()
    [receipt] = kiosk.uploader.drain_once()
    assert receipt.package_id == pid
    _assert_stored_once(platform, pid, pkg)


def test_receipt_with_the_wrong_hash_is_refused(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    platform.receipt_tamper = lambda r: {**r, "manifest_sha256": hashlib.sha256(b"something else").hexdigest()}
    pid, _pkg = _queue(kiosk, tmp_path, "20261128110400")
    assert kiosk.uploader.drain_once() == []
    item = kiosk.outbox.get(pid)
    assert item is not None and item.state == "failed" and "receipt_hash_mismatch" in item.reason
    assert kiosk.outbox.receipt(pid) is None
    assert (kiosk.paths.outbox / "store" / pid).is_dir()
    assert kiosk.outbox.purge(now=1e12) == []  # nothing without a valid receipt is ever deleted
    assert any("receipt_hash_mismatch" in r.getMessage() or "receipt" in r.getMessage() for r in caplog.records)


def test_receipt_not_signed_by_the_platform_is_refused(platform: ReferencePlatform, kiosk: Kiosk,
                                                       tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pid, _pkg = _queue(kiosk, tmp_path, "20261128110500")
    item = kiosk.outbox.get(pid)
    assert item is not None
    forged = {"package_id": pid, "case_no": DEMO_CASE_NO, "kiosk_id": KIOSK_ID, "received_at": "2026-11-28T11:05:00Z",
              "manifest_sha256": item.manifest_sha256, "total_size": item.total_size, "files": len(item.files),
              "receipt_id": "RC-forged", "signature_b64": "MEUCIQ=="}
    platform.add_fault(Fault("POST", r"/complete$", status=200, body=json.dumps(forged).encode()))
    assert kiosk.uploader.drain_once() == []
    item = kiosk.outbox.get(pid)
    assert item is not None and item.state == "failed" and "bad_receipt" in item.reason
    assert caplog.records


def test_expired_credential_is_renewed(platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path) -> None:
    old = dict(kiosk.client.credential or {})
    platform.expire_credentials(KIOSK_ID)
    pid, pkg = _queue(kiosk, tmp_path, "20261128110600")
    [receipt] = kiosk.uploader.drain_once()
    assert receipt.package_id == pid
    new = json.loads(kiosk.client.cred_path.read_text(encoding="utf-8"))
    assert new["credential_id"] != old["credential_id"]
    _assert_stored_once(platform, pid, pkg)


def test_revoked_credential_reenrols_with_a_code_or_says_so(platform: ReferencePlatform, kiosk: Kiosk,
                                                            tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    platform.revoke_device(KIOSK_ID)
    assert kiosk.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO  # demo code at hand: enrols again
    assert any("enrolling again" in r.getMessage() for r in caplog.records)
    platform.revoke_device(KIOSK_ID)
    fresh = make_kiosk(tmp_path / "state", platform.url, enrol=False)  # same state, no code known
    try:
        with pytest.raises(PlatformError) as err:
            fresh.client.get_case(DEMO_CASE_NO)
        assert err.value.code == "credential_revoked" and "重新注册" in err.value.message
    finally:
        fresh.close()


def test_offline_first_then_upload_when_the_platform_is_back(tmp_path: Path) -> None:
    srv = ReferencePlatform(tmp_path / "pf", demo=True)
    url = srv.start()
    port = int(url.rsplit(":", 1)[1])
    k = make_kiosk(tmp_path / "state", url)
    srv.close()  # the network goes away after enrolment
    try:
        pid, pkg = _queue(k, tmp_path, "20261128110700")
        assert k.uploader.drain_once() == []
        st = k.outbox.status()
        assert st["depth"] == 1 and st["by_state"]["ready"] == 1 and st["last_error"]["package_id"] == pid
        assert SAVED_OFFLINE_MESSAGE == "已保存，网络恢复后自动上传"
        back = ReferencePlatform(tmp_path / "pf", port=port, demo=True)
        back.start()
        try:
            k.outbox.retry_failed()
            [receipt] = k.uploader.drain_once()
            assert receipt.package_id == pid and k.outbox.status()["depth"] == 0
            _assert_stored_once(back, pid, pkg)
        finally:
            back.close()
    finally:
        k.close()


def test_background_uploader_drains_and_sends_heartbeats(platform: ReferencePlatform, tmp_path: Path) -> None:
    k = make_kiosk(tmp_path / "state", platform.url)
    k.uploader.heartbeat_s = 0.2
    try:
        pid, pkg = _queue(k, tmp_path, "20261128110800")
        k.uploader.start()
        k.uploader.wake()
        deadline_beats = 0
        while not (platform.stored_packages() and len(platform.heartbeats(KIOSK_ID)) >= 2) and deadline_beats < 200:
            k.uploader._stop.wait(0.05)
            deadline_beats += 1
        k.uploader.stop()
        _assert_stored_once(platform, pid, pkg)
        beats = platform.heartbeats(KIOSK_ID)
        assert len(beats) >= 2 and beats[-1]["outbox"]["depth"] == 0
    finally:
        k.close()


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback")
def test_upload_over_a_link_that_drops_and_stalls_on_ipv6(tmp_path: Path) -> None:
    srv = ReferencePlatform(tmp_path / "pf", host="::1", demo=True)
    srv.start()
    link = FlakyLink("::1", int(srv.url.rsplit(":", 1)[1]), listen_host="::1",
                     plan=("ok", "drop", "stall", "ok", "drop"), drop_after=150_000, stall_s=2.5)
    k = make_kiosk(tmp_path / "state", link.start(), timeout_s=1.0)
    try:
        pid, pkg = _queue(k, tmp_path, "20261128110900", size=4_500_000)
        receipts = k.uploader.drain_until_done(120)
        assert [r.package_id for r in receipts] == [pid]
        assert link.stats.dropped >= 1 and link.stats.stalled >= 1  # both faults hit this upload
        _assert_stored_once(srv, pid, pkg)
    finally:
        k.close()
        link.stop()
        srv.close()


def test_package_signed_before_a_reenrolment_is_still_accepted(platform: ReferencePlatform, kiosk: Kiosk,
                                                               tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pid, pkg = _queue(kiosk, tmp_path, "20261128111000")  # signed with the first certificate
    platform.revoke_device(KIOSK_ID)
    kiosk.client.get_case(DEMO_CASE_NO)  # revoked → enrols again → a new certificate
    assert kiosk.keys.certificate() is not None
    [receipt] = kiosk.uploader.drain_once()
    assert receipt.package_id == pid
    _assert_stored_once(platform, pid, pkg)
    # a package signed with a certificate this platform never issued to the kiosk is refused
    stranger = DeviceKeys(tmp_path / "stranger")
    stranger.ensure_demo_certificate(KIOSK_ID)
    pid2 = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128111100"
    pkg2 = make_package(stranger, tmp_path / "s2", pid2, recording_bytes=1000)
    kiosk.outbox.enqueue(pkg2, pid2, DEMO_CASE_NO)
    assert kiosk.uploader.drain_once() == []
    item = kiosk.outbox.get(pid2)
    assert item is not None and item.state == "failed" and "package_invalid" in item.reason
    assert any("证书" in r.getMessage() for r in caplog.records)


class _RecordingWait:
    """Stands in for the client's cancel event: records each backoff delay instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def wait(self, timeout: float) -> bool:
        self.delays.append(timeout)
        return False

    def set(self) -> None:
        pass

    def clear(self) -> None:
        pass


def test_backoff_is_capped_exponential_with_jitter(platform: ReferencePlatform, kiosk: Kiosk) -> None:
    rec = _RecordingWait()
    kiosk.client.cancelled = rec  # type: ignore[assignment]
    kiosk.client.backoff_base_s, kiosk.client.backoff_cap_s = 1.0, 4.0
    platform.add_fault(Fault("GET", r"/v1/cases/", status=503, times=4))
    assert kiosk.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO
    assert len(rec.delays) == 4
    for attempt, d in enumerate(rec.delays, start=1):
        assert 0.0 <= d <= min(4.0, 2.0 ** attempt)
    platform.add_fault(Fault("GET", r"/v1/cases/", status=429, headers={"Retry-After": "60"}, times=1))
    kiosk.client.get_case(DEMO_CASE_NO)
    assert rec.delays[-1] == 4.0  # the platform's wish, but never beyond the cap
    rec.delays.clear()
    platform.add_fault(Fault("GET", r"/v1/cases/", status=503, times=None))
    with pytest.raises(PlatformError) as err:
        kiosk.client.get_case(DEMO_CASE_NO)
    assert err.value.retryable and err.value.status == 503
    assert len(rec.delays) == kiosk.client.max_attempts - 1
    jitter = {round(d, 6) for d in rec.delays}
    assert len(jitter) > 1 or kiosk.client.max_attempts <= 2


def test_queue_order_kept_on_network_trouble_but_not_blocked_by_a_refused_package(
        platform: ReferencePlatform, kiosk: Kiosk, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    first, pkg1 = _queue(kiosk, tmp_path, "20261128112000", size=10_000)
    second, pkg2 = _queue(kiosk, tmp_path, "20261128112100", size=10_000)
    kiosk.client.max_attempts = 1
    platform.add_fault(Fault("POST", r"/v1/packages$", status=503, times=1))
    assert kiosk.uploader.drain_once() == []  # first deferred: the pass stops, second not tried out of order
    assert kiosk.outbox.get(second).attempts == 0  # type: ignore[union-attr]
    platform.add_fault(Fault("POST", r"/v1/packages$", status=409,
                             body=b'{"type": "x", "title": "t", "status": 409, "code": "conflict"}', times=1))
    kiosk.outbox.retry_failed()
    assert [r.package_id for r in kiosk.uploader.drain_once()] == [second]  # first refused, second goes on
    assert kiosk.outbox.get(first).state == "failed"  # type: ignore[union-attr]
    assert "conflict" in kiosk.outbox.get(first).reason  # type: ignore[union-attr]
    kiosk.outbox.retry_failed()  # the technician's flush
    assert [r.package_id for r in kiosk.uploader.drain_once()] == [first]
    assert sorted(platform.stored_packages()) == sorted([first, second])
