"""Reading and signing the documents."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.kiosk.pages.base import Page, icon, label
from ui.widgets.ink_mirror import InkMirror


class PdfPageView(QWidget):
    """One PDF page as an image with the signature place framed.

    The page image comes from `ui.widgets.pdf_reader` when that widget is there; here it is a
    rendered QImage given by the caller (`set_page`), drawn with the anchor rectangle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: Any = None
        self.page_size: tuple[float, float] = (595.0, 842.0)
        self.rect_pt: tuple[float, float, float, float] | None = None
        self.setMinimumSize(280, 300)

    def set_page(self, image: Any, page_size: tuple[float, float],
                 rect: tuple[float, float, float, float] | None) -> None:
        self.image, self.page_size, self.rect_pt = image, page_size, rect
        self.update()

    def clear(self) -> None:
        self.image, self.rect_pt = None, None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#e6e9ef"))
        pw, ph = self.page_size
        scale = min(self.width() / pw, self.height() / ph)
        w, h = pw * scale, ph * scale
        ox, oy = (self.width() - w) / 2, (self.height() - h) / 2
        page = QRectF(ox, oy, w, h)
        p.fillRect(page, QColor("#ffffff"))
        if self.image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(page, self.image)
        else:
            p.setPen(QColor(theme.MUTED))
            p.drawText(page, Qt.AlignmentFlag.AlignCenter, self.tr("正在打开文书…"))
        if self.rect_pt is not None:
            x, y, rw, rh = self.rect_pt  # PDF points, origin bottom-left
            box = QRectF(ox + x * scale, oy + (ph - y - rh) * scale, rw * scale, rh * scale)
            path = QPainterPath()
            path.addRoundedRect(box.adjusted(-4, -4, 4, 4), 6, 6)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(theme.pen(theme.NO, 4.0))
            p.drawPath(path)
            p.setPen(QColor(theme.NO))
            f = p.font()
            f.setPointSize(max(12, f.pointSize() - 8))
            f.setBold(True)
            p.setFont(f)
            p.drawText(QRectF(box.left(), box.top() - 44, max(box.width(), 200), 36),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, self.tr("在此签字"))
        p.end()


class SigningPage(Page):
    """The document to sign (page with the signature place marked) and the ink mirror."""

    step_key = "signing"

    def __init__(self, render_page: Callable[[bytes, int], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._render_page = render_page
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(icon("pen", 72))
        self.title = label(self.tr("阅读并签字"), "title")
        top.addWidget(self.title, 1)
        v.addLayout(top)
        row = QHBoxLayout()
        self.page = PdfPageView()
        right = QVBoxLayout()
        self.doc_title = label("", "")
        self.hint = label(self.tr("请用签字笔在签字板上签署您的姓名，签完按“确认”"), "muted")
        self.ink = InkMirror()
        right.addWidget(self.doc_title)
        right.addWidget(self.hint)
        right.addWidget(self.ink, 1)
        row.addWidget(self.page, 3)
        row.addLayout(right, 2)
        v.addLayout(row, 1)
        self.doc_id = ""
        self.pdf: bytes = b""

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        if body:
            self.hint.setText(body)

    def on_document(self, doc_id: str, title: str, pdf: bytes, page: int,
                    rect: tuple[float, float, float, float]) -> None:
        self.doc_id, self.pdf = doc_id, pdf
        self.doc_title.setText(title)
        self.ink.clear()
        self.page.set_page(None, self.page.page_size, rect)
        if self._render_page is not None:
            self._render_page(pdf, page)

    def on_page_image(self, image: Any, page_size: tuple[float, float]) -> None:
        self.page.set_page(image, page_size, self.page.rect_pt)

    def on_pen(self, points: list[tuple[float, float, float]]) -> None:
        self.ink.add(points)

    def wipe(self) -> None:
        self.doc_id, self.pdf = "", b""
        self.doc_title.clear()
        self.ink.clear()
        self.page.clear()
        self.title.setText(self.tr("阅读并签字"))

    def spoken_text(self) -> str:
        return self.tr("请阅读文书，然后在签字板上签名")
