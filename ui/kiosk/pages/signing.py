"""Reading and signing the documents.

The applicant first reads every page in the reader (page turns and zoom by touch); the
signature area opens only after the last page ("我已阅读，开始签名"). Then the page with the
signature place is shown with the place framed, the ink appears as it is written on the pad,
and 重签 / 确认 sit next to it for pads whose own buttons the applicant does not find.

Signals:
    read(int)            the applicant has read the document (the session's request id)
    pad_button(str)      "confirm" or "clear" pressed on screen
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.kiosk.pages.base import Page, icon, label
from ui.widgets.ink_mirror import InkMirror
from ui.widgets.pdf_reader import PdfReader


class SigningPage(Page):
    """The document to read and sign, and the ink mirror with 重签 / 确认."""

    read = Signal(int)
    pad_button = Signal(str)
    step_key = "signing"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(icon("pen", 72))
        self.title = label(self.tr("阅读并签字"), "title")
        top.addWidget(self.title, 1)
        v.addLayout(top)
        row = QHBoxLayout()
        self.reader = PdfReader()
        self.reader.reached_end.connect(self._reached_end)
        side = QWidget()
        side.setMinimumWidth(440)
        side.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        right = QVBoxLayout(side)
        right.setContentsMargins(12, 0, 0, 0)
        self.doc_title = label("", "")
        self.hint = label("", "muted")
        self.read_button = QPushButton(self.tr("我已阅读，开始签名"))
        self.read_button.clicked.connect(self._read_done)
        self.ink = InkMirror()
        buttons = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("重签"))
        self.clear_button.setObjectName("secondary")
        self.confirm_button = QPushButton(self.tr("确认"))
        for b in (self.clear_button, self.confirm_button):
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.clear_button.clicked.connect(self._clear)
        self.confirm_button.clicked.connect(lambda: self.pad_button.emit("confirm"))
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.confirm_button)
        right.addWidget(self.doc_title)
        right.addWidget(self.hint)
        self._filler = QWidget()
        self._filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        right.addWidget(self._filler)
        right.addWidget(self.read_button)
        right.addWidget(self.ink, 1)
        right.addLayout(buttons)
        row.addWidget(self.reader, 3)
        row.addWidget(side, 2)
        v.addLayout(row, 1)
        self.doc_id = ""
        self.pdf: bytes = b""
        self.read_request: int | None = None
        self.signing = False
        self._set_mode(reading=True)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)

    def on_document(self, doc_id: str, title: str, pdf: bytes, page: int,
                    rect: tuple[float, float, float, float]) -> None:
        self.doc_id, self.pdf = doc_id, pdf
        self.doc_title.setText(title)
        self.ink.clear()
        self.reader.load(pdf, anchor_page=page, anchor_rect=rect)
        self._set_mode(reading=True)

    def ask_reading(self, request_id: int) -> None:
        """The session waits until the applicant has read the document."""
        self.read_request = request_id
        self._set_mode(reading=True)

    def _reached_end(self) -> None:
        self.read_button.setEnabled(True)
        self.hint.setText(self.tr("您已看完全部页面。请点击“我已阅读，开始签名”"))

    def _read_done(self) -> None:
        rid, self.read_request = self.read_request, None
        self._set_mode(reading=False)
        self.reader.set_zoom(0.0)  # the whole width again: the place to sign with the page around it
        self.reader.show_signature_place()
        if rid is not None:
            self.read.emit(rid)

    def _clear(self) -> None:
        self.ink.clear()
        self.pad_button.emit("clear")

    def _set_mode(self, *, reading: bool) -> None:
        self.signing = not reading
        self.read_button.setVisible(reading)
        self._filler.setVisible(reading)
        self.read_button.setEnabled(reading and self.reader.read_to_end)
        self.ink.setVisible(not reading)
        self.clear_button.setVisible(not reading)
        self.confirm_button.setVisible(not reading)
        if reading:
            pages = self.reader.page_count
            self.hint.setText(self.tr("请翻阅文书的每一页（共 %1 页），可点“放大”看清文字。读完后即可签名。")
                              .replace("%1", str(pages)) if not self.reader.read_to_end else
                              self.tr("您已看完全部页面。请点击“我已阅读，开始签名”"))
        else:
            self.hint.setText(self.tr("请用签字笔在签字板上签写您的姓名，写完点击“确认”；写错了点击“重签”"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def on_pen(self, points: list[tuple[float, float, float]]) -> None:
        self.ink.add(points)

    def wipe(self) -> None:
        self.doc_id, self.pdf = "", b""
        self.read_request = None
        self.doc_title.clear()
        self.ink.clear()
        self.reader.clear()
        self.title.setText(self.tr("阅读并签字"))
        self._set_mode(reading=True)

    def spoken_text(self) -> str:
        return self.tr("请阅读文书的每一页，然后在签字板上签名")
