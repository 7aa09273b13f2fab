"""The review before the party finishes."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, label


class ReviewPage(Page):
    step_key = "review"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("请确认办理结果"), "title")
        self.body = QTextBrowser()
        v.addWidget(self.title)
        v.addWidget(self.body, 1)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setPlainText(body)

    def wipe(self) -> None:
        self.body.clear()

    def spoken_text(self) -> str:
        return self.tr("请核对办理内容，确认无误后点击确认")
