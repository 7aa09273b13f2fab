"""The step bar: where the applicant is, always visible at the top of the applicant screen.

Steps are the party steps of the flow plus 确认 and 完成; the current one is filled, done ones
carry a tick, and the party line says whose turn it is ("第1位 · 义务人 张*").
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme

STEP_KEYS = ("identity", "notice", "statement", "qa", "signing", "review", "result")


class StepBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = {
            "identity": self.tr("身份核验"), "notice": self.tr("告知"), "statement": self.tr("陈述"),
            "qa": self.tr("问答"), "signing": self.tr("签字"), "review": self.tr("确认"), "result": self.tr("完成"),
        }
        self.current = -1
        self.party = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_step(self, step: str) -> None:
        if step in STEP_KEYS:
            self.current = STEP_KEYS.index(step)
            self.update()

    def set_party(self, label: str) -> None:
        self.party = label
        self.update()

    def reset(self) -> None:
        self.current, self.party = -1, ""
        self.update()

    def label_of(self, index: int) -> str:
        return self._labels[STEP_KEYS[index]]

    def _fonts(self) -> tuple[QFont, QFont]:
        small = QFont(self.font())
        small.setPointSize(max(14, self.font().pointSize() - 6))
        bold = QFont(small)
        bold.setBold(True)
        return small, bold

    def _geometry(self) -> tuple[int, int, int]:
        """(party line height, circle radius, label height) from the current fonts."""
        small, bold = self._fonts()
        return QFontMetrics(small).height() + 6, 20, QFontMetrics(bold).height() + 6

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        party_h, r, label_h = self._geometry()
        return QSize(800, party_h + 2 * r + 8 + label_h + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w = self.width()
        n = len(STEP_KEYS)
        small, bold = self._fonts()
        party_h, r, label_h = self._geometry()
        if self.party:
            p.setFont(small)
            p.setPen(QColor(theme.MUTED))
            p.drawText(QRectF(12, 0, w - 24, party_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.tr("当前办理人：") + self.party)
        cell = w / n
        cy = party_h + r + 2
        p.setPen(QPen(QColor("#9aa6b8"), 4))
        p.drawLine(int(cell / 2), int(cy), int(w - cell / 2), int(cy))
        p.setFont(bold)
        for i in range(n):
            cx = cell * i + cell / 2
            done, now = i < self.current, i == self.current
            fill = QColor(theme.OK if done else theme.ACCENT if now else "#e6e9ef")
            p.setPen(QPen(QColor(theme.INK if now else "#9aa6b8"), 3))
            p.setBrush(fill)
            p.drawEllipse(QRectF(cx - r, cy - r, 2 * r, 2 * r))
            p.setPen(QColor("#ffffff" if (done or now) else theme.INK))
            p.drawText(QRectF(cx - r, cy - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                       "✓" if done else str(i + 1))
            p.setPen(QColor(theme.INK if now or done else theme.MUTED))
            p.drawText(QRectF(cx - cell / 2, cy + r + 4, cell, label_h), Qt.AlignmentFlag.AlignCenter,
                       self.label_of(i))
        p.end()
