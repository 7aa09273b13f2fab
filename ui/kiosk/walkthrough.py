"""Take a demo case through the kiosk window by touch, as a newcomer would.

Used by the end-to-end UI test and the responsiveness benchmark: it only presses what a
person presses (start, the 受理号 digits, 确定, the confirm buttons, 放大 and 下一页 through every
page of each document and then 我已阅读，开始签名, and for a step that needs
staff: 工作人员处理 → 工号/密码 on the keypad → a reason → 人工通过). `click` and `wait` are
given by the caller (pytest-qt's qtbot, or QTest plus a local event loop), so the same walk
runs under both.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton

DEMO_STAFF = ("0001", "246810")


@dataclass
class Walk:
    pages: list[str] = field(default_factory=list)
    manual_decisions: int = 0
    documents_read: int = 0
    staff_logins: int = 0
    shots: list[Path] = field(default_factory=list)


def qt_click(button: QAbstractButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def qt_wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_demo_kiosk(settings: Any, paths: Any, *, windowed: bool, timeout_s: float = 240.0,
                    context_factory: Any = None, platform_factory: Any = None) -> tuple[Any, dict[str, Any]]:
    """The demo kiosk as `run --mode kiosk --demo` opens it (the application and its windows,
    shown), returned once its session context is ready; RuntimeError if that takes longer than
    `timeout_s`. For the walks of the benchmarks and `scripts/xvfb_walk.py`."""
    from ui.app import build_windows, make_application, show_windows

    app = make_application(settings)
    windows = build_windows("kiosk", settings, paths, demo=True, windowed=windowed,
                            context_factory=context_factory, platform_factory=platform_factory)
    show_windows(windows, "kiosk", settings, windowed=windowed)
    deadline = time.monotonic() + timeout_s
    while windows["control"].ctx is None:
        if time.monotonic() > deadline:
            raise RuntimeError("the demo context did not start")
        qt_wait(100)
    return app, windows


def walk_case(shell: Any, case_digits: str, *, click: Callable[[QAbstractButton], None] = qt_click,
              wait: Callable[[int], None] = qt_wait, timeout_s: float = 420.0,
              shot_dir: Path | None = None, grab: Callable[[], Any] | None = None,
              look: Callable[[str], None] | None = None) -> Walk:
    """Walk one case from the welcome screen to the result page. Returns what was seen.
    `look(name)` is called at every screenshot and every turn of the loop (a test reads the screen).

    Screenshots (with `shot_dir`) are `grab()`'s image, by default the window's own rendering;
    on a real X server pass the screen's (`scripts/xvfb_walk.py`)."""
    w = shell.applicant
    walk = Walk()
    grab = grab or w.grab

    def press(button: QAbstractButton) -> None:
        if not (button.isVisible() and button.isEnabled()):
            raise AssertionError(f"button not available: {button.text()}")
        click(button)

    def shot(name: str) -> None:
        if look is not None:
            look(name)
        if shot_dir is not None:
            path = shot_dir / f"walk_{len(walk.shots):02d}_{name}.png"
            grab().save(str(path))
            walk.shots.append(path)

    press(w.welcome.button)
    for d in case_digits:
        press(w.case_entry.keypad.buttons[d])
    shot("case_entry")
    press(w.case_entry.keypad.buttons["ok"])
    deadline = time.monotonic() + timeout_s
    while w.current_key != "result" or shell.control.busy:
        if time.monotonic() > deadline:
            raise AssertionError(f"session stuck on {w.current_key}")
        key = w.current_key
        if not walk.pages or walk.pages[-1] != key:
            walk.pages.append(key)
            shot(key)
        dialog = shell.staff_dialog
        if w.confirm_bar.isVisible():
            shot(f"{key}_confirm")
            press(w.confirm_ok)
        elif dialog is not None and dialog.isVisible():
            if dialog.login_box.isVisible() and dialog.keypad.isEnabled() and not dialog.no_field.text():
                for d in DEMO_STAFF[0] + DEMO_STAFF[1]:
                    press(dialog.keypad.buttons[d])
                shot("staff_login")
                press(dialog.keypad.buttons["ok"])
                walk.staff_logins += 1
            elif dialog.decide_box.isVisible():
                press(dialog.reason_group.buttons()[1])
                shot("staff_decision")
                press(dialog.action_buttons["manual_pass"])
                walk.manual_decisions += 1
            elif dialog.message.text():
                raise AssertionError(f"staff login failed: {dialog.message.text()}")
        elif key == "signing" and w.signing.read_request is not None and w.signing.reader.page_count:
            # read the document as a person would: larger text, every page, then sign
            reader = w.signing.reader
            if reader.zoom_in_button.isEnabled() and reader.zoom is None:
                press(reader.zoom_in_button)
            while reader.next_button.isEnabled():
                shot(f"signing_read_p{reader.page}")
                press(reader.next_button)
            shot(f"signing_read_p{reader.page}")
            press(w.signing.read_button)
            walk.documents_read += 1
        elif key == "escalation" and w.escalation.staff_button.isVisible():
            press(w.escalation.staff_button)
        if look is not None:
            look(key)
        wait(50)
    shot("result")
    return walk
