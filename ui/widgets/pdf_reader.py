"""Reading a document before signing it: every page, one at a time, large enough to read.

An elderly applicant turns pages with big 上一页 / 下一页 buttons (or drags the page with a
finger), and makes the text larger with 放大 until the body text is at least 24 pt on screen
(`MAX_BODY_PT` at the largest zoom, for a 10.5 pt body in the PDF). `reached_end` is emitted
once every page has been on screen: the law asks that the applicant has read what they sign,
and the kiosk can at least make sure every page went past their eyes.

Pages are rendered once by poppler (`ui.pdf_pages`) on a worker thread at the resolution of
the largest zoom, so zooming only scales an image and never stalls the GUI.

Signals:
    reached_end()        every page has been shown (once per document)
    page_changed(int)    the page on screen (1-based)
"""
from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import Cancelled
from ui import theme

PDF_BODY_PT = 10.5      # body text of the platform's forms
MAX_BODY_PT = 28.0      # body text on screen at the largest zoom (the issue asks for ≥ 24 pt)
ZOOM_STEP = 1.3


def smooth_scale(rows: Any, width: int, height: int, stride: int, size: tuple[int, int]) -> bytes:
    """Packed RGB rows scaled to `size` with area averaging, as 32-bit rows for `QImage.Format_RGB32`.

    OpenCV lets go of the GIL while it works; `QImage.scaled(..., SmoothTransformation)` holds
    it (40–60 ms for a page at the largest zoom), which stalled the GUI wherever it ran."""
    import cv2
    import numpy as np

    src = np.frombuffer(rows, np.uint8, count=stride * height).reshape(height, stride)[:, :width * 3]
    out = cv2.resize(src.reshape(height, width, 3), size, interpolation=cv2.INTER_AREA)
    return bytes(cv2.cvtColor(out, cv2.COLOR_RGB2BGRA).data)


class PageCanvas(QWidget):
    """One rendered page at the reader's zoom, with the signature place framed.

    The page is rendered once at the largest zoom; a smaller zoom is drawn unsmoothed at first
    and replaced by an area-averaged copy scaled off the GUI thread (`smooth_scale`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.page_size: tuple[float, float] = (595.0, 842.0)
        self.zoom = 1.0  # screen px per PDF point
        self.rect_pt: tuple[float, float, float, float] | None = None
        self.place_label = self.tr("在此签字")  # what the framed place says (the review: 您的签名)
        self._scaled: QImage | None = None
        self._scaled_rows = b""
        self._scaling: tuple[int, int] | None = None  # the size being scaled in the background
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_page(self, image: QImage | None, page_size: tuple[float, float],
                 rect: tuple[float, float, float, float] | None) -> None:
        if image is not self.image:
            self._scaled, self._scaled_rows, self._scaling = None, b"", None
        self.image, self.page_size, self.rect_pt = image, page_size, rect
        self._resize()

    def _smooth_copy(self) -> QImage | None:
        """The page at this widget's size, smooth; None while it is being made."""
        image, size = self.image, (self.width(), self.height())
        if image is None:
            return None
        if image.width() == size[0] and image.height() == size[1]:
            return image
        if self._scaled is not None and (self._scaled.width(), self._scaled.height()) == size:
            return self._scaled
        if self._scaling != size:
            from ui.workers import run_in_background

            self._scaling = size
            rows = image.constBits()  # the image is kept alive below until the copy is back

            def done(data: Any) -> None:
                try:
                    current = (self.width(), self.height())
                except RuntimeError:  # the reader was closed while the copy was made
                    return
                if self.image is image and current == size:
                    self._scaled_rows = data
                    self._scaled = QImage(data, size[0], size[1], 4 * size[0], QImage.Format.Format_RGB32)
                    self._scaling = None
                    self.update()

            run_in_background(smooth_scale, rows, image.width(), image.height(), image.bytesPerLine(), size,
                              on_result=done, name="page-scale")
        return None

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._resize()

    def _resize(self) -> None:
        w, h = self.page_size
        self.setFixedSize(QSize(max(1, int(w * self.zoom)), max(1, int(h * self.zoom))))
        self.update()

    def box_px(self) -> QRectF | None:
        """The signature place in this widget's pixels (None on other pages)."""
        if self.rect_pt is None:
            return None
        x, y, rw, rh = self.rect_pt  # PDF points, origin bottom-left
        ph = self.page_size[1]
        z = self.zoom
        return QRectF(x * z, (ph - y - rh) * z, rw * z, rh * z)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if self.image is None:
            p.setPen(QColor(theme.MUTED))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("正在打开文书…"))
        else:
            smooth = self._smooth_copy()
            if smooth is not None:
                p.drawImage(0, 0, smooth)
            else:  # unsmoothed for the moment it takes to scale it properly
                p.drawImage(self.rect(), self.image)
        box = self.box_px()
        if box is not None:
            path = QPainterPath()
            path.addRoundedRect(box.adjusted(-4, -4, 4, 4), 6, 6)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(theme.pen(theme.NO, 4.0))
            p.drawPath(path)
            f = p.font()
            f.setPointSize(max(16, int(14 * self.zoom)))
            f.setBold(True)
            p.setFont(f)
            p.setPen(QColor(theme.NO))
            h = p.fontMetrics().height() + 8
            p.drawText(QRectF(box.left(), box.top() - 8 - h, max(box.width(), 300), h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, self.place_label)
        p.end()


class PdfReader(QWidget):
    reached_end = Signal()
    page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = b""
        self.page_count = 0
        self.page = 0
        self.images: dict[int, QImage] = {}
        self._rows: dict[int, bytes] = {}
        self.sizes: dict[int, tuple[float, float]] = {}
        self.seen: set[int] = set()
        self.anchor_page = 0
        self.anchor_rect: tuple[float, float, float, float] | None = None
        self.zoom: float | None = None  # None: the page fits the width
        self._reached = False
        self._generation = 0
        self._render_stop = threading.Event()
        stop_ref = [self._render_stop]
        # the page renderer must not outlive the reader (its results would reach a deleted widget)
        self.destroyed.connect(lambda *_: stop_ref[0].set())
        self._stop_ref = stop_ref

        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.page_label = QLabel()
        self.page_label.setObjectName("page_label")
        self.zoom_out_button = QPushButton(self.tr("缩小"))
        self.zoom_out_button.setObjectName("secondary")
        self.zoom_in_button = QPushButton(self.tr("放大"))
        self.zoom_in_button.setObjectName("secondary")
        top.addWidget(self.page_label, 1)
        top.addWidget(self.zoom_out_button)
        top.addWidget(self.zoom_in_button)
        v.addLayout(top)
        self.area = QScrollArea()
        self.area.setObjectName("page_area")
        self.area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.area.setMinimumWidth(200)
        self.area.setStyleSheet("QScrollArea#page_area, QScrollArea#page_area > QWidget > QWidget "
                                "{ background: #c9d0db; border: none; }")
        self.canvas = PageCanvas()
        self.area.setWidget(self.canvas)
        # a finger drags the page (touch screens deliver it as a left-button drag)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        v.addWidget(self.area, 1)
        bottom = QHBoxLayout()
        self.prev_button = QPushButton(self.tr("上一页"))
        self.prev_button.setObjectName("secondary")
        self.next_button = QPushButton(self.tr("下一页"))
        bottom.addWidget(self.prev_button)
        bottom.addStretch(1)
        bottom.addWidget(self.next_button)
        v.addLayout(bottom)
        for b in (self.prev_button, self.next_button, self.zoom_out_button, self.zoom_in_button):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.prev_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.zoom_in_button.clicked.connect(lambda: self.set_zoom(self.current_zoom() * ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.set_zoom(self.current_zoom() / ZOOM_STEP))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._update_controls()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # not the zoomed page's size: the page scrolls inside whatever width the screen gives
        return QSize(600, 600)

    # ------------------------------------------------------------------ loading
    def load(self, pdf: bytes, *, anchor_page: int = 0,
             anchor_rect: tuple[float, float, float, float] | None = None) -> None:
        """Show a document (already checked by `kiosk.signing.load_pdf_checked`) from page 1."""
        from ui.pdf_pages import page_sizes, render_page
        from ui.workers import run_in_background

        self._generation += 1
        generation = self._generation
        self._render_stop.set()
        stop = self._render_stop = self._stop_ref[0] = threading.Event()
        self.pdf = pdf
        sizes = page_sizes(pdf)
        self.page_count = len(sizes)
        self.images, self._rows, self.seen, self._reached = {}, {}, set(), False
        self.sizes = {i + 1: size for i, size in enumerate(sizes)}
        self.anchor_page, self.anchor_rect = anchor_page, anchor_rect
        self.zoom = None
        self.show_page(1)
        dpi = int(round(self.max_zoom() * 72))
        count = self.page_count

        def render_all(progress: Any) -> int:
            for n in range(1, count + 1):
                if stop.is_set():
                    raise Cancelled
                image = render_page(pdf, n, dpi)
                if stop.is_set():
                    raise Cancelled
                progress((generation, n, image))
            return count

        run_in_background(render_all, on_progress=self._page_rendered, name="pdf-pages")

    def _page_rendered(self, item: Any) -> None:
        generation, n, page = item
        if generation != self._generation:
            return  # a newer document replaced this one while it rendered
        # wraps the worker's rows, no decode and no copy on the GUI thread; the bytes stay
        # referenced by `self._rows` as long as the image is shown
        self._rows[n] = page.rgb
        self.images[n] = QImage(page.rgb, page.width, page.height, 3 * page.width, QImage.Format.Format_RGB888)
        if n == self.page:
            self._paint_page()

    def clear(self) -> None:
        self._generation += 1
        self._render_stop.set()
        self.pdf, self.page_count, self.page = b"", 0, 0
        self.images, self._rows, self.sizes, self.seen, self._reached = {}, {}, {}, set(), False
        self.anchor_page, self.anchor_rect = 0, None
        self.canvas.set_page(None, (595.0, 842.0), None)
        self._update_controls()

    # ------------------------------------------------------------------ pages and zoom
    def show_page(self, n: int) -> None:
        if not self.page_count:
            return
        self.page = max(1, min(self.page_count, n))
        self.seen.add(self.page)
        self._paint_page()
        self.area.verticalScrollBar().setValue(0)
        self._update_controls()
        self.page_changed.emit(self.page)
        if not self._reached and len(self.seen) == self.page_count:
            self._reached = True
            self.reached_end.emit()

    def show_signature_place(self) -> None:
        """The page with the signature place, scrolled so that the framed box is in view."""
        if self.anchor_page:
            self.show_page(self.anchor_page)
            box = self.canvas.box_px()
            if box is not None:
                self.area.ensureVisible(int(box.center().x()), int(box.center().y()),
                                          int(box.width() / 2) + 80, int(box.height() / 2) + 120)

    @property
    def read_to_end(self) -> bool:
        return self._reached

    def fit_zoom(self) -> float:
        w = self.sizes.get(self.page, (595.0, 842.0))[0]
        return max(0.2, (self.area.viewport().width() - 8) / w)

    def max_zoom(self) -> float:
        """Screen px per PDF point at which the body text is `MAX_BODY_PT` on this screen."""
        dpi = self.logicalDpiY() or 96
        return max(self.fit_zoom(), MAX_BODY_PT / PDF_BODY_PT * dpi / 72.0)

    def current_zoom(self) -> float:
        return self.fit_zoom() if self.zoom is None else self.zoom

    def set_zoom(self, zoom: float) -> None:
        z = max(self.fit_zoom(), min(self.max_zoom(), zoom))
        self.zoom = None if z <= self.fit_zoom() + 1e-6 else z
        self._paint_page()
        self._update_controls()

    def body_pt_on_screen(self) -> float:
        """How large a 10.5 pt body line of the PDF is on this screen now, in points."""
        dpi = self.logicalDpiY() or 96
        return PDF_BODY_PT * self.current_zoom() * 72.0 / dpi

    def _paint_page(self) -> None:
        if not self.page:
            return
        rect = self.anchor_rect if self.page == self.anchor_page else None
        self.canvas.set_page(self.images.get(self.page), self.sizes.get(self.page, (595.0, 842.0)), rect)
        self.canvas.set_zoom(self.current_zoom())

    def _update_controls(self) -> None:
        have = self.page_count > 0
        self.prev_button.setEnabled(have and self.page > 1)
        self.next_button.setEnabled(have and self.page < self.page_count)
        self.zoom_in_button.setEnabled(have and self.current_zoom() < self.max_zoom() - 1e-6)
        self.zoom_out_button.setEnabled(have and self.zoom is not None)
        self.page_label.setText(self.tr("第 %1 页 / 共 %2 页").replace("%1", str(self.page)).replace(
            "%2", str(self.page_count)) if have else "")

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.zoom is None:
            self._paint_page()
