"""The PIN store under concurrency and after losing its file.

Ten guessers at once (threads, each with its own `PinStore` as a second process would have)
must get no more than the five evaluated guesses the lockout allows; a deleted, emptied or
corrupt pin.json after set-up must lock the console, never offer a first-time set-up.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.security.pin import PinLocked, PinStore, PinStoreLost

PIN = "246810"


def test_ten_racing_guessers_get_five_guesses(tmp_path: Path) -> None:
    PinStore.for_state(tmp_path).set_pin(PIN)
    events: list[str] = []
    lock = threading.Lock()

    def audit(kind: str, **_fields: Any) -> None:
        with lock:
            events.append(kind)

    start = threading.Barrier(10)
    results: list[object] = []

    def guess(n: int) -> None:
        store = PinStore.for_state(tmp_path, audit=audit)
        start.wait()
        try:
            out: object = store.verify(f"13579{n}")
        except PinLocked as exc:
            out = exc
        with lock:
            results.append(out)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    evaluated = events.count("technician_pin_failed") + events.count("technician_locked_out")
    assert evaluated == 5, events
    assert results.count(False) == 4 and sum(isinstance(r, PinLocked) for r in results) == 6
    with pytest.raises(PinLocked):  # and the right PIN is refused while locked
        PinStore.for_state(tmp_path).verify(PIN)


@pytest.mark.parametrize("damage", ["delete", "null", "garbage", "empty-object"])
def test_a_lost_pin_file_after_set_up_locks_the_console(tmp_path: Path, damage: str) -> None:
    PinStore.for_state(tmp_path).set_pin(PIN)
    pin = tmp_path / "pin.json"
    if damage == "delete":
        pin.unlink()
    else:
        pin.write_text({"null": "null", "garbage": "{\"hash\": ", "empty-object": "{}"}[damage])
    store = PinStore.for_state(tmp_path)
    assert store.is_set()  # no first-time set-up offered
    with pytest.raises(PinStoreLost, match="运维方案") as err:
        store.verify(PIN)
    assert err.value.code == "pin_store_lost"


def test_the_documented_recovery_restores_a_first_time_set_up(tmp_path: Path) -> None:
    PinStore.for_state(tmp_path).set_pin(PIN)
    (tmp_path / "pin.json").unlink()
    (tmp_path / "pin.enrolled").unlink()  # docs/operations.md 6.2, done by an administrator
    store = PinStore.for_state(tmp_path)
    assert not store.is_set()
    store.set_pin("135790")
    assert store.verify("135790") is True


def test_a_store_set_up_before_the_marker_existed_gets_one(tmp_path: Path) -> None:
    PinStore.for_state(tmp_path).set_pin(PIN)
    (tmp_path / "pin.enrolled").unlink()
    PinStore.for_state(tmp_path)  # next start of the new version
    (tmp_path / "pin.json").unlink()
    with pytest.raises(PinStoreLost):
        PinStore.for_state(tmp_path).verify(PIN)


def test_the_login_dialog_does_not_offer_a_new_pin_after_the_file_is_lost(tmp_path: Path, qtbot: Any) -> None:
    from ui.dialogs import PinDialog

    PinStore.for_state(tmp_path).set_pin(PIN)
    (tmp_path / "pin.json").write_text("null")
    dialog = PinDialog(PinStore.for_state(tmp_path))
    qtbot.addWidget(dialog)
    assert "首次使用" not in dialog.title.text()
    for d in PIN:
        dialog.keypad.digit.emit(d)
    with qtbot.waitSignal(dialog.keypad.accepted, timeout=5000):
        dialog.keypad.accepted.emit()
    qtbot.waitUntil(lambda: "运维方案" in dialog.message.text(), timeout=10000)
    assert not dialog.result()
