"""The ink as it arrives from the pad, drawn live (applicant signing page, technician pad test)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from ui import theme


class InkMirror(QWidget):
    """The ink as it arrives from the pad, so the applicant sees the signature take shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[float, float, float]] = []
        self.setMinimumSize(300, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def add(self, points: list[tuple[float, float, float]]) -> None:
        self.points.extend(points)
        self.update()

    def clear(self) -> None:
        self.points = []
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#fffdf3"))
        p.setPen(theme.pen("#9aa6b8", 2.0, dashed=True))
        p.drawRect(self.rect().adjusted(1, 1, -2, -2))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        prev: QPointF | None = None
        ink = theme.pen("#000000", 2.0)
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        for x, y, pressure in self.points:
            if pressure <= 0:
                prev = None
                continue
            pt = QPointF(x * w, y * h)
            if prev is not None:
                ink.setWidthF(1.5 + 4 * pressure)
                p.setPen(ink)
                p.drawLine(prev, pt)
            prev = pt
        p.end()


