"""The review before the case is submitted: what this person did, in plain words.

The session sends its own step list (every party's results); the applicant at the screen is
shown only their own part: the case number, what they did step by step ("已阅读告知事项"), who
of the staff confirmed what by hand, and the documents they signed, each openable in the
reader. The window gathers these from the flow's audit events (`PartyRecordOnScreen`).

Signals: none (the session's confirm bar carries 确认提交).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.kiosk.pages.base import Page, label
from ui.widgets.pdf_reader import PdfReader


@dataclass
class PartyRecordOnScreen:
    """What one party did, as the screen saw it."""

    label: str = ""
    results: dict[str, tuple[str, str]] = field(default_factory=dict)  # step -> (outcome, staff)
    documents: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # doc_id -> (title, pdf)


class DocumentDialog(QDialog):
    """A document opened from the review, every page in the reader, closed by 关闭."""

    def __init__(self, title: str, pdf: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        v = QVBoxLayout(self)
        v.addWidget(label(title, "title"))
        self.reader = PdfReader()
        v.addWidget(self.reader, 1)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        v.addWidget(close)
        self.reader.load(pdf)


class ReviewPage(Page):
    step_key = "review"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("请核对办理内容"), "title")
        v.addWidget(self.title)
        self.case_line = label("", "muted")
        v.addWidget(self.case_line)
        self.who = label("", "")
        v.addWidget(self.who)
        self.lines = label("", "")
        v.addWidget(self.lines)
        self.docs_title = label(self.tr("您签署的文书（点击可查看）："), "")
        v.addWidget(self.docs_title)
        self.docs_row = QHBoxLayout()
        v.addLayout(self.docs_row)
        v.addStretch(1)
        self.doc_buttons: list[QPushButton] = []
        self.dialog: DocumentDialog | None = None
        self.body = label("")  # the session's own text, kept for the confirm bar's comparison
        self.body.hide()

    def show_content(self, title: str, body: str) -> None:
        self.body.setText(body)

    def show_party(self, case_no: str, party: PartyRecordOnScreen) -> None:
        """This person's part of the case, in plain words."""
        self.case_line.setText(self.tr("受理号：") + case_no if case_no else "")
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
        for b in self.doc_buttons:
            b.deleteLater()
        self.doc_buttons = []
        for title, pdf in party.documents.values():
            b = QPushButton(self.tr("查看《%1》").replace("%1", title))
            b.setObjectName("secondary")
            b.clicked.connect(lambda _=False, t=title, p=pdf: self.open_document(t, p))
            self.docs_row.addWidget(b)
            self.doc_buttons.append(b)
        self.docs_title.setVisible(bool(party.documents))

    def open_document(self, title: str, pdf: bytes) -> None:
        self.dialog = DocumentDialog(title, pdf, self)
        self.dialog.setStyleSheet(self.window().styleSheet())
        self.dialog.setGeometry(self.window().geometry())
        self.dialog.show()
        self.dialog.raise_()

    def wipe(self) -> None:
        self.body.clear()
        self.case_line.clear()
        self.who.clear()
        self.lines.clear()
        for b in self.doc_buttons:
            b.deleteLater()
        self.doc_buttons = []
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def spoken_text(self) -> str:
        return self.tr("请核对办理内容，确认无误后点击确认提交")
