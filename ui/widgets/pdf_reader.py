"""Reading a document before signing it: all pages, scrolled through, then the sign button.

The sign button only becomes active once the applicant has reached the end of the last
page — the law asks that the applicant has read what they sign, and the kiosk can at least
make sure every page went past their eyes. Pages are shown with QtPdf (`QPdfView`) where the
Qt build ships it; otherwise they are rendered by poppler (`ui.pdf_pages`) on a worker thread
and stacked in a scroll area. Either way the same rule enables the button.

Signals:
    reached_end()       the last page has been scrolled fully into view (once per document)
    sign_requested()    the applicant pressed the sign button
"""
from __future__ import annotations

import importlib.util
import io
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

HAS_QTPDF = importlib.util.find_spec("PySide6.QtPdfWidgets") is not None


class PdfReader(QWidget):
    reached_end = Signal()
    sign_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, dpi: int = 110, use_qtpdf: bool | None = None) -> None:
        super().__init__(parent)
        self.dpi = dpi
        self.use_qtpdf = HAS_QTPDF if use_qtpdf is None else (use_qtpdf and HAS_QTPDF)
        self.title = QLabel("")
        self.title.setObjectName("title")
        self.progress = QLabel("")
        self.sign_button = QPushButton(self.tr("我已阅读，开始签名"))
        self.sign_button.setMinimumHeight(80)
        self.sign_button.setEnabled(False)
        self.sign_button.clicked.connect(self.sign_requested)
        self._reached = False
        self._page_count = 0
        self._loaded_pages = 0
        self._doc: Any = None
        self._buffer: QBuffer | None = None
        v = QVBoxLayout(self)
        v.addWidget(self.title)
        if self.use_qtpdf:
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            self._doc = QPdfDocument(self)
            self.view: Any = QPdfView(self)
            self.view.setDocument(self._doc)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            scroll_bar = self.view.verticalScrollBar()
        else:
            self.view = QScrollArea(self)
            self.view.setWidgetResizable(True)
            self._pages_box = QWidget()
            self._pages_layout = QVBoxLayout(self._pages_box)
            self._pages_layout.setSpacing(18)
            self.view.setWidget(self._pages_box)
            scroll_bar = self.view.verticalScrollBar()
        scroll_bar.valueChanged.connect(self._check_end)
        scroll_bar.rangeChanged.connect(lambda *_: self._check_end())
        v.addWidget(self.view, 1)
        v.addWidget(self.progress)
        v.addWidget(self.sign_button)

    # ------------------------------------------------------------------ loading
    def load(self, pdf: bytes, title: str = "") -> None:
        """Show a document (already checked by `kiosk.signing.load_pdf_checked`)."""
        self.title.setText(title)
        self._reached = False
        self.sign_button.setEnabled(False)
        from pypdf import PdfReader as _Reader


        self._page_count = len(_Reader(io.BytesIO(pdf)).pages)
        if self.use_qtpdf:
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(pdf))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self._doc.load(self._buffer)
            self._loaded_pages = self._page_count
            self._check_end()
            return
        while self._pages_layout.count():
            item = self._pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._loaded_pages = 0
        self.progress.setText(self.tr("正在打开文书…"))
        from ui.pdf_pages import render_page_png
        from ui.workers import run_in_background

        def render_all(progress: Any) -> int:
            for page in range(1, self._page_count + 1):
                png, _ = render_page_png(pdf, page, self.dpi)
                progress((page, png))
            return self._page_count

        run_in_background(render_all, on_progress=self._add_page, name="pdf-pages")

    def _add_page(self, item: Any) -> None:
        page, png = item
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        image = QImage.fromData(png)  # format sniffed from the PNG signature
        label.setPixmap(QPixmap.fromImage(image))
        label.setAccessibleName(self.tr("第%n页", "", page))
        self._pages_layout.addWidget(label)
        self._loaded_pages = page
        self._check_end()

    # ------------------------------------------------------------------ reading rule
    @property
    def read_to_end(self) -> bool:
        return self._reached

    def _check_end(self) -> None:
        if self._page_count == 0:
            return
        bar = self.view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        all_there = self._loaded_pages >= self._page_count
        if all_there:
            self.progress.setText(self.tr("请阅读全部内容，翻到最后一页后即可签名") if not self._reached
                                  else self.tr("已阅读完毕"))
        if all_there and at_bottom and not self._reached:
            self._reached = True
            self.progress.setText(self.tr("已阅读完毕"))
            self.sign_button.setEnabled(True)
            self.reached_end.emit()

    def scroll_to_end(self) -> None:
        """Technician/test helper and the "jump to end" a staff member may allow."""
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())
