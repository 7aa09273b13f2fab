"""受理号 entry: numeric keypad or the receipt's QR code."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.kiosk.pages.base import Page, icon, label
from ui.widgets.camera_view import CameraView
from ui.widgets.keypad import NumericKeypad, format_case_no


class CaseEntryPage(Page):
    """受理号 by numeric keypad or by the receipt's QR code. Signals: entered(str), back()."""

    entered = Signal(str)
    back = Signal()
    step_key = "intake"

    def __init__(self, prefix: str = "LH", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix = prefix
        self.digits = ""
        outer = QVBoxLayout(self)
        outer.addWidget(label(self.tr("请输入受理号，或将受理单上的二维码对准摄像头"), "title"))
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.scanner = CameraView(oval=False)
        self.camera = self.scanner
        scan_head = QHBoxLayout()
        scan_head.addStretch(1)
        scan_head.addWidget(icon("qr", 48))
        scan_head.addWidget(label(self.tr("扫描二维码"), "", wrap=False))
        scan_head.addStretch(1)
        left.addLayout(scan_head)
        left.addWidget(self.scanner, 1)
        right = QVBoxLayout()
        self.display = QLineEdit()
        self.display.setObjectName("case_display")
        self.display.setReadOnly(True)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(theme.touch_px() + 20)
        self.problem = label("", "problem")
        self.keypad = NumericKeypad(accept_label=self.tr("确定"))
        self.keypad.digit.connect(self._digit)
        self.keypad.backspace.connect(self._backspace)
        self.keypad.cleared.connect(self._clear)
        self.keypad.accepted.connect(self._accept)
        right.addWidget(self.display)
        right.addWidget(self.problem)
        right.addWidget(self.keypad, 1)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        self.back_button = QPushButton(self.tr("返回"))
        self.back_button.setObjectName("secondary")
        self.back_button.clicked.connect(self.back)
        left.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._render()

    @property
    def case_no(self) -> str:
        return format_case_no(self.prefix, self.digits)

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)

    def _digit(self, d: str) -> None:
        if len(self.digits) < 12:
            self.digits += d
            self.problem.clear()
            self._render()

    def _backspace(self) -> None:
        self.digits = self.digits[:-1]
        self._render()

    def _clear(self) -> None:
        self.digits = ""
        self._render()

    def _render(self) -> None:
        self.display.setText(self.case_no)

    def _accept(self) -> None:
        if len(self.digits) < 6:
            self.problem.setText(self.tr("受理号位数不够，请核对受理单"))
            return
        self.entered.emit(self.case_no)

    def wipe(self) -> None:
        self.digits = ""
        self.problem.clear()
        self._render()
        self.scanner.clear()

    def spoken_text(self) -> str:
        return self.tr("请输入受理号，或将受理单上的二维码对准摄像头")
