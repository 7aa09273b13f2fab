"""ID card and live face check."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.kiosk.pages.base import Page, label
from ui.widgets.camera_view import CameraView


class CardAnimation(QWidget):
    """An ID card sliding down onto the reader, over and over: "put your card here"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._tick)
        self.setMinimumSize(260, 240)
        self._card = theme.svg_pixmap("idcard", 160)
        self._reader = theme.svg_pixmap("reader", 200)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self.phase = (self.phase + 0.02) % 1.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        cx = self.width() / 2
        base = self.height() - 10
        p.drawPixmap(int(cx - 100), int(base - 160), self._reader)
        t = min(1.0, self.phase * 1.6)
        y = 0 + t * max(0.0, base - 160 - 60 - 0)
        p.drawPixmap(int(cx - 80), int(y), self._card)
        p.end()


_ACTION_ICONS = (("眨眼", "blink"), ("张嘴", "mouth"), ("左", "turn_left"), ("右", "turn_right"),
                 ("点头", "nod"), ("blink", "blink"), ("mouth", "mouth"), ("left", "turn_left"),
                 ("right", "turn_right"), ("nod", "nod"))


def action_icon(text: str, voice_key: str = "") -> str | None:
    """The liveness icon for a prompt ("请眨眨眼" → blink), from the voice key or the words."""
    for word, icon_name in _ACTION_ICONS:
        if word in voice_key:
            return icon_name
    for word, icon_name in _ACTION_ICONS:
        if word in text:
            return icon_name
    return None


class IdentityPage(Page):
    """ID card prompt with animation, then the live face check with an oval guide and action icons."""

    step_key = "identity"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("身份核验"), "title")
        v.addWidget(self.title)
        # between two parties: the one who finished takes the card, the next one is called up
        self.handover = label("", "handover", center=True)
        v.addWidget(self.handover)
        row = QHBoxLayout()
        self.card = CardAnimation()
        self.card_text = label(self.tr("请将身份证放在读卡器上"), "", center=True)
        card_box = QVBoxLayout()
        card_box.addWidget(self.card, 1)
        card_box.addWidget(self.card_text)
        self.card_panel = QWidget()
        self.card_panel.setLayout(card_box)
        self.face = CameraView(oval=True)
        self.camera = self.face
        self.action = QLabel()
        self.action.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.action.setMinimumWidth(220)
        row.addWidget(self.card_panel, 1)
        row.addWidget(self.face, 2)
        row.addWidget(self.action)
        v.addLayout(row, 1)
        self.wipe()

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        if body:
            self.card_text.setText(body)
        # the card prompt only while the card is asked for; the face check gets the whole width
        asks_card = "身份证" in title + body or "card" in body.lower()
        self.card_panel.setVisible(asks_card)
        self.action.clear()

    def end_handover(self) -> None:
        """The next party is through identity: the call-up has done its work."""
        self.handover.hide()

    def show_handover(self, finished: int, next_label: str) -> None:
        """Party `finished` (1-based) is through; `next_label` ("权利人 李*") is called up."""
        self.handover.setText(
            self.tr("第%1位已办理完成，请取走身份证。").replace("%1", str(finished)) + "\n"
            + self.tr("请第%1位 %2 上前，将身份证放在读卡器上").replace("%1", str(finished + 1)).replace(
                "%2", next_label))
        self.handover.show()

    def on_guidance(self, text: str, voice_key: str) -> None:
        name = action_icon(text, voice_key)
        if name:
            self.action.setPixmap(theme.svg_pixmap(name, 200))
        else:
            self.action.clear()
        self.face.oval_ok = "保持" in text or "ok" in voice_key

    def on_preview(self, attached: bool) -> None:
        """The preview runs for the whole party (one recording); the card prompt decides the panel."""

    def wipe(self) -> None:
        self.title.setText(self.tr("身份核验"))
        self.card_text.setText(self.tr("请将身份证放在读卡器上"))
        self.card_panel.show()
        self.handover.clear()
        self.handover.hide()
        self.action.clear()
        self.face.clear()

    def spoken_text(self) -> str:
        if self.handover.isVisibleTo(self):
            return self.handover.text().replace("\n", " ")
        return self.tr("请将身份证放在读卡器上，然后看着摄像头")
