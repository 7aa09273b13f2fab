"""The end of the case."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.kiosk.pages.base import Page, label
from ui.widgets.qr_image import qr_pixmap


class ResultPage(Page):
    """The end: tick or cross, the text, the receipt QR and "请取走身份证". Signals: done()."""

    done = Signal()
    step_key = "result"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.mark = QLabel()
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = label("", "title")
        row.addWidget(self.mark)
        row.addWidget(self.text, 1)
        v.addLayout(row)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_hint = label(self.tr("扫码查看办理回执"), "muted", center=True)
        v.addWidget(self.qr, 1)
        v.addWidget(self.qr_hint)
        self.case_line = label("", "", center=True)
        v.addWidget(self.case_line)
        self.next_steps = label(self.tr("请保管好受理单，按窗口告知的时间领取办理结果。"), "muted", center=True)
        v.addWidget(self.next_steps)
        self.take_card = label(self.tr("请取走身份证"), "take_card", center=True)
        v.addWidget(self.take_card)
        self.back_in = label("", "muted", center=True)
        v.addWidget(self.back_in)
        self._left = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count)
        self.button = QPushButton(self.tr("完成"))
        self.button.clicked.connect(self.done)
        v.addWidget(self.button)
        self.ok = False
        self.card = True
        self.wipe()

    def start_countdown(self, seconds: int) -> None:
        """The screen goes back to the start by itself: say when, second by second."""
        self._left = seconds
        self._count(advance=False)
        self._tick.start()

    def _count(self, advance: bool = True) -> None:
        if advance:
            self._left = max(0, self._left - 1)
        self.back_in.setText(self.tr("%1 秒后回到首页").replace("%1", str(self._left)))
        if self._left <= 0:
            self._tick.stop()

    def show_result(self, ok: bool, text: str, qr_payload: str, *, card: bool = True, case_no: str = "") -> None:
        self.ok = ok
        self.case_line.setText(self.tr("受理号：") + case_no if case_no else "")
        self.case_line.setVisible(bool(case_no))
        self.next_steps.setVisible(ok)
        self.card = card
        self.take_card.setVisible(card)
        self.mark.setPixmap(theme.svg_pixmap("ok" if ok else "fail", 120))
        self.text.setText(text)
        if qr_payload:
            self.qr.setPixmap(qr_pixmap(qr_payload, 240))
            self.qr_hint.show()
        else:
            self.qr.clear()
            self.qr_hint.hide()

    def wipe(self) -> None:
        self._tick.stop()
        self.back_in.clear()
        self.case_line.clear()
        self.mark.clear()
        self.text.clear()
        self.qr.clear()
        self.qr_hint.hide()

    def spoken_text(self) -> str:
        return self.text.text() + (" " + self.tr("请取走身份证") if self.card else "")
