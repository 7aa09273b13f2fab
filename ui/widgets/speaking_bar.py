"""While the applicant reads aloud or answers: a level meter ("the kiosk hears you"), the time
left, and 读完了 / 答完了 to say they are done without waiting for the silence to be timed.

Signals: done() the applicant pressed the button.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ui.widgets.level_meter import LevelMeter


class SpeakingBar(QWidget):
    done = Signal()

    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.meter = LevelMeter()
        self.meter.setMinimumHeight(48)
        self.meter.show_value = False
        self.meter.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.left = QLabel()
        self.left.setObjectName("muted")
        self.button = QPushButton(button_text)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.button.clicked.connect(self._pressed)
        row.addWidget(self.meter, 2)
        row.addWidget(self.left)
        row.addWidget(self.button)
        self.hide()

    def update_listening(self, seconds_left: float, level_dbfs: float) -> None:
        self.meter.set_level(level_dbfs)
        self.left.setText(self.tr("还剩 %1 秒").replace("%1", str(int(seconds_left + 0.5))))
        self.button.setEnabled(True)
        self.show()

    def _pressed(self) -> None:
        self.button.setEnabled(False)
        self.done.emit()

    def reset(self) -> None:
        self.hide()
        self.meter.set_level(-96.0)
        self.left.clear()
        self.button.setEnabled(True)
