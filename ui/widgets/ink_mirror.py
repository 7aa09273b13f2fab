"""The ink as it arrives from the pad, drawn live (applicant signing page, technician pad test)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QSizePolicy,
    QWidget,
)

from ui import theme


class InkMirror(QWidget):
    """The ink as it arrives from the pad, so the applicant sees the signature take shape.

    Each batch of points is drawn once onto an image the size of the widget; a paint only
    copies that image. Drawing every segment again on each paint cost one Python call per
    segment, each waiting for the GIL while the session thread renders ink of its own."""

    PAPER = "#fffdf3"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[float, float, float]] = []
        self._ink: QImage | None = None
        self._last: QPointF | None = None  # the end of the stroke drawn so far
        self.setMinimumSize(300, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def add(self, points: list[tuple[float, float, float]]) -> None:
        self.points.extend(points)
        if self._ink is not None:
            self._draw(points)
        self.update()

    def clear(self) -> None:
        self.points = []
        self._ink = None
        self.update()

    def _draw(self, points: list[tuple[float, float, float]]) -> None:
        assert self._ink is not None
        p = QPainter(self._ink)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self._ink.width(), self._ink.height()
        ink = theme.pen("#000000", 2.0)
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        prev = self._last
        for x, y, pressure in points:
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
        self._last = prev

    def _backing(self) -> QImage:
        """The ink at this widget's size, drawn afresh after a resize or a clear."""
        if self._ink is None or self._ink.size() != self.size():
            self._ink = QImage(self.size(), QImage.Format.Format_ARGB32_Premultiplied)
            self._ink.fill(QColor(self.PAPER))
            p = QPainter(self._ink)
            p.setPen(theme.pen("#9aa6b8", 2.0, dashed=True))
            p.drawRect(self._ink.rect().adjusted(1, 1, -2, -2))
            p.end()
            self._last = None
            self._draw(self.points)
        return self._ink

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._ink = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.drawImage(0, 0, self._backing())
        p.end()
