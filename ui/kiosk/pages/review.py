"""The review before the case is submitted: the case and what this person did, in plain words.

Left: the case as the session summarised it (`kiosk.session.summary.CaseSummary`): 受理号,
business type, the property (坐落 and its number), the parties with their roles and masked
names, this person marked. Right: what this person did step by step ("阅读了告知事项"), who of
the staff confirmed what by hand, and the documents as this person signed them, each openable
read-only in the page reader; a document not signed says so. Only this person's part is shown:
the window gathers it from the flow's audit events (`PartyRecordOnScreen`).

Signals: none (the session's confirm bar carries 确认提交).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, label
from ui.kiosk.records import PartyRecordOnScreen
from ui.kiosk_texts import kiosk_text
from ui.widgets.pdf_reader import PdfReader

if TYPE_CHECKING:
    from kiosk.session.summary import CaseSummary, SignedDocument


class DocumentDialog(QDialog):
    """A document opened from the review, every page in the reader (read only), closed by 关闭."""

    def __init__(self, title: str, pdf: bytes, parent: QWidget | None = None, *,
                 place: tuple[int, tuple[float, float, float, float]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        v = QVBoxLayout(self)
        v.addWidget(label(title, "title"))
        self.where = label("", "muted")
        v.addWidget(self.where)
        self.reader = PdfReader()
        self.reader.canvas.place_label = self.tr("您的签名")
        v.addWidget(self.reader, 1)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        v.addWidget(close)
        page, rect = place if place is not None else (0, None)
        self.reader.load(pdf, anchor_page=page, anchor_rect=rect)
        if page:
            self.where.setText(self.tr("您的签名在第%1页，已用框标出；可翻页查看全文").replace("%1", str(page)))
        self.where.setVisible(bool(page))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # opened at this person's signature: the page it is on, scrolled to it
        QTimer.singleShot(0, self.reader.show_signature_place)


class ReviewPage(Page):
    step_key = "review"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("请核对办理内容"), "title")
        v.addWidget(self.title)
        # the content scrolls (by finger too) on screens too small for it, instead of being squeezed
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        content = QWidget()
        self.area.setWidget(content)
        v.addWidget(self.area, 1)
        cols = QHBoxLayout(content)
        cols.setContentsMargins(0, 0, 0, 0)
        # left: the case
        self.case_box = QFrame()
        self.case_box.setObjectName("card")
        cv = QVBoxLayout(self.case_box)
        cv.addWidget(label(self.tr("案件信息"), "subtitle"))
        self.case_grid = QGridLayout()
        self.case_grid.setColumnStretch(1, 1)
        self.case_grid.setVerticalSpacing(10)
        cv.addLayout(self.case_grid)
        self.case_line = label("", "")
        self.business = label("", "")
        self.location = label("", "")
        self.number_name = label(self.tr("不动产单元号"), "muted", wrap=False)
        self.number = label("", "")
        self.parties = label("", "")
        rows = ((self.tr("受理号"), self.case_line), (self.tr("业务类型"), self.business),
                (self.tr("不动产坐落"), self.location), (None, self.number), (self.tr("申请人"), self.parties))
        for r, (name, value) in enumerate(rows):
            head = self.number_name if name is None else label(name, "muted", wrap=False)
            self.case_grid.addWidget(head, r, 0)
            self.case_grid.addWidget(value, r, 1)
        left = QVBoxLayout()
        left.addWidget(self.case_box)
        left.addStretch(1)
        cols.addLayout(left, 11)
        # right: this person's part, the documents first (what there is to do here)
        right = QVBoxLayout()
        cols.addSpacing(32)
        cols.addLayout(right, 9)
        self.docs_title = label(self.tr("您签署的文书（点击查看）："), "subtitle")
        right.addWidget(self.docs_title)
        self.docs_box = QVBoxLayout()
        right.addLayout(self.docs_box)
        right.addSpacing(16)
        self.who = label("", "subtitle")
        right.addWidget(self.who)
        self.lines = label("", "")
        right.addWidget(self.lines)
        right.addStretch(1)
        self.doc_buttons: list[QPushButton] = []
        self.doc_titles: list[QLabel] = []
        self.doc_note_labels: list[QLabel] = []
        self.doc_notes: list[QWidget] = []
        self.summary: CaseSummary | None = None
        self.dialog: DocumentDialog | None = None
        self.body = label("")  # the session's own text, kept for the confirm bar's comparison
        self.body.hide()
        self.wipe()

    def show_content(self, title: str, body: str) -> None:
        self.body.setText(body)

    def show_party(self, case_no: str, party: PartyRecordOnScreen) -> None:
        """This person's part of the case, in plain words."""
        if self.summary is None:  # no summary from the session: at least the number
            self.case_box.setVisible(bool(case_no))
            self.case_line.setText(case_no)
        self.who.setText(self.tr("%1，您本次办理了：").replace("%1", party.label) if party.label else "")
        words = {"identity": self.tr("核验了身份证和本人相貌"), "notice": self.tr("阅读了告知事项"),
                 "statement": self.tr("朗读了声明"), "qa": self.tr("回答了问题"),
                 "signing": self.tr("在文书上签了名")}
        lines = []
        for step in ("identity", "notice", "statement", "qa", "signing"):
            if step not in party.results:
                continue
            outcome, staff = party.results[step]
            line = "✓ " + words[step]
            if outcome == "manual_pass":
                line += self.tr("（工作人员 %1 现场确认）").replace("%1", staff or "")
            elif outcome not in ("passed", "manual_pass"):
                line = "✗ " + words[step] + self.tr("（未通过）")
            lines.append(line)
        self.lines.setText("\n".join(lines))

    def show_summary(self, summary: CaseSummary) -> None:
        """The case, the property, the parties and the documents as this person signed them."""
        self.summary = summary
        self.case_box.show()
        self.case_line.setText(summary.case_no)
        self.business.setText(kiosk_text(summary.business_type))
        self.location.setText(summary.location or "—")
        self.number_name.setText(self.tr("不动产单元号") if summary.number_label == "不动产单元号"
                                 else self.tr("权属证明号"))
        self.number.setText(summary.number or "—")
        lines = []
        for p in summary.parties:
            line = self.tr("%1：%2").replace("%1", kiosk_text(p.role)).replace("%2", p.name)
            if p.agent:
                line += self.tr("（经办人 %1）").replace("%1", p.agent)
            if p.is_you:
                line += self.tr("（您本人）")
            lines.append(line)
        self.parties.setText("\n".join(lines))
        self._clear_documents()
        for d in summary.documents:
            row = QVBoxLayout()
            row.setContentsMargins(0, 0, 0, 8)
            # the title on a line of its own (wrapped), a short 查看 beside the note: a button
            # holding a long title (or its English) was wider than the column and got cut
            title = label(self.tr("《%1》").replace("%1", d.title), "doc_title")
            b = QPushButton(self.tr("查看"))
            b.setObjectName("secondary")
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setAccessibleName(d.title)
            if d.pdf is not None:
                b.clicked.connect(lambda _=False, t=d.title, p=d.pdf, at=d.place: self.open_document(t, p, at))
            else:
                b.setEnabled(False)
            note = label(self.document_note(d), "ok_line" if d.status == "signed" else "problem")
            bar = QHBoxLayout()
            bar.addWidget(b)
            bar.addWidget(note, 1)
            row.addWidget(title)
            row.addLayout(bar)
            holder = QWidget()
            holder.setLayout(row)
            self.docs_box.addWidget(holder)
            self.doc_buttons.append(b)
            self.doc_titles.append(title)
            self.doc_note_labels.append(note)
            self.doc_notes.append(holder)
        self.docs_title.setVisible(bool(summary.documents))

    def document_note(self, d: SignedDocument) -> str:
        """Where this person signed the document, or that they did not, in plain words."""
        if d.status == "not_signed":
            return self.tr("未签名：签字环节未完成")
        if d.status == "partly_signed":
            return self.tr("部分签名：还有签字位置未签")
        where = self.tr("、").join(self.tr("第%1页").replace("%1", str(p)) for p in d.pages)
        text = self.tr("已签名（%1）").replace("%1", where)
        return text + (self.tr("，单位印章在提交时加盖") if d.seal_later else "")

    def _clear_documents(self) -> None:
        for w in [*self.doc_notes]:
            w.deleteLater()
        self.doc_buttons, self.doc_notes = [], []
        self.doc_titles, self.doc_note_labels = [], []

    def open_document(self, title: str, pdf: bytes,
                      place: tuple[int, tuple[float, float, float, float]] | None = None) -> None:
        self.dialog = DocumentDialog(title, pdf, self, place=place)
        self.dialog.setStyleSheet(self.window().styleSheet())
        self.dialog.setGeometry(self.window().geometry())
        self.dialog.show()
        self.dialog.raise_()

    def wipe(self) -> None:
        self.body.clear()
        self.summary = None
        for w in (self.case_line, self.business, self.location, self.number, self.parties, self.who, self.lines):
            w.clear()
        self.case_box.hide()
        self._clear_documents()
        self.docs_title.hide()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def spoken_text(self) -> str:
        return self.tr("请核对办理内容，确认无误后点击确认提交")
