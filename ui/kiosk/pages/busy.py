"""A wait for the platform or the devices."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, label


class BusyPage(Page):
    """Waiting for the platform or the devices; nothing to do but wait."""

    step_key = "busy"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        self.text = label(self.tr("正在查询案件，请稍候…"), "title", center=True)
        v.addWidget(self.text)
        v.addStretch(1)

    def show_content(self, title: str, body: str) -> None:
        self.text.setText(title)

    def wipe(self) -> None:
        self.text.setText(self.tr("请稍候…"))
