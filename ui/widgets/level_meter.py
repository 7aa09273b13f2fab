"""A microphone level bar (RMS in dBFS), for the technician's microphone test and the staff view."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from ui import theme


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = -96.0
        self.show_value = True  # the technician reads the number; an applicant only sees the bar
        self.setMinimumHeight(28)

    def set_level(self, db: float) -> None:
        self.db = db
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#e6e9ef"))
        share = min(1.0, max(0.0, (self.db + 60.0) / 60.0))
        colour = theme.OK if self.db < -6 else theme.NO
        p.fillRect(QRectF(0, 0, self.width() * share, self.height()), QColor(colour))
        if self.show_value:
            p.setPen(QColor(theme.INK))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, f"{self.db:.0f} dBFS")
        p.end()
