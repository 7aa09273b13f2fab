"""The notice read to the applicant."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, label


class NoticePage(Page):
    step_key = "notice"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("告知"), "title")
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        v.addWidget(self.title)
        v.addWidget(self.body, 1)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setPlainText(body)

    def wipe(self) -> None:
        self.title.setText(self.tr("告知"))
        self.body.clear()

    def spoken_text(self) -> str:
        return self.body.toPlainText()
