"""A step that needs a person."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, icon, label
from ui.session_texts import plain_for_applicant, without_speech_model


class EscalationPage(Page):
    """A step could not be passed automatically. In kiosk mode the applicant may try again or
    stop; a manual decision needs staff (staff button → staff login with reason).
    Signals: retry(), stop() (after a second 确定结束), staff()."""

    retry = Signal()
    stop = Signal()
    staff = Signal()
    step_key = "escalation"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        v.addWidget(icon("staff", 110))
        v.addWidget(label(self.tr("需要工作人员协助"), "hero", center=True))
        self.reason = label("", "", center=True)
        v.addWidget(self.reason)
        self.waiting = label(self.tr("工作人员正在处理，请稍候"), "muted", center=True)
        v.addWidget(self.waiting)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("再试一次"))
        self.retry_button.clicked.connect(self.retry)
        self.staff_button = QPushButton(self.tr("工作人员处理"))
        self.staff_button.setObjectName("secondary")
        self.staff_button.clicked.connect(self.staff)
        self.stop_button = QPushButton(self.tr("结束办理"))
        self.stop_button.setObjectName("danger")
        self.stop_button.clicked.connect(self._ask_stop)
        for b in (self.retry_button, self.staff_button, self.stop_button):
            row.addWidget(b)
        self.buttons = QWidget()
        self.buttons.setLayout(row)
        v.addWidget(self.buttons)
        # ending the case ends it for every party: asked once more, in plain words
        self.stop_confirm = QWidget()
        sv = QVBoxLayout(self.stop_confirm)
        self.stop_question = label(self.tr("确定要结束本次办理吗？本案件所有申请人都需要重新办理。"), "problem",
                                   center=True)
        sv.addWidget(self.stop_question)
        srow = QHBoxLayout()
        self.keep_button = QPushButton(self.tr("继续办理"))
        self.keep_button.clicked.connect(self._keep)
        self.stop_sure_button = QPushButton(self.tr("确定结束"))
        self.stop_sure_button.setObjectName("danger")
        self.stop_sure_button.clicked.connect(self.stop)
        srow.addWidget(self.keep_button)
        srow.addWidget(self.stop_sure_button)
        sv.addLayout(srow)
        v.addWidget(self.stop_confirm)
        self.stop_confirm.hide()
        v.addStretch(1)

    def _ask_stop(self) -> None:
        self.buttons.hide()
        self.stop_confirm.show()

    def _keep(self) -> None:
        self.stop_confirm.hide()
        self.buttons.show()

    def ask(self, reason: str, options: list[str], applicant_may_answer: bool) -> None:
        self.reason.setText(plain_for_applicant(reason))
        self.stop_confirm.hide()
        self.buttons.setVisible(applicant_may_answer)
        self.waiting.setVisible(not applicant_may_answer)
        # without a speech model another try fails the same way: only staff can go on
        self.retry_button.setVisible("retry" in options and not without_speech_model(reason))
        self.staff_button.setVisible(any(o.startswith("manual") for o in options))

    def wipe(self) -> None:
        self.reason.clear()
        self.stop_confirm.hide()

    def spoken_text(self) -> str:
        return self.tr("需要工作人员协助")
