"""The step bar: where the applicant is, always visible at the top of the applicant screen.

Steps are the party steps of the flow plus 确认 and 完成; the current one is filled, and only
steps the flow reported as passed carry a tick (`mark`, from the session's audit events):
a step that was skipped, failed, or never reached stays unticked, whatever screen is shown.
The party line says whose turn it is ("第1位 · 义务人 张*").
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
        self.marks: dict[str, str] = {}  # step -> "done" | "failed" | "skipped"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_step(self, step: str) -> None:
        if step in STEP_KEYS:
            self.current = STEP_KEYS.index(step)
            self.update()

    def set_party(self, label: str) -> None:
        if label != self.party:
            # a new person: their steps (their own 确认 too) start from nothing; 完成 is the case's
            self.marks = {k: v for k, v in self.marks.items() if k == "result"}
        self.party = label
        self.update()

    def mark(self, step: str, state: str) -> None:
        """What really happened to `step`: "done", "failed" or "skipped"."""
        if step in STEP_KEYS:
            self.marks[step] = state
            self.update()

    def reset(self) -> None:
        self.current, self.party, self.marks = -1, "", {}
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
            state = self.marks.get(STEP_KEYS[i], "")
            now = i == self.current
            done, failed = state == "done", state == "failed"
            fill = QColor(theme.NO if failed else theme.ACCENT if now else theme.OK if done else "#e6e9ef")
            p.setPen(QPen(QColor(theme.INK if now else "#9aa6b8"), 3))
            p.setBrush(fill)
            p.drawEllipse(QRectF(cx - r, cy - r, 2 * r, 2 * r))
            p.setPen(QColor("#ffffff" if (done or now or failed) else theme.INK))
            mark = "✗" if failed else "✓" if done and not now else "–" if state == "skipped" else str(i + 1)
            p.drawText(QRectF(cx - r, cy - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, mark)
            p.setPen(QColor(theme.INK if now or done else theme.MUTED))
            p.drawText(QRectF(cx - cell / 2, cy + r + 4, cell, label_h), Qt.AlignmentFlag.AlignCenter,
                       self.label_of(i))
        p.end()
