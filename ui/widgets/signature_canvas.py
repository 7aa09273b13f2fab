"""The on-screen signature canvas: pen (tablet), touch or mouse in, the stamped ink out.

The ink is painted from `kiosk.signing.ink.stroke_polygons`, the same geometry the PNG that
is stamped on the document is rendered from, so what the applicant sees here is what the
registrar sees on paper. Input arrives as `devices.base.PenPoint`s (normalised 0..1, seconds)
— the same samples a hardware pad delivers — and `pen_data()` builds the `PenData` that is
checked, stamped and archived.

Tablet event compression is switched off for the application: Qt otherwise merges tablet
moves to one per frame, which would throw away the pen's sampling rate and with it the
speed the ink width is computed from.

Signals:
    confirmed(object)   PenData that passed `check_signature`
    rejected(list)      the Chinese reasons to sign again (from `check_signature`)
    changed(int)        number of strokes after any change (enable undo/clear/confirm)
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from devices.base import PenPoint
from kiosk.signing.ink import DEFAULT_INK, InkStyle, stroke_polygons
from kiosk.signing.pen import PenData, SignatureRules, check_signature
from kiosk.signing.render import INK_RGB

MOUSE_PRESSURE = 0.5  # no pressure information: the renderer's neutral width


class SignatureCanvas(QWidget):
    confirmed = Signal(object)
    rejected = Signal(list)
    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, device: str = "screen",
                 anchor_aspect: float | None = 3.0, style: InkStyle = DEFAULT_INK,
                 rules: SignatureRules | None = None) -> None:
        super().__init__(parent)
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressTabletEvents, False)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMouseTracking(False)
        self.setMinimumSize(480, 200)
        self.device = device
        self.ink_style = style
        self.rules = rules or SignatureRules()
        self.anchor_aspect = anchor_aspect
        self._strokes: list[list[PenPoint]] = []
        self._current: list[PenPoint] | None = None
        self._paths: list[QPolygonF] = []         # finished strokes, in widget pixels
        self._source = ""                          # "tablet" | "touch" | "mouse" while a stroke is open

    # ------------------------------------------------------------------ geometry
    def writing_area_mm(self) -> tuple[float, float]:
        """The widget's physical size: the pen data's coordinate frame, as on a hardware pad."""
        dpi_x = self.physicalDpiX() or 96
        dpi_y = self.physicalDpiY() or 96
        return max(self.width(), 1) / dpi_x * 25.4, max(self.height(), 1) / dpi_y * 25.4

    def guide_rect(self) -> QRectF:
        """Where the signature will go, with the anchor's aspect: it is fitted into that box."""
        margin = 16.0
        w, h = self.width() - 2 * margin, self.height() - 2 * margin
        if not self.anchor_aspect:
            return QRectF(margin, margin, w, h)
        if w / max(h, 1) > self.anchor_aspect:
            gw, gh = h * self.anchor_aspect, h
        else:
            gw, gh = w, w / self.anchor_aspect
        return QRectF((self.width() - gw) / 2, (self.height() - gh) / 2, gw, gh)

    def _norm(self, pos: QPointF) -> tuple[float, float]:
        return pos.x() / max(self.width(), 1), pos.y() / max(self.height(), 1)

    def _path_for(self, points: list[PenPoint]) -> QPolygonF:
        """Qt's share of the work: fill the renderer's polygons (mm → pixels), nothing else.

        All polygons of a stroke go into one QPolygonF, each reached from a common origin
        and left back to it along the same edge: the two passes cancel under the winding
        rule, so the fill is exactly the union of the polygons. One polygon per stroke keeps
        the number of Qt calls per repaint constant (PySide6 6.12 on Python 3.11 loses a
        reference to None on every void call, so per-vertex calls would eventually abort).
        """
        w_mm, h_mm = self.writing_area_mm()
        pen = PenData.from_points(points, self.device, w_mm, h_mm)
        sx, sy = self.width() / w_mm, self.height() / h_mm
        pts: list[QPointF] = []
        origin: QPointF | None = None
        for stroke in pen.strokes:
            for poly in stroke_polygons(stroke.samples, self.ink_style):
                first = QPointF(poly[0][0] * sx, poly[0][1] * sy)
                if origin is None:
                    origin = first
                pts.append(origin)
                pts += [QPointF(x * sx, y * sy) for x, y in poly]
                pts.append(first)
                pts.append(origin)
        return QPolygonF(pts)

    # ------------------------------------------------------------------ input
    def _begin(self, source: str, pos: QPointF, pressure: float, tilt: tuple[float, float], t: float) -> None:
        if self._current is not None:
            return
        self._source = source
        x, y = self._norm(pos)
        self._current = [PenPoint(x, y, t, pressure, True, tilt[0], tilt[1])]
        self.update()

    def _move(self, source: str, pos: QPointF, pressure: float, tilt: tuple[float, float], t: float) -> None:
        if self._current is None or source != self._source:
            return
        x, y = self._norm(pos)
        self._current.append(PenPoint(x, y, t, pressure, True, tilt[0], tilt[1]))
        self.update()

    def _end(self, source: str, pos: QPointF, t: float) -> None:
        if self._current is None or source != self._source:
            return
        x, y = self._norm(pos)
        self._current.append(PenPoint(x, y, t, 0.0, False))
        self._strokes.append(self._current)
        self._paths.append(self._path_for(self._current))
        self._current = None
        self._source = ""
        self.update()
        self.changed.emit(len(self._strokes))

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt override
        t = event.timestamp() / 1000.0
        tilt = (float(event.xTilt()), float(event.yTilt()))
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin("tablet", event.position(), float(event.pressure()), tilt, t)
        elif kind == QEvent.Type.TabletMove:
            self._move("tablet", event.position(), float(event.pressure()), tilt, t)
        elif kind == QEvent.Type.TabletRelease:
            self._end("tablet", event.position(), t)
        event.accept()  # no synthesized mouse events: the pen's samples are the record

    def event(self, ev: QEvent) -> bool:
        kind = ev.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(ev, QTouchEvent)
            pts = ev.points()
            if pts:
                pt = pts[0]
                t = ev.timestamp() / 1000.0
                pressure = float(pt.pressure()) if 0.0 < pt.pressure() < 1.0 else MOUSE_PRESSURE
                if kind == QEvent.Type.TouchBegin:
                    self._begin("touch", pt.position(), pressure, (0.0, 0.0), t)
                elif kind == QEvent.Type.TouchUpdate:
                    self._move("touch", pt.position(), pressure, (0.0, 0.0), t)
                else:
                    self._end("touch", pt.position(), t)
            ev.accept()
            return True
        return super().event(ev)

    def _synthesized(self, event: QMouseEvent) -> bool:
        return self._source in ("tablet", "touch") or \
            event.source() != Qt.MouseEventSource.MouseEventNotSynthesized

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and not self._synthesized(event):
            self._begin("mouse", event.position(), MOUSE_PRESSURE, (0.0, 0.0), event.timestamp() / 1000.0)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._move("mouse", event.position(), MOUSE_PRESSURE, (0.0, 0.0), event.timestamp() / 1000.0)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._end("mouse", event.position(), event.timestamp() / 1000.0)

    def add_points(self, points: list[PenPoint]) -> None:
        """Feed samples from a hardware pad (or a test): same path as pointer input."""
        for p in points:
            pos = QPointF(p.x * self.width(), p.y * self.height())
            if p.down and self._current is None:
                self._begin("pad", pos, p.pressure, (p.tilt_x, p.tilt_y), p.t)
            elif p.down:
                self._move("pad", pos, p.pressure, (p.tilt_x, p.tilt_y), p.t)
            else:
                self._end("pad", pos, p.t)

    # ------------------------------------------------------------------ actions
    def clear(self) -> None:
        self._strokes.clear()
        self._paths.clear()
        self._current = None
        self.update()
        self.changed.emit(0)

    def undo(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self._paths.pop()
            self.update()
            self.changed.emit(len(self._strokes))

    def stroke_count(self) -> int:
        return len(self._strokes)

    def pen_data(self) -> PenData:
        w_mm, h_mm = self.writing_area_mm()
        return PenData.from_points([p for s in self._strokes for p in s], self.device, w_mm, h_mm)

    def confirm(self) -> PenData | None:
        """Check the signature; emit `confirmed` with it or `rejected` with the reasons."""
        pen = self.pen_data()
        problems = check_signature(pen, self.rules)
        if problems:
            self.rejected.emit(problems)
            return None
        self.confirmed.emit(pen)
        return pen

    # ------------------------------------------------------------------ painting
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        # points are normalised, so the ink follows the widget; the paths are rebuilt at the new scale
        self._paths = [self._path_for(s) for s in self._strokes]
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        guide = self.guide_rect()
        p.setPen(QPen(QColor("#9aa5b8"), 2, Qt.PenStyle.DashLine))
        p.drawRoundedRect(guide, 8, 8)
        p.setPen(QPen(QColor("#c9d0dc"), 1.5))
        base_y = guide.top() + guide.height() * 0.78
        p.drawLine(QPointF(guide.left() + 20, base_y), QPointF(guide.right() - 20, base_y))
        if not self._strokes and self._current is None:
            p.setPen(QColor("#8a94a6"))
            f = p.font()
            f.setPointSize(max(f.pointSize(), 20))
            p.setFont(f)
            p.drawText(guide, Qt.AlignmentFlag.AlignCenter, self.tr("请在框内签写您的姓名"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(*INK_RGB))
        for poly in self._paths:
            p.drawPolygon(poly, Qt.FillRule.WindingFill)
        if self._current:
            p.drawPolygon(self._path_for(self._current), Qt.FillRule.WindingFill)
        p.end()


class SignaturePanel(QWidget):
    """The canvas with its three big buttons: 清除, 撤销, 确认 (touch-sized, for elderly hands)."""

    def __init__(self, parent: QWidget | None = None, **canvas_kwargs: Any) -> None:
        super().__init__(parent)
        self.canvas = SignatureCanvas(self, **canvas_kwargs)
        self.clear_button = QPushButton(self.tr("清除重写"))
        self.undo_button = QPushButton(self.tr("撤销一笔"))
        self.confirm_button = QPushButton(self.tr("确认签名"))
        for b in (self.clear_button, self.undo_button, self.confirm_button):
            b.setMinimumHeight(72)
        v = QVBoxLayout(self)
        v.addWidget(self.canvas, 1)
        row = QHBoxLayout()
        row.addWidget(self.clear_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        v.addLayout(row)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.confirm_button.clicked.connect(self.canvas.confirm)
        self.canvas.changed.connect(self._enable)
        self._enable(0)

    def _enable(self, strokes: int) -> None:
        for b in (self.clear_button, self.undo_button, self.confirm_button):
            b.setEnabled(strokes > 0)
