"""Disk and file-system hardening: a session refuses to start on a nearly full disk with a
plain message; clean-up never deletes evidence the platform has not receipted; keys, PIN,
credential, config and the state directories are private to the kiosk user whatever the
umask was."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.config import Settings, StatePaths, load_config, save_config
from kiosk.evidence.manifest import write_manifest
from kiosk.platform import Outbox
from kiosk.platform.protocol import Receipt
from kiosk.security.keys import DeviceKeys

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# -- disk -----------------------------------------------------------------------------------------
def test_session_refuses_to_start_on_a_nearly_full_disk(tmp_path: Path) -> None:
    """The real `simulate` command with a policy threshold above the free space: exit 1, one
    Chinese line telling the applicant what to do, nothing queued, no evidence half-written."""
    state = tmp_path / "state"
    state.mkdir()
    (state / "config.toml").write_text("[session]\nmin_free_disk_mb = 1000000\n", encoding="utf-8")
    import shutil

    assert shutil.disk_usage(state).free < 1_000_000 * 1024 * 1024, "this machine has more than 1 TB free"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "simulate", "--out", str(tmp_path / "out"),
                           "--state", str(state)], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          check=False)
    assert proc.returncode == 1, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert "存储空间不足" in last and "工作人员" in last, proc.stderr
    assert "Traceback" not in proc.stderr
    outbox = Outbox(state / "outbox", DeviceKeys(state / "keys").cipher())
    try:
        assert outbox.items() == []
    finally:
        outbox.close()
    leftovers = [p for p in (state / "sessions").rglob("*") if p.is_file() and p.stat().st_size]
    assert leftovers == [], leftovers


def test_threshold_is_a_policy_setting_with_bounds() -> None:
    from kiosk.config import ConfigError, parse_settings

    assert Settings().session.min_free_disk_mb == 2048
    with pytest.raises(ConfigError) as err:
        parse_settings({"session": {"min_free_disk_mb": 10}})
    assert any("min_free_disk_mb" in p for p in err.value.problems)


# -- retention clean-up ---------------------------------------------------------------------------
def _package(keys: DeviceKeys, parent: Path, pid: str) -> Path:
    keys.ensure_demo_certificate("LH-KIOSK-0001")
    d = parent / pid
    (d / "recordings").mkdir(parents=True)
    (d / "recordings" / "p1.mp4").write_bytes(os.urandom(50_000))
    (d / "audit.jsonl").write_text('{"event": "start"}\n', encoding="utf-8")
    write_manifest(d, {"package_id": pid, "case_no": "LH2026-000123", "kiosk_id": "LH-KIOSK-0001",
                       "status": "completed", "parties": [], "steps": []}, keys)
    return d


def _receipt(pid: str, sha: str) -> Receipt:
    return Receipt(pid, "LH2026-000123", "LH-KIOSK-0001", "2026-11-28T12:00:00+08:00", sha, 1, 1, f"r-{pid[-2:]}")


@pytest.mark.allow_log_warnings
def test_purge_deletes_only_receipted_packages_past_retention(tmp_path: Path) -> None:
    keys = DeviceKeys(tmp_path / "keys")
    outbox = Outbox(tmp_path / "outbox", keys.cipher(), min_free_bytes=1 << 20)
    pids = {s: f"LH2026-000123-LH-KIOSK-0001-202611281200{i:02d}" for i, s in
            enumerate(["ready", "uploading", "failed", "retry_later", "done_old", "done_fresh", "done_no_receipt"])}
    try:
        for pid in pids.values():
            outbox.enqueue(_package(keys, tmp_path / "src", pid), pid, "LH2026-000123")
        outbox.mark_uploading(pids["uploading"])
        outbox.mark_failed(pids["failed"], "平台拒绝")
        outbox.mark_retry(pids["retry_later"], "网络", 3600)
        for s in ("done_old", "done_fresh"):
            item = outbox.get(pids[s])
            assert item is not None
            outbox.mark_done(pids[s], _receipt(pids[s], item.manifest_sha256), 0 if s == "done_old" else 30 * 86400)
        # a row that says done without a receipt (a bug or a hand-edited database) is not deletable
        outbox.db.execute("UPDATE items SET state='done', delete_after=0 WHERE package_id=?",
                          (pids["done_no_receipt"],))
        now = time.time() + 1
        assert outbox.purge(now=now) == [pids["done_old"]]
        assert outbox.purge(now=now + 10 * 365 * 86400) == [pids["done_fresh"]]
        for s, pid in pids.items():
            exists = (outbox.store / pid).is_dir()
            assert exists == (s not in ("done_old", "done_fresh")), s
    finally:
        outbox.close()


@pytest.mark.allow_log_warnings
def test_restart_never_deletes_an_unreadable_unreceipted_package(tmp_path: Path) -> None:
    """Start-up used to `rmtree` a stored package it could not read back (database lost and the
    sealed index damaged, or the data key replaced): evidence without a receipt is now set
    aside in `outbox/quarantine/` for the technician instead."""
    keys = DeviceKeys(tmp_path / "keys")
    pid = "LH2026-000123-LH-KIOSK-0001-20261128120000"
    outbox = Outbox(tmp_path / "outbox", keys.cipher(), min_free_bytes=1 << 20)
    outbox.enqueue(_package(keys, tmp_path / "src", pid), pid, "LH2026-000123")
    stored = {p.name: p.read_bytes() for p in (outbox.store / pid).rglob("*") if p.is_file()}
    outbox.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "outbox" / f"outbox.sqlite3{suffix}").unlink(missing_ok=True)
    index = tmp_path / "outbox" / "store" / pid / "index.sealed"
    index.write_bytes(index.read_bytes()[:-1] + b"\x00")
    again = Outbox(tmp_path / "outbox", keys.cipher(), min_free_bytes=1 << 20)
    try:
        assert again.items() == []
        kept = list((tmp_path / "outbox" / "quarantine").iterdir())
        assert len(kept) == 1 and kept[0].name.startswith(pid)
        assert {p.name for p in kept[0].rglob("*") if p.is_file()} == set(stored)
        assert _mode(kept[0].parent) == 0o700 or os.name != "posix"
    finally:
        again.close()


# -- permissions ----------------------------------------------------------------------------------
_PROVISION = r"""
import json, os, sys
from pathlib import Path
os.umask(0)
from kiosk.config import Settings, StatePaths, save_config
from kiosk.security.keys import DeviceKeys
from kiosk.security.pin import PinStore
from kiosk.platform.outbox import Outbox
paths = StatePaths(Path(sys.argv[1])).ensure()
keys = DeviceKeys(paths.keys)
keys.ensure_demo_certificate("LH-KIOSK-0001")
PinStore.for_state(paths.keys).set_pin("135790")
save_config(Settings(), paths.config)
Outbox(paths.outbox, keys.cipher()).close()
"""


@posix_only
def test_secrets_are_private_even_under_umask_000(tmp_path: Path) -> None:
    root = tmp_path / "state"
    subprocess.run([sys.executable, "-c", _PROVISION, str(root)], check=True, timeout=120, cwd=ROOT)
    for d in (root, root / "keys", root / "outbox", root / "sessions"):
        assert _mode(d) == 0o700, (d, oct(_mode(d)))
    secrets = ["device_key.pem", "sm2.json", "data.key", "demo_ca_key.pem", "pin.json"]
    for name in secrets:
        assert _mode(root / "keys" / name) == 0o600, (name, oct(_mode(root / "keys" / name)))
    assert _mode(root / "config.toml") == 0o600
    assert _mode(root / "outbox" / "outbox.sqlite3") == 0o600
    # nothing in the keys directory is readable by group or others
    loose = [p.name for p in (root / "keys").iterdir() if _mode(p) & 0o077]
    assert loose == [], loose
    pin = json.loads((root / "keys" / "pin.json").read_text())
    assert "135790" not in json.dumps(pin) and pin["algo"] == "scrypt"


@posix_only
def test_loose_directories_from_an_installer_are_tightened(tmp_path: Path) -> None:
    root = tmp_path / "state"
    for sub in ("", "keys", "outbox", "sessions"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(root / sub, 0o755)
    StatePaths(root).ensure()
    DeviceKeys(root / "keys")
    assert [oct(_mode(root / s)) for s in ("", "keys", "outbox", "sessions")] == [oct(0o700)] * 4


@posix_only
def test_config_written_by_the_kiosk_is_0600_and_still_loads(tmp_path: Path) -> None:
    paths = StatePaths(tmp_path / "s").ensure()
    old = os.umask(0)
    try:
        save_config(Settings(kiosk_id="LH-KIOSK-0009"), paths.config)
    finally:
        os.umask(old)
    assert _mode(paths.config) == 0o600
    settings, _ = load_config(tmp_path / "s")
    assert settings.kiosk_id == "LH-KIOSK-0009"


def test_data_key_of_the_wrong_size_is_refused_not_replaced(tmp_path: Path) -> None:
    """A damaged data key must stop the kiosk with a message, never be silently regenerated
    (that would make every sealed package unreadable)."""
    from kiosk.errors import UserFacingError

    keys = DeviceKeys(tmp_path / "keys")
    sealed = keys.cipher().seal(b"personal data", aad=b"x")
    (tmp_path / "keys" / "data.key").write_bytes(keys.data_key[:16])
    with pytest.raises(UserFacingError, match="数据密钥损坏"):
        DeviceKeys(tmp_path / "keys")
    assert len((tmp_path / "keys" / "data.key").read_bytes()) == 16
    from kiosk.security.keys import DataCipher

    with pytest.raises(UserFacingError) as err:
        DataCipher(os.urandom(32)).open(sealed, aad=b"x")  # another kiosk's key
    assert err.value.code == "bad_ciphertext"
    assert DataCipher(keys.data_key).open(sealed, aad=b"x") == b"personal data"


@posix_only
@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602, 0o664])
def test_config_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    """Whoever can edit config.toml chooses `platform.url` and `platform.ca_bundle`, i.e. can
    point the kiosk at a rogue platform with a CA of its own making: such a file is refused
    with the command that fixes it, and accepted again once it is 0600."""
    from kiosk.config import ConfigError

    paths = StatePaths(tmp_path / "s").ensure()
    paths.config.write_text('[platform]\nurl = "https://rogue.example"\nca_bundle = "/tmp/evil-ca.pem"\n',
                            encoding="utf-8")
    os.chmod(paths.config, mode)
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "s")
    assert "chmod 600" in err.value.message and f"{mode:o}" in err.value.message
    os.chmod(paths.config, 0o600)
    settings, _ = load_config(tmp_path / "s")
    assert settings.platform.url == "https://rogue.example"


@posix_only
def test_config_readable_by_others_is_still_accepted(tmp_path: Path) -> None:
    """An installer's 0644 (root-owned, world-readable) config holds no secret and is fine."""
    paths = StatePaths(tmp_path / "s").ensure()
    paths.config.write_text('kiosk_id = "LH-KIOSK-0005"\n', encoding="utf-8")
    os.chmod(paths.config, 0o644)
    assert load_config(tmp_path / "s")[0].kiosk_id == "LH-KIOSK-0005"


@posix_only
@pytest.mark.slow
def test_a_simulated_session_leaves_nothing_readable_by_others(tmp_path: Path) -> None:
    """The real `simulate` (embedded platform, so its data dir is in the tree too), started
    with a loose umask and a state directory an installer left at 0755 with a 0644 log: every
    directory under the state and the output is 0700 and every file 0600 afterwards."""
    state, out = tmp_path / "state", tmp_path / "out"
    (state / "logs").mkdir(parents=True)
    (state / "logs" / "kiosk.jsonl").write_text("")
    os.chmod(state / "logs", 0o755)
    os.chmod(state / "logs" / "kiosk.jsonl", 0o644)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "simulate", "--out", str(out), "--state",
                           str(state), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=280,
                          preexec_fn=lambda: os.umask(0o022))
    assert proc.returncode == 0, proc.stderr[-2000:]
    loose: list[str] = []
    seen = 0
    for top in (state, out):
        for p in [top, *top.rglob("*")]:
            if p.is_symlink():
                continue
            seen += 1
            want = 0o700 if p.is_dir() else 0o600
            if _mode(p) != want:
                loose.append(f"{oct(_mode(p))} {p.relative_to(tmp_path)}")
    assert seen > 40  # logs, models, keys, outbox, the platform's packages, the received copy
    assert (state / "platform").is_dir() and (out / "manifest.json").is_file()
    assert loose == [], loose[:20]
