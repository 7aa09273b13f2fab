"""Self-service intake: the ID card on the reader before the case is looked up.

A large drawing of a card going onto the reader, what to do in three short lines, the
受理号 being asked for, a countdown (`kiosk.session.view.CARD_WAIT_S`) and 取消. What the
session says while it waits arrives as guidance: the card was read (green, the case is being
looked up), or the reader could not read it / is disconnected (red, with what to do); the wait
goes on until the countdown ends. At zero, or on 取消, the page asks to go back to the start.

Signals: cancelled() — 取消 pressed or the countdown ran out.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.session.view import CARD_READ, CARD_WAIT_S, PLACE_CARD
from ui import theme
from ui.kiosk.pages.base import Page, label
from ui.kiosk_texts import kiosk_text


class CardOnReader(QWidget):
    """A card above the reader with an arrow down (waiting), on it with a tick (read), or with a
    red cross (the reader has a problem). Drawn, so it scales to any screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = "waiting"  # waiting | read | problem
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 260)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 520)

    def set_state(self, state: str) -> None:
        self.state = state
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = float(self.width()), float(self.height())
        unit = min(w / 16.0, h / 13.0)
        cx = w / 2.0
        # the reader: a dark box with the light reading area on top
        reader = QRectF(cx - 6.5 * unit, h - 5.0 * unit, 13 * unit, 4.2 * unit)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#33404f"))
        p.drawRoundedRect(reader, unit * 0.6, unit * 0.6)
        pad = QRectF(cx - 4.6 * unit, reader.top() + 0.6 * unit, 9.2 * unit, 2.2 * unit)
        colour = {"read": theme.OK, "problem": theme.NO}.get(self.state, "#7fb2f0")
        p.setBrush(QColor(colour))
        p.drawRoundedRect(pad, unit * 0.3, unit * 0.3)
        p.setPen(QPen(QColor("#ffffff"), unit * 0.12))
        for r in (0.5, 0.9, 1.3):  # the contactless waves of the reading area
            arc = QRectF(cx - r * unit, pad.bottom() - 0.4 * unit - r * unit, 2 * r * unit, 2 * r * unit)
            p.drawArc(arc, 45 * 16, 90 * 16)
        # the card: above the reader while waiting, lying on it once read
        card_w, card_h = 8.6 * unit, 5.4 * unit
        top = pad.top() - card_h * 0.35 if self.state == "read" else 0.4 * unit
        card = QRectF(cx - card_w / 2, top, card_w, card_h)
        p.setPen(QPen(QColor(theme.INK), unit * 0.08))
        p.setBrush(QColor("#eaf3ff"))
        p.drawRoundedRect(card, unit * 0.45, unit * 0.45)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#b9cbe3"))
        p.drawRoundedRect(QRectF(card.right() - 2.9 * unit, card.top() + 0.8 * unit, 2.2 * unit, 2.8 * unit),
                          unit * 0.2, unit * 0.2)  # the photo
        for i in range(4):  # the printed lines
            p.drawRoundedRect(QRectF(card.left() + 0.8 * unit, card.top() + (1.0 + 0.9 * i) * unit,
                                     (4.4 - 0.6 * (i % 2)) * unit, 0.35 * unit), unit * 0.1, unit * 0.1)
        p.drawRoundedRect(QRectF(card.left() + 0.8 * unit, card.bottom() - 1.1 * unit, 7.0 * unit, 0.45 * unit),
                          unit * 0.1, unit * 0.1)  # the number line
        if self.state == "waiting":  # an arrow from the card down to the reading area
            p.setBrush(QColor(theme.ACCENT))
            x, y0, y1 = cx, card.bottom() + 0.3 * unit, pad.top() - 0.3 * unit
            if y1 - y0 > 1.2 * unit:
                p.drawRect(QRectF(x - 0.35 * unit, y0, 0.7 * unit, y1 - y0 - 1.0 * unit))
                p.drawPolygon(QPolygonF([QPointF(x - 1.1 * unit, y1 - 1.1 * unit), QPointF(x + 1.1 * unit, y1 - 1.1 * unit),
                                         QPointF(x, y1)]))
        elif self.state in ("read", "problem"):  # a tick or a cross in a disc at the card's corner
            r = 1.3 * unit
            c = QPointF(card.right() - 0.3 * unit, card.bottom() - 0.3 * unit)
            p.setBrush(QColor(theme.OK if self.state == "read" else theme.NO))
            p.drawEllipse(c, r, r)
            p.setPen(QPen(QColor("#ffffff"), unit * 0.3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            mark = QPainterPath()
            if self.state == "read":
                mark.moveTo(c.x() - 0.6 * unit, c.y())
                mark.lineTo(c.x() - 0.1 * unit, c.y() + 0.5 * unit)
                mark.lineTo(c.x() + 0.7 * unit, c.y() - 0.5 * unit)
            else:
                mark.moveTo(c.x() - 0.5 * unit, c.y() - 0.5 * unit)
                mark.lineTo(c.x() + 0.5 * unit, c.y() + 0.5 * unit)
                mark.moveTo(c.x() + 0.5 * unit, c.y() - 0.5 * unit)
                mark.lineTo(c.x() - 0.5 * unit, c.y() + 0.5 * unit)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(mark)
        p.end()


class CardPage(Page):
    cancelled = Signal()
    step_key = "card"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("请先将身份证放在读卡区"), "hero", center=True)
        v.addWidget(self.title)
        self.case_line = label("", "muted", center=True)
        v.addWidget(self.case_line)
        row = QHBoxLayout()
        v.addLayout(row, 1)
        self.picture = CardOnReader()
        row.addWidget(self.picture, 1)
        right = QVBoxLayout()
        row.addSpacing(32)
        row.addLayout(right, 1)
        right.addStretch(1)
        right.addWidget(label(self.tr("请这样做："), "subtitle"))
        self.steps = label("\n".join((self.tr("1. 取出本人的居民身份证"),
                                      self.tr("2. 有照片的一面朝上，平放在蓝色读卡区"),
                                      self.tr("3. 放好后不要移动，读卡需要一两秒"))), "")
        right.addWidget(self.steps)
        right.addSpacing(24)
        self.status = label("", "muted")
        right.addWidget(self.status)
        right.addStretch(1)
        self.countdown = label("", "subtitle")
        right.addWidget(self.countdown)
        self.cancel_button = QPushButton(self.tr("取消，返回首页"))
        self.cancel_button.setObjectName("secondary")
        self.cancel_button.clicked.connect(self._cancel)
        right.addWidget(self.cancel_button)
        self.state = "waiting"
        self.left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title or self.tr("请先将身份证放在读卡区"))
        case_no = body.split()[-1] if body.split() else ""
        self.case_line.setText(self.tr("受理号：%1").replace("%1", case_no) if case_no else "")
        self._set_state("waiting", self.tr("正在等待读取身份证…"))
        self.left = CARD_WAIT_S
        self._show_left()
        self._timer.start()

    def on_guidance(self, text: str) -> None:
        """What the session says while it waits: the card read, or a problem and what to do."""
        if text == kiosk_text(PLACE_CARD):
            return
        if text == kiosk_text(CARD_READ):
            self._timer.stop()
            self.countdown.clear()
            self._set_state("read", text)
            return
        # the reader could not read the card, or is disconnected: the wait goes on
        self._set_state("problem", text)

    def _set_state(self, state: str, text: str) -> None:
        self.state = state
        self.picture.set_state(state)
        self.status.setObjectName({"read": "ok_line", "problem": "problem"}.get(state, "muted"))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)  # after the style: its height is measured in the new (bold) font
        # room for a reader's message of three lines, reserved: the layout does not jump when it comes
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 3 + 8)

    def _tick(self) -> None:
        self.left -= 1
        self._show_left()
        if self.left <= 0:
            self._cancel()

    def _show_left(self) -> None:
        self.countdown.setText(self.tr("%1 秒后自动返回首页").replace("%1", str(max(0, self.left))))

    def _cancel(self) -> None:
        self._timer.stop()
        self.cancelled.emit()

    def wipe(self) -> None:
        self._timer.stop()
        self.left = 0
        self.case_line.clear()
        self.countdown.clear()
        self._set_state("waiting", "")

    def spoken_text(self) -> str:
        return self.tr("请先将身份证放在读卡区")
