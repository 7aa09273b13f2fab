"""Live camera preview fed by a non-blocking poll, with an optional oval face guide.

The session hands the screen a `poll()` that returns the newest frame or None without
waiting; a GUI timer calls it at display rate, so a slow camera or a busy analysis never
blocks painting. Frames are shown mirrored (people expect a mirror) and scaled to fit.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme

if TYPE_CHECKING:  # numpy loads with the first frame, not before the kiosk's first paint
    import numpy as np

log = logging.getLogger(__name__)


def frame_to_qimage(rgb: np.ndarray, mirror: bool = True) -> QImage:
    import numpy as np

    rgb = np.asarray(rgb)
    arr = np.ascontiguousarray(rgb[:, ::-1] if mirror else rgb)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class CameraView(QWidget):
    """Signals: frame_shown(int seq) after each new frame is painted (tests, fps meter)."""

    frame_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, oval: bool = True, interval_ms: int = 50) -> None:
        super().__init__(parent)
        self.oval = oval
        self.oval_ok = False
        self._poll: Callable[[], Any] | None = None
        self._image: QImage | None = None
        self._last_seq = -1
        self._times: list[float] = []
        self.frames_shown = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._pull)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)

    def attach(self, poll: Callable[[], Any] | None) -> None:
        self._poll = poll
        if poll is None:
            self._timer.stop()
            self._image = None
            self._last_seq = -1
            self.update()
        else:
            self._timer.start()

    def clear(self) -> None:
        self.attach(None)

    @property
    def attached(self) -> bool:
        return self._poll is not None

    def fps(self) -> float:
        if len(self._times) < 2:
            return 0.0
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0

    def _pull(self) -> None:
        if self._poll is None:
            return
        try:
            frame = self._poll()
        except Exception:  # noqa: BLE001 - a failing preview source must not stop the screen
            log.warning("preview source failed", exc_info=True)
            frame = None
        if frame is None:
            return
        seq = int(getattr(frame, "seq", self._last_seq + 1))
        if seq == self._last_seq:
            return
        self._last_seq = seq
        image = getattr(frame, "image", frame)
        self._image = frame_to_qimage(image)
        now = time.monotonic()
        self._times = [t for t in self._times if now - t < 2.0] + [now]
        self.frames_shown += 1
        self.update()
        self.frame_shown.emit(seq)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#0b1f3a"))
        target = QRectF(self.rect())
        if self._image is not None:
            iw, ih = self._image.width(), self._image.height()
            scale = min(self.width() / iw, self.height() / ih)
            w, h = iw * scale, ih * scale
            target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self._image)
        else:
            p.setPen(QColor("#ffffff"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       self.tr("正在打开摄像头…") if self._poll is not None else self.tr("摄像头未启用"))
        if self.oval:
            ow, oh = target.width() * 0.42, target.height() * 0.78
            oval = QRectF(target.center().x() - ow / 2, target.center().y() - oh / 2, ow, oh)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen()
            pen.setColor(QColor(theme.OK if self.oval_ok else "#ffd400"))
            pen.setWidthF(8.0)
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(oval)
        p.end()
