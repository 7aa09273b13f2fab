"""The idle countdown: a dimmed screen with a panel saying how many seconds are left, and a
big "continue" button.

It is an overlay over whatever screen is up, so the applicant sees why the session will end
and can keep it with one touch.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from ui import theme


class CountdownBanner(QWidget):
    """Signals: keep_going() when the applicant touched "继续办理"."""

    keep_going = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        panel = QFrame()
        panel.setObjectName("countdown_panel")
        panel.setStyleSheet(f"QFrame#countdown_panel {{ background: {theme.PAPER}; border: 6px solid {theme.NO};"
                            " border-radius: 24px; }"
                            f" QLabel#countdown_number {{ color: {theme.PAPER}; background: {theme.NO};"
                            " border-radius: 16px; font-size: 60pt; font-weight: bold; min-height: 120px; }")
        panel.setMaximumWidth(900)
        v = QVBoxLayout(panel)
        v.setContentsMargins(24, 24, 24, 24)
        v.setSpacing(18)
        self.number = QLabel()
        self.number.setObjectName("countdown_number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(self.tr("继续办理"))
        self.button.clicked.connect(self.keep_going)
        v.addWidget(self.number)
        v.addWidget(self.label)
        v.addWidget(self.button)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.seconds = 0
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.button.setText(self.tr("继续办理"))
        super().changeEvent(event)

    def show_seconds(self, seconds: float) -> None:
        self.seconds = max(0, int(seconds + 0.999))
        self.number.setText(str(self.seconds))
        self.label.setText(self.tr("长时间无操作，%n 秒后将结束办理。如需继续，请点击下方按钮。", "", self.seconds))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(11, 31, 58, 190))
        p.end()
