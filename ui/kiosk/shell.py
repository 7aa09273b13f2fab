"""Kiosk mode: the applicant window full screen and locked, with the session wired in.

Welcome → 受理号 → the session runner drives the screens → result → back to welcome, wiped.
Idle on the case-entry page returns to the welcome screen; idle inside a session runs the
countdown and then cancels the session (`SessionControl`). Five taps in the top-left corner
open the technician PIN, then the technician console.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk.security.pin import PinStore
from ui import theme
from ui.kiosk.applicant_window import ApplicantWindow
from ui.kiosk.lockdown import ActivityWatch, CornerTaps, KeyLock, KioskInput
from ui.kiosk.qr_scan import scan_loop
from ui.session_bridge import QtSessionView
from ui.session_control import SessionControl
from ui.session_texts import without_speech_model
from ui.voice import Voice
from ui.workers import Worker, run_in_background

if TYPE_CHECKING:  # built on first use, after the first paint
    from ui.dialogs import PinDialog, StaffDecisionDialog

log = logging.getLogger(__name__)

RESULT_HOLD_MS = 30_000


class KioskShell(QWidget):
    """Signals: technician_unlocked() after the PIN was accepted."""

    technician_unlocked = Signal()

    def __init__(self, control: SessionControl, voice: Voice, *, pin_store: PinStore, demo: bool,
                 intake_idle_s: int = 120, technician_factory: Callable[[], QWidget] | None = None,
                 locked: bool = True) -> None:
        super().__init__()
        from ui.app import installed_language

        self.home_language = installed_language()  # as configured (`ui.language`)
        self.control = control
        self.view: QtSessionView = control.view
        self.pin_store = pin_store
        self.demo = demo
        self.locked = locked
        self.allow_close = not locked
        self._technician_factory = technician_factory
        self.technician: QWidget | None = None
        self.setWindowTitle(self.tr("不动产登记双录签名终端"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.applicant = ApplicantWindow(self.view, voice, intake=True)
        lay.addWidget(self.applicant)

        self.key_lock = KeyLock(self)
        self.corner = CornerTaps(parent=self)
        self.corner.unlocked.connect(self.ask_pin)
        self.activity = ActivityWatch(self)
        self.activity.activity.connect(self._on_activity)
        self.input_filter = KioskInput(self.key_lock if locked else None, self.corner, self.activity, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.input_filter)

        self._intake_idle = QTimer(self)
        self._intake_idle.setSingleShot(True)
        self._intake_idle.setInterval(intake_idle_s * 1000)
        self._intake_idle.timeout.connect(self._intake_timed_out)
        self._result_hold = QTimer(self)
        self._result_hold.setSingleShot(True)
        self._result_hold.setInterval(RESULT_HOLD_MS)
        self._result_hold.timeout.connect(self._back_to_start)

        self.applicant.case_entered.connect(self.start_case)
        self.applicant.finished.connect(self._back_to_start)
        self.applicant.staff_requested.connect(self.ask_staff)
        self.applicant.pad_button.connect(self.control.press_pad)
        self.applicant.touch_answer.connect(self.control.record_touch_answer)
        self.applicant.card_cancelled.connect(self._card_cancelled)
        self.view.staff_decision_requested.connect(self._staff_at_hand)
        self.view.result_shown.connect(lambda *_: self._hold_result())
        control.countdown.connect(self.applicant.show_countdown)
        self.applicant.countdown.keep_going.connect(control.touch)
        control.timed_out.connect(self._session_timed_out)
        control.ended.connect(self._session_ended)
        control.problem.connect(self._problem)
        self.pin_dialog: PinDialog | None = None
        self.staff_dialog: StaffDecisionDialog | None = None
        self.case_staff = ""  # the staff number logged in for the running case
        self._scan_stop: threading.Event | None = None
        self._scan_worker: Worker | None = None
        self._pending_case: str | None = None
        self.applicant.stack.currentChanged.connect(self._page_changed)
        control.ready.connect(lambda: self._page_changed(0))

    # ------------------------------------------------------------------ QR scan on the case-entry page
    def _page_changed(self, _index: int) -> None:
        if self.applicant.current_key == "intake" and not self.control.busy:
            self._start_scan()
        else:
            self._stop_scan()

    def _start_scan(self) -> None:
        ctx = self.control.ctx
        if ctx is None or self._scan_worker is not None:
            return
        stop = threading.Event()
        lock = threading.Lock()
        latest: list[Any] = [None]

        def put(frame: Any) -> None:
            with lock:
                latest[0] = frame

        def poll() -> Any:
            with lock:
                return latest[0]

        def found(case_no: Any) -> None:
            if case_no and self.applicant.current_key == "intake":
                self.applicant.voice.say(self.tr("已识别受理号"))
                self.applicant.case_entered.emit(str(case_no))

        def finished() -> None:
            self._scan_worker = None
            self._scan_stop = None
            self.applicant.case_entry.scanner.clear()
            if self._pending_case is not None:
                case_no, self._pending_case = self._pending_case, None
                self.control.start(case_no)

        self._scan_stop = stop
        self.applicant.case_entry.scanner.attach(poll)
        self._scan_worker = run_in_background(scan_loop, ctx.devices.camera, stop, put, on_result=found,
                                              on_finished=finished, name="qr-scan")

    def _stop_scan(self) -> None:
        if self._scan_stop is not None:
            self._scan_stop.set()

    # ------------------------------------------------------------------ flow
    def start_case(self, case_no: str) -> None:
        self._intake_idle.stop()
        if self.control.ctx is None:
            self.applicant.show_busy(self.tr("正在准备设备，请稍候…"))
        else:
            self.applicant.show_busy(self.tr("正在查询案件，请稍候…"))
        if self._scan_worker is not None:
            # the scanner still holds the camera: start when it has let go (its `finished`)
            self._pending_case = case_no
            self._stop_scan()
            return
        self.control.start(case_no)

    def _on_activity(self) -> None:
        self.control.touch()
        if self.applicant.current_key == "intake":
            self._intake_idle.start()
        if self._result_hold.isActive():
            self._hold_result()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("不动产登记双录签名终端"))
        super().changeEvent(event)

    def _intake_timed_out(self) -> None:
        if self.applicant.current_key == "intake" and not self.control.busy:
            self.applicant.wipe()
            self._home_language()

    def _home_language(self) -> None:
        """The next applicant finds the kiosk in its own language, whatever the last one chose."""
        from ui.app import installed_language

        if installed_language() != self.home_language:
            self.applicant.switch_language(self.home_language)

    def _session_timed_out(self) -> None:
        self._close_dialogs()
        self.applicant.wipe()
        self.applicant.voice.say(self.tr("长时间无操作，办理已结束"))

    def _session_ended(self, outcome: Any) -> None:
        if self.case_staff and self.control.ctx is not None:
            # the staff login was for this case: it must not prove presence for the next applicant
            self.control.ctx.client.staff_logout()
        self.case_staff = ""
        self._close_dialogs()
        if self.applicant.current_key not in ("result", "intake"):
            # nothing left half-finished on screen: whatever the session was doing is gone
            # (the keypad stays when it shows why the 受理号 was not accepted)
            self.applicant.wipe()

    def _card_cancelled(self) -> None:
        """取消 on the ID-card page, or its countdown ran out: nothing started, back to the start."""
        self.control.cancel("card_wait_cancelled")
        self.applicant.wipe()

    def _hold_result(self) -> None:
        self._result_hold.start()
        self.applicant.result_page.start_countdown(RESULT_HOLD_MS // 1000)

    def _back_to_start(self) -> None:
        self._result_hold.stop()
        if self.control.busy:
            return
        self.applicant.wipe()
        self._home_language()

    def _problem(self, text: str) -> None:
        if self.control.busy:
            return
        if self.applicant.current_key in ("busy", "intake"):
            self.applicant.show_intake_problem(text)
        else:
            self.applicant.on_result(False, text, "")

    def _close_dialogs(self) -> None:
        if self.staff_dialog is not None:
            self.staff_dialog.reject()
            self.staff_dialog = None

    # ------------------------------------------------------------------ staff and technician
    def ask_staff(self, request_id: int) -> None:
        if (request_id, "staff") not in self.view.pending_requests() or self.control.ctx is None:
            return
        if self.staff_dialog is not None and self.staff_dialog.isVisible():
            return  # already open (opened for the staff at hand, and 工作人员处理 tapped too)
        options = ["retry", "manual_pass", "manual_fail", "abort"]
        reason = self.applicant.staff_reason or self.applicant.escalation.reason.text()

        def login(staff_no: str, pin: str) -> Any:
            return self.control.ctx.client.staff_login(staff_no, pin)

        # one staff login per case: kept until the session ends
        from ui.dialogs import StaffDecisionDialog

        dialog = StaffDecisionDialog(login, reason, options, self, staff_no=self.case_staff)
        dialog.logged_in.connect(lambda no: setattr(self, "case_staff", no))
        dialog.decided.connect(lambda d: self.view.answer_staff(request_id, d))
        self.staff_dialog = dialog
        self._cover(dialog)

    def _staff_at_hand(self, request_id: int, reason: str, _options: object) -> None:
        """Without a speech model the member of staff logged in for the case stays at the kiosk
        and confirms each answer: their decision window opens at once, no tap on 工作人员处理."""
        if self.case_staff and without_speech_model(reason):
            QTimer.singleShot(0, lambda: self.ask_staff(request_id))

    def _cover(self, dialog: QWidget) -> None:
        """Dialogs take the whole kiosk screen (a bare X session has no window manager to centre them)."""
        dialog.setGeometry(self.geometry())
        dialog.show()
        dialog.raise_()

    def ask_pin(self) -> None:
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            return
        from ui.dialogs import PinDialog

        self.pin_dialog = PinDialog(self.pin_store, demo=self.demo, parent=self)
        self.pin_dialog.unlocked.connect(self._open_technician)
        self.pin_dialog.setStyleSheet(theme.staff_stylesheet() + f"""
            QDialog#pin_dialog {{ background: #f4f6f9; border: 4px solid {theme.ACCENT}; }}""")
        # a window of its own in the middle of the kiosk screen (no window manager places it)
        box = self.geometry()
        w, h = min(560, box.width()), min(680, box.height())
        self.pin_dialog.setGeometry(box.x() + (box.width() - w) // 2, box.y() + (box.height() - h) // 2, w, h)
        self.pin_dialog.show()
        self.pin_dialog.raise_()
        self.pin_dialog.activateWindow()

    def _open_technician(self) -> None:
        self.technician_unlocked.emit()
        if self._technician_factory is None:
            return
        self.technician = self._technician_factory()
        self.key_lock.enabled = False
        self.technician.destroyed.connect(lambda *_: setattr(self.key_lock, "enabled", True))
        self.technician.show()

    def leave_kiosk(self) -> None:
        """The technician's "exit the kiosk program" (the only way out)."""
        self.allow_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.allow_close:
            event.ignore()
            return
        self._stop_scan()
        if self._scan_worker is not None:
            self._scan_worker.wait(5)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.input_filter)
        super().closeEvent(event)
