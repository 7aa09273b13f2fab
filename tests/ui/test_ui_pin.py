"""Technician PIN store: scrypt hash on disk, lockout after five failures, survives restart."""
from __future__ import annotations

import json
import stat

import pytest

from kiosk.errors import UserFacingError
from kiosk.security.pin import PinFormatError, PinLocked, PinStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_set_and_verify_stores_only_a_scrypt_hash_with_mode_0600(tmp_path):
    store = PinStore.for_state(tmp_path / "keys")
    assert not store.is_set()
    store.set_pin("246810")
    path = tmp_path / "keys" / "pin.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["algo"] == "scrypt" and "246810" not in path.read_text()
    assert len(bytes.fromhex(data["hash"])) == 32
    assert store.verify("246810") is True
    assert store.verify("246811") is False
    assert store.failures() == 1
    assert store.verify("246810") is True
    assert store.failures() == 0


def test_two_stores_with_same_pin_have_different_salts(tmp_path):
    a, b = PinStore(tmp_path / "a.json"), PinStore(tmp_path / "b.json")
    a.set_pin("135790")
    b.set_pin("135790")
    assert json.loads((tmp_path / "a.json").read_text())["hash"] != json.loads((tmp_path / "b.json").read_text())["hash"]


@pytest.mark.parametrize("bad", ["12345", "1234567890123", "12a456", "１２３４５６", ""])
def test_pin_format_is_enforced(tmp_path, bad):
    with pytest.raises(PinFormatError):
        PinStore(tmp_path / "p.json").set_pin(bad)


def test_lockout_after_five_failures_refuses_even_the_right_pin_until_it_ends(tmp_path):
    clock = Clock()
    store = PinStore(tmp_path / "pin.json", clock=clock)
    store.set_pin("246810")
    for _ in range(4):
        assert store.verify("000000") is False
    with pytest.raises(PinLocked) as info:
        store.verify("000000")
    assert info.value.seconds == pytest.approx(300)
    assert "5 分钟" in info.value.message
    clock.now += 299
    with pytest.raises(PinLocked):
        store.verify("246810")
    # a restart (new store object on the same file) keeps the lockout
    with pytest.raises(PinLocked):
        PinStore(tmp_path / "pin.json", clock=clock).verify("246810")
    clock.now += 2
    assert store.locked_for() == 0
    assert store.verify("246810") is True


def test_verify_before_set_and_corrupt_file_are_user_facing(tmp_path):
    store = PinStore(tmp_path / "pin.json")
    with pytest.raises(UserFacingError, match="尚未设置"):
        store.verify("246810")
    (tmp_path / "pin.json").write_text("{not json")
    with pytest.raises(UserFacingError, match="损坏"):
        store.is_set()
