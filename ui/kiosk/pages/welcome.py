"""The attract screen."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.kiosk.pages.base import Page, icon, label


class WelcomePage(Page):
    """Attract screen. Signals: start()."""

    start = Signal()
    language = Signal(str)  # the language button: "zh_CN" or "en"
    step_key = "welcome"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        # 中文 / English: each language named in itself, so a reader of either finds it
        from ui.app import installed_language

        self.other_language = "zh_CN" if installed_language() == "en" else "en"
        self.language_button = QPushButton("中文" if self.other_language == "zh_CN" else "English")
        self.language_button.setObjectName("secondary")
        self.language_button.setMinimumHeight(theme.touch_px())
        self.language_button.clicked.connect(lambda: self.language.emit(self.other_language))
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.language_button)
        v.addLayout(top)
        v.addStretch(1)
        v.addWidget(icon("logo", 180))
        v.addWidget(label(self.tr("不动产登记 双录签名"), "hero", center=True))
        v.addWidget(label(self.tr("身份核验 · 告知 · 陈述 · 问答 · 签字，全程录音录像"), "muted", center=True))
        v.addSpacing(40)
        self.button = QPushButton(self.tr("请触摸这里开始办理"))
        self.button.setMinimumHeight(int(theme.touch_px() * 1.6))
        self.button.clicked.connect(self.start)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button, 3)
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        # gentle pulse so that the screen invites a touch from across the hall
        self._pulse = 0
        self._timer = QTimer(self)
        self._timer.setInterval(700)
        self._timer.timeout.connect(self._tick)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self._pulse ^= 1
        self.button.setObjectName("" if self._pulse else "secondary")
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)

    def spoken_text(self) -> str:
        return self.tr("您好，请触摸屏幕开始办理")
