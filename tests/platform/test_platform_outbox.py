"""The outbox on its own: encryption at rest, crash recovery, a full disk, retention."""
from __future__ import annotations

import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from platform_fixtures import KIOSK_ID, Kiosk, make_package

from kiosk.errors import UserFacingError
from kiosk.evidence.manifest import write_manifest
from kiosk.platform import Outbox, OutboxError
from kiosk.platform.demo import DEMO_CASE_NO
from kiosk.platform.outbox import SealedPackage
from kiosk.security.keys import DeviceKeys
from refplatform import ReferencePlatform


def _pkg(keys: DeviceKeys, tmp_path: Path, stamp: str, size: int = 1_500_000) -> tuple[str, Path]:
    pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-{stamp}"
    return pid, make_package(keys, tmp_path / "sessions", pid, recording_bytes=size)


def test_personal_data_is_encrypted_at_rest(tmp_path: Path) -> None:
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate(KIOSK_ID)
    pid, pkg = _pkg(keys, tmp_path, "20261128120000")
    marker = "王秀兰411102195803120240".encode()
    (pkg / "identity" / "p1.json").write_bytes(b'{"name": "' + marker + b'"}')  # after the manifest: fine here
    ob = Outbox(tmp_path / "outbox", keys.cipher())
    ob.enqueue(pkg, pid, DEMO_CASE_NO)
    stored = ob.store / pid
    files = [p for p in stored.rglob("*") if p.is_file()]
    assert len(files) == len(list(pkg.rglob("*.*"))) + 1  # + the sealed index
    for p in files:
        data = p.read_bytes()
        assert marker not in data and b"bdc-evidence/1" not in data
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(ob.root.stat().st_mode) == 0o700
    assert stat.S_IMODE((keys.dir / "data.key").stat().st_mode) == 0o600
    item = ob.get(pid)
    assert item is not None
    stream = ob.reader(item).read(0, item.total_size)
    expected = b"".join((pkg / f["path"]).read_bytes() for f in item.files)
    assert stream == expected
    # random access across file and chunk boundaries
    for off, n in ((0, 10), (1_048_570, 20), (item.total_size - 7, 100), (12_345, 2_000_000)):
        assert ob.reader(item).read(off, n) == expected[off:off + n]
    # another device's key cannot read it, and neither can this key under another package id
    other = DeviceKeys(tmp_path / "other-keys")
    with pytest.raises(UserFacingError) as err:
        SealedPackage(other.cipher(), ob.store / pid, pid, item.files).read(0, 10)
    assert err.value.code == "bad_ciphertext"
    with pytest.raises(UserFacingError):
        SealedPackage(keys.cipher(), ob.store / pid, pid + "-x", item.files).read(0, 10)
    ob.close()


def test_recovery_after_a_crash(tmp_path: Path) -> None:
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate(KIOSK_ID)
    ob = Outbox(tmp_path / "outbox", keys.cipher())
    pid1, pkg1 = _pkg(keys, tmp_path, "20261128120100", size=10_000)
    pid2, pkg2 = _pkg(keys, tmp_path, "20261128120200", size=10_000)
    ob.enqueue(pkg1, pid1, DEMO_CASE_NO)
    ob.enqueue(pkg2, pid2, DEMO_CASE_NO)
    ob.mark_uploading(pid1)
    # a crash after the atomic move but before the row: simulate by deleting the row
    ob._x("DELETE FROM items WHERE package_id=?", (pid2,))
    # and a half-written staging folder
    (ob.staging / "half.abcd" / "recordings").mkdir(parents=True)
    (ob.staging / "half.abcd" / "recordings" / "p1.mp4").write_bytes(b"partial")
    # a second process meanwhile does not own the outbox and does not recover
    reader = Outbox(tmp_path / "outbox", keys.cipher())
    assert not reader.owner and (ob.staging / "half.abcd").exists()
    reader.close()
    ob.close()
    again = Outbox(tmp_path / "outbox", keys.cipher())
    assert again.owner
    states = {i.package_id: i.state for i in again.items()}
    assert states == {pid1: "ready", pid2: "ready"}
    assert list(again.staging.iterdir()) == []
    assert [i.package_id for i in again.items()] == [pid1, pid2]
    again.close()


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real small filesystem (tmpfs) to fill up; needs root, as CI and the dev machines have."""
    mnt = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    yield mnt, "mount"
    subprocess.run(["umount", "-l", str(mnt)], check=False, capture_output=True)


def _mount(mnt: Path, options: str) -> None:
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")


def _nothing_half_written(ob: Outbox, pid: str) -> None:
    assert list(ob.staging.iterdir()) == []
    assert not (ob.store / pid).exists()
    assert ob.get(pid) is None and ob.status()["depth"] == 0


def test_full_disk_is_refused_before_writing(tmp_path: Path, tiny_fs: tuple[Path, str]) -> None:
    mnt, _ = tiny_fs
    _mount(mnt, "size=1m")
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate(KIOSK_ID)
    pid, pkg = _pkg(keys, tmp_path, "20261128120300", size=2_000_000)
    ob = Outbox(mnt / "outbox", keys.cipher(), min_free_bytes=0)
    with pytest.raises(OutboxError) as err:
        ob.enqueue(pkg, pid, DEMO_CASE_NO)
    assert err.value.code == "disk_full" and "磁盘" in err.value.message
    _nothing_half_written(ob, pid)
    ob.close()


def test_disk_full_while_staging_leaves_nothing_half_written(tmp_path: Path, tiny_fs: tuple[Path, str]) -> None:
    mnt, _ = tiny_fs
    _mount(mnt, "size=64m,nr_inodes=20")  # plenty of bytes, too few inodes: ENOSPC midway
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate(KIOSK_ID)
    pid, pkg = _pkg(keys, tmp_path, "20261128120400", size=50_000)
    ob = Outbox(mnt / "outbox", keys.cipher(), min_free_bytes=0)
    with pytest.raises(OutboxError) as err:
        ob.enqueue(pkg, pid, DEMO_CASE_NO)
    assert err.value.code == "disk_full", err.value.detail
    assert "No space left" in err.value.detail
    _nothing_half_written(ob, pid)
    # the outbox is still usable: a package that fits goes in whole
    small_pid = f"{DEMO_CASE_NO}-{KIOSK_ID}-20261128120500"
    small = tmp_path / "small" / small_pid
    small.mkdir(parents=True)
    (small / "audit.jsonl").write_text('{"event": "aborted"}\n', encoding="utf-8")
    write_manifest(small, {"package_id": small_pid, "case_no": DEMO_CASE_NO, "status": "aborted"}, keys)
    ob.enqueue(small, small_pid, DEMO_CASE_NO)
    item = ob.get(small_pid)
    assert item is not None and item.state == "ready" and len(item.files) == 3
    ob.close()


def test_local_copy_deleted_only_after_receipt_and_retention(platform: ReferencePlatform, kiosk: Kiosk,
                                                             tmp_path: Path) -> None:
    pid, pkg = _pkg(kiosk.keys, tmp_path, "20261128120600", size=10_000)
    kiosk.outbox.enqueue(pkg, pid, DEMO_CASE_NO)
    assert kiosk.outbox.purge(now=1e12) == []  # queued, no receipt: stays whatever the time
    kiosk.uploader.retention_s = 7 * 86400
    [receipt] = kiosk.uploader.drain_once()
    assert kiosk.outbox.receipt(pid) == receipt
    assert kiosk.outbox.purge() == [] and (kiosk.outbox.store / pid).is_dir()  # inside the window
    assert kiosk.outbox.purge(now=receipt_time_plus(8)) == [pid]
    assert not (kiosk.outbox.store / pid).exists()
    assert kiosk.outbox.status()["last_upload"]["receipt_id"] == receipt.receipt_id


def receipt_time_plus(days: float) -> float:
    import time

    return time.time() + days * 86400
