"""Touch dialogs: the technician PIN, and the staff login + manual decision on the kiosk.

Both take digits from the big keypad (no keyboard at a kiosk). They are non-modal widgets
opened over the applicant window and answer by signal, so the GUI never waits in a nested
event loop and tests drive them like any other screen. A manual decision always needs a
logged-in staff member and a reason: it is recorded as manual, never as an automatic pass.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import UserFacingError
from kiosk.security.pin import DEMO_PIN, PinStore
from kiosk.session.view import StaffDecision
from ui.session_texts import without_speech_model
from ui.widgets.keypad import NumericKeypad
from ui.workers import error_text, run_in_background


class PinDialog(QDialog):
    """Technician PIN entry; on first run, the PIN is set (typed twice).

    Signals: unlocked() after the right PIN (or a new PIN was set)."""

    unlocked = Signal()

    def __init__(self, store: PinStore, *, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(self.tr("技术员登录"))
        self.setModal(False)
        # its own window above the full-screen kiosk, typeable on the keypad or a keyboard
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("pin_dialog")
        self.setAutoFillBackground(True)
        v = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        # read-only: the on-screen text keyboard never opens for it; digits come from the keypad
        # below or from a real keyboard (`keyPressEvent`)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setReadOnly(True)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        v.addWidget(self.title)
        if demo:
            hint = QLabel(self.tr("演示模式：技术员密码为 %1").replace("%1", DEMO_PIN))
            hint.setObjectName("muted")
            v.addWidget(hint)
        v.addWidget(self.field)
        v.addWidget(self.message)
        self.keypad = NumericKeypad()
        self.keypad.digit.connect(lambda d: self.field.setText(self.field.text() + d))
        self.keypad.backspace.connect(lambda: self.field.setText(self.field.text()[:-1]))
        self.keypad.cleared.connect(self.field.clear)
        self.keypad.accepted.connect(self.submit)
        v.addWidget(self.keypad)
        cancel = QPushButton(self.tr("取消"))
        cancel.setObjectName("secondary")
        cancel.clicked.connect(self.reject)
        v.addWidget(cancel)
        self._first: str | None = None
        self._setting = not store.is_set()
        self.title.setText(self.tr("首次使用：请设置技术员密码（6–12位数字）") if self._setting
                           else self.tr("请输入技术员密码"))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.activateWindow()
        self.field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, text = event.key(), event.text()
        if text.isdigit() and len(text) == 1 and len(self.field.text()) < 12:
            self.field.setText(self.field.text() + text)
        elif key == Qt.Key.Key_Backspace:
            self.field.setText(self.field.text()[:-1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def submit(self) -> None:
        pin = self.field.text()
        self.field.clear()
        if self._setting:
            if self._first is None:
                self._first = pin
                self.title.setText(self.tr("请再输入一次新密码"))
                return
            if pin != self._first:
                self._first = None
                self.title.setText(self.tr("两次输入不一致，请重新设置"))
                return
            try:
                self.store.set_pin(pin)
            except UserFacingError as exc:
                self._first = None
                self.message.setText(exc.message)
                return
            self.accept()
            self.unlocked.emit()
            return
        self.setEnabled(False)
        run_in_background(self.store.verify, pin, on_result=self._checked, on_error=self._failed, name="pin")

    def _checked(self, ok: Any) -> None:
        self.setEnabled(True)
        self.field.setFocus()
        if ok:
            self.accept()
            self.unlocked.emit()
        else:
            left = self.store.max_failures - self.store.failures()
            self.message.setText(self.tr("密码不正确，还可以再试 %1 次").replace("%1", str(left)))

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.message.setText(error_text(exc))


class StaffDecisionDialog(QDialog):
    """Staff log in (工号 + 密码 on the keypad), then retry, decide by hand, or end the session.
    A member of staff already logged in for this case (`staff_no`) goes straight to the decision.

    Signals: decided(object StaffDecision), logged_in(str staff number)."""

    decided = Signal(object)
    logged_in = Signal(str)

    REASONS = (QT_TRANSLATE_NOOP("StaffDecisionDialog", "工作人员现场核验身份无误"),
               QT_TRANSLATE_NOOP("StaffDecisionDialog", "工作人员现场核听朗读/回答无误"),
               QT_TRANSLATE_NOOP("StaffDecisionDialog", "设备故障，人工核验"),
               QT_TRANSLATE_NOOP("StaffDecisionDialog", "申请人要求终止办理"),
               QT_TRANSLATE_NOOP("StaffDecisionDialog", "申请人身份存疑"))

    def __init__(self, login: Callable[[str, str], Any], reason: str, options: list[str],
                 parent: QWidget | None = None, *, staff_no: str = "") -> None:
        super().__init__(parent)
        self._login = login
        self.options = options
        self.staff_no = staff_no
        self.setWindowTitle(self.tr("工作人员处理"))
        v = QVBoxLayout(self)
        head = QLabel(reason)
        head.setWordWrap(True)
        head.setObjectName("title")
        v.addWidget(head)
        # page 1: login
        self.login_box = QWidget()
        lv = QVBoxLayout(self.login_box)
        self.no_field = QLineEdit()
        self.no_field.setPlaceholderText(self.tr("工号"))
        self.no_field.setReadOnly(True)
        self.pin_field = QLineEdit()
        self.pin_field.setPlaceholderText(self.tr("密码"))
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setReadOnly(True)
        self._target = self.no_field
        row = QHBoxLayout()
        for f in (self.no_field, self.pin_field):
            b = QPushButton(f.placeholderText())
            b.setObjectName("secondary")
            b.clicked.connect(lambda _=False, ff=f: self._focus(ff))
            row.addWidget(b)
            row.addWidget(f, 1)
        lv.addLayout(row)
        self.keypad = NumericKeypad(accept_label=self.tr("登录"))
        self.keypad.digit.connect(self._digit)
        self.keypad.backspace.connect(lambda: self._target.setText(self._target.text()[:-1]))
        self.keypad.cleared.connect(lambda: self._target.clear())
        self.keypad.accepted.connect(self._do_login)
        lv.addWidget(self.keypad)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lv.addWidget(self.message)
        v.addWidget(self.login_box)
        # page 2: decision
        self.decide_box = QWidget()
        dv = QVBoxLayout(self.decide_box)
        dv.addWidget(QLabel(self.tr("原因：")))
        self.reason_group = QButtonGroup(self)
        for i, text in enumerate(self.REASONS):
            b = QPushButton(self.tr(str(text)))
            b.setProperty("reason", text)  # the record keeps the Chinese reason whatever the UI language
            b.setCheckable(True)
            b.setObjectName("secondary")
            self.reason_group.addButton(b, i)
            dv.addWidget(b)
        if without_speech_model(reason):  # confirming what was read or answered: the likely reason, chosen
            self.reason_group.buttons()[1].setChecked(True)
        acts = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for action, label in (("retry", self.tr("重新进行本步")), ("manual_pass", self.tr("人工通过")),
                              ("manual_fail", self.tr("人工不通过")), ("abort", self.tr("结束办理"))):
            if action not in options:
                continue
            b = QPushButton(label)
            if action in ("manual_fail", "abort"):
                b.setObjectName("danger")
            b.clicked.connect(lambda _=False, a=action: self._decide(a))
            self.action_buttons[action] = b
            acts.addWidget(b)
        dv.addLayout(acts)
        # one answer to decide (kiosk.session.steps.qa.staff_question, in either language): ask it again
        if without_speech_model(reason) and "retry" in self.action_buttons and re.match(r"(第\d+问|Question \d+)", reason):
            self.action_buttons["retry"].setText(self.tr("重问本题"))
        self.decide_message = QLabel()
        dv.addWidget(self.decide_message)
        v.addWidget(self.decide_box)
        self.decide_box.hide()
        self.staff_line = QLabel()
        self.staff_line.setObjectName("muted")
        v.addWidget(self.staff_line)
        if staff_no:
            self._show_decision()
        cancel = QPushButton(self.tr("返回"))
        cancel.setObjectName("secondary")
        cancel.clicked.connect(self.reject)
        v.addWidget(cancel)

    def _focus(self, field: QLineEdit) -> None:
        self._target = field

    def _digit(self, d: str) -> None:
        self._target.setText(self._target.text() + d)
        if self._target is self.no_field and len(self.no_field.text()) >= 4:
            self._target = self.pin_field

    def _do_login(self) -> None:
        staff_no, pin = self.no_field.text(), self.pin_field.text()
        self.pin_field.clear()
        self.keypad.setEnabled(False)

        def ok(info: Any) -> None:
            self.keypad.setEnabled(True)
            self.staff_no = staff_no
            self._show_decision()
            self.logged_in.emit(staff_no)

        def bad(exc: BaseException) -> None:
            self.keypad.setEnabled(True)
            self.message.setText(error_text(exc))

        run_in_background(self._login, staff_no, pin, on_result=ok, on_error=bad, name="staff-login")

    def _show_decision(self) -> None:
        self.login_box.hide()
        self.decide_box.show()
        self.staff_line.setText(self.tr("工作人员 %1 已登录（本案件办理期间有效）").replace("%1", self.staff_no))

    def _decide(self, action: str) -> None:
        checked = self.reason_group.checkedButton()
        if checked is None:
            self.decide_message.setText(self.tr("请先选择原因"))
            return
        self.decided.emit(StaffDecision(action, self.staff_no, str(checked.property("reason"))))
        self.accept()
