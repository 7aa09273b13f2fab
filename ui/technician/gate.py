"""Technician mode's front door: nothing but the PIN until it is accepted."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.security.pin import PinStore
from ui import theme
from ui.dialogs import PinDialog


class TechnicianGate(QWidget):
    def __init__(self, store: PinStore, *, demo: bool, console_factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("技术员维护"))
        self.setStyleSheet(theme.staff_stylesheet())
        self._factory = console_factory
        self.console: QWidget | None = None
        v = QVBoxLayout(self)
        self.pin = PinDialog(store, demo=demo, parent=self)
        self.pin.setWindowFlags(Qt.WindowType.Widget)  # the PIN pad is this window's content
        self.pin.unlocked.connect(self._open)
        self.pin.rejected.connect(self.close)
        v.addWidget(self.pin)
        self.resize(460, 620)

    def _open(self) -> None:
        self.console = self._factory()
        self.console.show()
        self.hide()
