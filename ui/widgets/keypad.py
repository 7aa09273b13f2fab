"""A large numeric keypad for the 受理号: the kiosk has no physical keyboard.

The applicant types only digits; the prefix (LH) and the dash after the year are put in for
them, so "2026000123" becomes "LH2026-000123" as they type.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from ui import theme


def format_case_no(prefix: str, digits: str) -> str:
    """LH + 4-digit year + '-' + serial, built from the digits typed so far."""
    digits = "".join(ch for ch in digits if ch.isdigit())
    if len(digits) <= 4:
        return prefix + digits
    return f"{prefix}{digits[:4]}-{digits[4:]}"


class NumericKeypad(QWidget):
    """Signals: digit(str), backspace(), cleared(), accepted()."""

    digit = Signal(str)
    backspace = Signal()
    cleared = Signal()
    accepted = Signal()

    def __init__(self, parent: QWidget | None = None, *, accept_label: str = "") -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(12)
        side = int(theme.touch_px() * 1.15)
        self.buttons: dict[str, QPushButton] = {}
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        for i, key in enumerate(keys):
            text = {"clear": self.tr("清空"), "back": self.tr("退格")}.get(key, key)
            b = QPushButton(text)
            b.setObjectName("key")
            b.setMinimumSize(side, side)
            b.setAccessibleName(text)
            self.buttons[key] = b
            grid.addWidget(b, i // 3, i % 3)
            if key == "clear":
                b.clicked.connect(self.cleared)
            elif key == "back":
                b.clicked.connect(self.backspace)
            else:
                b.clicked.connect(lambda _=False, k=key: self.digit.emit(k))
        ok = QPushButton(accept_label or self.tr("确定"))
        ok.setMinimumHeight(side)
        ok.clicked.connect(self.accepted)
        self.buttons["ok"] = ok
        grid.addWidget(ok, 4, 0, 1, 3)
