"""Kiosk shell behaviour: lockdown keys, the hidden technician entry, the idle countdown that
wipes the session, QR case numbers, and the staff/technician windows (with screenshots)."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest
import qrcode
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.flow import SessionFlow, State
from kiosk.model import case_no_from_qr, parse_case
from kiosk.security.pin import DEMO_PIN, PinStore
from kiosk.session.steps.qa import staff_question
from kiosk.session.view import PLACE_CARD
from ui import theme
from ui.kiosk.lockdown import CornerTaps, KeyLock, is_escape_key
from ui.kiosk.qr_scan import decode_case_no
from ui.kiosk.shell import KioskShell
from ui.session_bridge import QtSessionView
from ui.session_control import SessionControl
from ui.voice import Voice

CARD_WAIT, ANSWERS = "LH2026-000778", "LH2026-000779"  # case numbers the scripted runner plays differently
CASE = {"case_no": "LH2026-000777", "business_type": "存量房转移登记",
        "parties": [{"party_id": "p1", "role": "义务人", "name": "测试人", "id_number": "411102198001010019"}]}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class ScriptedRunner:
    """Stands in for the session runner where the test is about the shell, not the session:
    it loads a case into a real SessionFlow (injected clock), shows the notice and waits for
    the applicant's confirmation exactly like the runner, and honours cancel()."""

    def __init__(self, view: QtSessionView, clock: Clock) -> None:
        self.view = view
        self.flow = SessionFlow(idle_timeout_s=120, idle_countdown_s=15, clock=clock)
        self.cancelled = threading.Event()
        self.reason = ""

    def run(self, case_no: str) -> str:
        if case_no == CARD_WAIT:  # self-service: waiting for the ID card before the lookup
            self.view.show_step("", "card", PLACE_CARD, f"受理号 {case_no}")
            while not self.cancelled.wait(0.05):
                pass
            return "aborted"
        self.flow.load_case(parse_case(CASE))
        if case_no == ANSWERS:  # no speech model: each answer put to the staff on its own
            answers = [self.view.staff_decision(staff_question(n, "您是否自愿办理？", "affirm", "yes"),
                                                ["retry", "manual_pass", "manual_fail", "abort"])
                       for n in (1, 2)]
            return ",".join(f"{a.action}/{a.staff_id}" for a in answers)
        self.view.show_step("义务人 测*", "notice", "告知事项", "告知内容")
        self.view.confirm("告知事项", "告知内容", "我已阅读并知晓")
        if self.cancelled.is_set():
            self.flow.abort(self.reason)
            return "aborted"
        return "confirmed"

    def cancel(self, reason: str = "cancelled") -> None:
        self.reason = reason
        self.cancelled.set()


def _qr_frame(payload: str | None) -> np.ndarray:
    canvas = np.full((480, 640, 3), 200, np.uint8)
    if payload:
        rgb = np.array(qrcode.make(payload).get_image().convert("RGB"))
        h, w = min(rgb.shape[0], 400), min(rgb.shape[1], 400)
        canvas[40:40 + h, 120:120 + w] = rgb[:h, :w]
    return canvas


@pytest.fixture
def qr_payload() -> str | None:
    return None


@pytest.fixture
def shell(qtbot, tmp_path, qr_payload):
    from types import SimpleNamespace

    from devices.camera.sim import SimulatedCamera
    from devices.owner import DeviceOwner

    camera = DeviceOwner(SimulatedCamera([_qr_frame(qr_payload)], fps=10, realtime=True), ring_capacity=8).start()
    ctx = SimpleNamespace(devices=SimpleNamespace(camera=camera))
    clock = Clock()
    view = QtSessionView()
    runners: list[ScriptedRunner] = []

    def make_runner(ctx: Any, v: QtSessionView, staff: str) -> ScriptedRunner:
        runners.append(ScriptedRunner(v, clock))
        return runners[-1]

    control = SessionControl(view, lambda: ctx, runner_factory=make_runner)
    store = PinStore.for_state(tmp_path / "keys")
    store.set_pin(DEMO_PIN)
    opened: list[bool] = []
    s = KioskShell(control, Voice(enabled=False), pin_store=store, demo=True, locked=True,
                   technician_factory=lambda: opened.append(True) or _Dummy())
    s.setStyleSheet(theme.stylesheet(26))
    s.resize(1280, 800)
    s.show()
    with qtbot.waitSignal(control.ready, timeout=5000):
        control.prepare()
    s.clock, s.runners, s.opened = clock, runners, opened
    yield s
    control.cancel("test_end")
    qtbot.waitUntil(lambda: not control.busy, timeout=5000)
    s.leave_kiosk()
    qtbot.waitUntil(lambda: s._scan_worker is None, timeout=5000)
    camera.stop()
    s.deleteLater()


class _Dummy:
    destroyed = type("S", (), {"connect": staticmethod(lambda fn: None)})()

    def show(self) -> None:
        return None


def test_escape_keys_are_swallowed_and_close_is_refused(qtbot, shell):
    for key, mods in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                      (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
                      (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)):
        ev = QKeyEvent(QEvent.Type.KeyPress, key, mods)
        assert is_escape_key(ev)
        with qtbot.waitSignal(shell.key_lock.blocked, timeout=1000):
            QApplication.sendEvent(shell.applicant, ev)
    assert not is_escape_key(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_5, Qt.KeyboardModifier.NoModifier))
    assert not shell.close() and shell.isVisible()


def test_five_corner_taps_then_pin_open_the_technician_console(qtbot, shell, shots):
    taps = shell.corner
    taps.tap(QPoint(500, 500))
    for _ in range(4):
        taps.tap(QPoint(10, 10))
    assert shell.pin_dialog is None
    with qtbot.waitSignal(taps.unlocked, timeout=1000):
        taps.tap(QPoint(20, 15))
    dialog = shell.pin_dialog
    assert dialog is not None and dialog.isVisible()
    shell.grab().save(str(shots / "14_kiosk_pin.png"))
    for d in DEMO_PIN:
        qtbot.mouseClick(dialog.keypad.buttons[d], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(shell.technician_unlocked, timeout=5000):
        qtbot.mouseClick(dialog.keypad.buttons["ok"], Qt.MouseButton.LeftButton)
    assert shell.opened == [True]
    assert not shell.key_lock.enabled, "keys work while the technician has the console"


def test_quick_real_taps_in_the_corner_open_a_pin_window_typed_on_the_keyboard(qtbot, shell):
    """Taps as an X server delivers them (seen with xdotool on Xvfb): each press reaches the
    top-level QWindow first, then the widget; every second quick tap reaches the widget as a
    double-click. All five must count. Then the PIN is typed on a keyboard."""
    window, widget = shell.windowHandle(), shell.applicant
    assert window is not None
    local = widget.mapFrom(shell, QPoint(12, 12))

    def event(kind: QEvent.Type, pos: QPoint, stamp: int) -> QMouseEvent:
        e = QMouseEvent(kind, QPointF(pos), QPointF(shell.mapToGlobal(QPoint(12, 12))), Qt.MouseButton.LeftButton,
                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        e.setTimestamp(stamp)
        return e

    with qtbot.waitSignal(shell.corner.unlocked, timeout=3000):
        for tap in range(5):
            stamp = 1000 + 200 * tap
            shell.corner.eventFilter(window, event(QEvent.Type.MouseButtonPress, QPoint(12, 12), stamp))
            kind = QEvent.Type.MouseButtonDblClick if tap % 2 else QEvent.Type.MouseButtonPress
            shell.corner.eventFilter(widget, event(kind, local, stamp))
    dialog = shell.pin_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isWindow()
    assert dialog.width() < shell.width(), "a dialog window of its own, not a cover over the kiosk"
    qtbot.keyClicks(dialog.field, "12ab" + DEMO_PIN[2:])
    assert dialog.field.text() == "12" + DEMO_PIN[2:], "digits only"
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, DEMO_PIN)
    with qtbot.waitSignal(shell.technician_unlocked, timeout=5000):
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)


def test_idle_countdown_then_the_session_is_wiped(qtbot, shell, shots):
    app_w = shell.applicant
    qtbot.mouseClick(app_w.welcome.button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(shell.view.confirm_requested, timeout=5000):
        shell.start_case("LH2026-000777")
    assert app_w.current_key == "notice" and app_w.confirm_bar.isVisible()
    runner = shell.runners[-1]
    shell.clock.now += 110  # 10 s left: inside the 15 s countdown window
    with qtbot.waitSignal(shell.control.countdown, timeout=3000) as sig:
        pass
    assert 9 <= sig.args[0] <= 10
    assert app_w.countdown.isVisible() and app_w.countdown.seconds == 10
    shell.grab().save(str(shots / "15_idle_countdown.png"))
    # one touch keeps the session
    qtbot.mouseClick(app_w.countdown.button, Qt.MouseButton.LeftButton)
    assert not app_w.countdown.isVisible()
    assert runner.flow.idle_remaining() == pytest.approx(120)
    # then nobody comes back
    shell.clock.now += 121
    with qtbot.waitSignal(shell.control.ended, timeout=5000):
        pass
    assert runner.cancelled.is_set() and runner.reason == "idle_timeout"
    assert runner.flow.state is State.ABORTED
    assert app_w.current_key == "welcome"
    assert app_w.notice.body.toPlainText() == "" and not app_w.confirm_bar.isVisible()
    # a late screen from the dead session never appears
    shell.view.show_step("义务人 测*", "statement", "请朗读以下内容", "迟到")
    qtbot.wait(50)
    assert app_w.current_key == "welcome"


@pytest.mark.parametrize("qr_payload", ["https://bdc.example/receipt?case=LH2026-000777"])
def test_qr_slip_in_front_of_the_camera_enters_the_case(qtbot, shell, shots):
    app_w = shell.applicant
    with qtbot.waitSignal(app_w.case_entered, timeout=15_000) as sig:
        qtbot.mouseClick(app_w.welcome.button, Qt.MouseButton.LeftButton)
    assert sig.args == ["LH2026-000777"]
    qtbot.waitUntil(lambda: app_w.current_key == "notice", timeout=10_000)
    assert shell.runners, "the session started once the scanner let go of the camera"


def test_case_number_from_a_real_qr_code():
    canvas = _qr_frame("https://bdc.example/receipt?case=LH2026-000123&x=1")
    assert decode_case_no(canvas) == "LH2026-000123"
    assert decode_case_no(np.full((480, 640, 3), 200, np.uint8)) is None
    assert case_no_from_qr("lh2026-000123") == "LH2026-000123"
    assert case_no_from_qr("BDC:CASE:LH2026-000124") == "LH2026-000124"
    assert case_no_from_qr("https://bdc.example/q?case_no=LH2026-000125&x=1") == "LH2026-000125"
    assert case_no_from_qr("hello") is None


def test_corner_taps_need_five_in_three_seconds():
    taps = CornerTaps(window_s=3.0)
    hits: list[int] = []
    taps.unlocked.connect(lambda: hits.append(1))
    for _ in range(4):
        taps.tap(QPoint(5, 5))
    taps.tap(QPoint(300, 300))  # a touch elsewhere starts over
    for _ in range(4):
        taps.tap(QPoint(5, 5))
    assert hits == []
    taps.tap(QPoint(5, 5))
    assert hits == [1]


def test_key_lock_can_be_lifted():
    lock = KeyLock()
    lock.enabled = False
    ev = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert lock.eventFilter(QApplication.instance(), ev) is False


def test_a_staff_member_logged_in_for_the_case_goes_straight_to_the_decision(qtbot):
    from ui.dialogs import StaffDecisionDialog

    logins: list[str] = []
    first = StaffDecisionDialog(lambda no, pin: logins.append(no) or {"name": "张敏"}, "陈述：需要核听", ["manual_pass"])
    qtbot.addWidget(first)
    first.show()
    for d in "0001" + "246810":
        qtbot.mouseClick(first.keypad.buttons[d], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(first.logged_in, timeout=3000) as got:
        qtbot.mouseClick(first.keypad.buttons["ok"], Qt.MouseButton.LeftButton)
    assert got.args == ["0001"] and first.decide_box.isVisible()
    second = StaffDecisionDialog(lambda no, pin: logins.append(no), "问答：需要核听", ["manual_pass"], staff_no="0001")
    qtbot.addWidget(second)
    second.show()
    assert second.decide_box.isVisible() and not second.login_box.isVisible() and "0001" in second.staff_line.text()
    reason = second.reason_group.buttons()[1]
    qtbot.mouseClick(reason, Qt.MouseButton.LeftButton)
    assert reason.isChecked()
    with qtbot.waitSignal(second.decided) as decided:
        qtbot.mouseClick(second.action_buttons["manual_pass"], Qt.MouseButton.LeftButton)
    assert decided.args[0].staff_id == "0001" and logins == ["0001"]


def test_cancel_on_the_id_card_page_ends_the_wait_and_goes_back_to_the_start(qtbot, shell):
    app_w = shell.applicant
    qtbot.mouseClick(app_w.welcome.button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(shell.view.step, timeout=5000):
        shell.start_case(CARD_WAIT)
    assert app_w.current_key == "card" and app_w.card.cancel_button.isVisible()
    with qtbot.waitSignal(shell.control.ended, timeout=5000):
        qtbot.mouseClick(app_w.card.cancel_button, Qt.MouseButton.LeftButton)
        assert app_w.current_key == "welcome"  # at once, not when the reader's wait returns
    assert shell.runners[-1].reason == "card_wait_cancelled"
    assert app_w.current_key == "welcome" and app_w.card.case_line.text() == ""


def test_staff_logged_in_for_the_case_confirm_each_answer_without_a_tap_on_the_kiosk(qtbot, shell):
    """No speech model: the staff member logged in for the case gets the decision window for
    every answer by itself, the question and the tapped answer on it, the reason chosen."""
    from types import SimpleNamespace

    app_w = shell.applicant
    logouts: list[bool] = []
    shell.control.ctx.client = SimpleNamespace(staff_logout=lambda: logouts.append(True))
    qtbot.mouseClick(app_w.welcome.button, Qt.MouseButton.LeftButton)
    shell.case_staff = "0001"
    shell.start_case(ANSWERS)
    for n in (1, 2):
        qtbot.waitUntil(lambda n=n: shell.staff_dialog is not None and shell.staff_dialog.isVisible()
                        and f"第{n}问" in shell.staff_dialog.findChild(QLabel, "title").text(), timeout=5000)
        dialog = shell.staff_dialog
        head = dialog.findChild(QLabel, "title").text()
        assert "触屏作答：是" in head and dialog.decide_box.isVisible() and not dialog.login_box.isVisible()
        assert dialog.reason_group.checkedButton() is dialog.reason_group.buttons()[1]
        if n == 1:
            qtbot.mouseClick(dialog.action_buttons["manual_pass"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(shell.control.ended, timeout=5000) as ended:
        qtbot.mouseClick(dialog.action_buttons["manual_pass"], Qt.MouseButton.LeftButton)
    assert ended.args == ["manual_pass/0001,manual_pass/0001"]
    assert logouts == [True] and shell.case_staff == ""  # the login was for this case only


def test_the_next_applicant_finds_the_kiosk_in_its_own_language(qtbot, shell):
    """An applicant switches to English on the welcome screen; back at the start (result page
    closed, or the keypad left idle) the kiosk speaks its configured Chinese again."""
    from ui.app import install_translation, installed_language

    try:
        assert shell.home_language == "zh_CN"
        with qtbot.waitSignal(shell.applicant.language_changed, timeout=2000):
            qtbot.mouseClick(shell.applicant.welcome.language_button, Qt.MouseButton.LeftButton)
        assert installed_language() == "en" and shell.applicant.welcome.button.text() == "Touch here to start"
        qtbot.waitUntil(lambda: shell.windowTitle() != "不动产登记双录签名终端", timeout=2000)
        qtbot.mouseClick(shell.applicant.welcome.button, Qt.MouseButton.LeftButton)
        assert shell.applicant.current_key == "intake"
        with qtbot.waitSignal(shell.applicant.language_changed, timeout=2000):
            shell._intake_timed_out()  # the applicant walked away from the keypad
        assert installed_language() == "zh_CN" and shell.applicant.current_key == "welcome"
        assert shell.applicant.welcome.button.text() == "请触摸这里开始办理"
        assert shell.applicant.welcome.language_button.text() == "English"
    finally:
        install_translation(QApplication.instance(), "zh_CN")
