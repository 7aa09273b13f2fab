"""Any other screen the session wants."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, label


class MessagePage(Page):
    """Any other screen the session wants (a wait, a problem, a hand-over between parties)."""

    step_key = "message"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        self.title = label("", "hero", center=True)
        self.body = label("", "", center=True)
        v.addWidget(self.title)
        v.addWidget(self.body)
        v.addStretch(1)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setText(body)

    def wipe(self) -> None:
        self.title.clear()
        self.body.clear()

    def spoken_text(self) -> str:
        return self.title.text() + " " + self.body.text()
