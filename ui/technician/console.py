"""The technician console: test each device, tune thresholds and policy, enrol the kiosk,
look after the outbox, export masked logs and print a self-test report.

The console is the frame (title, close and exit, the tabs); each tab is its own module under
`ui.technician.tabs` and shares one `ConsoleState` (settings, session control, checks, workers).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from kiosk.config import Settings, StatePaths
from ui import theme
from ui.technician.tab import ConsoleState, ConsoleTab
from ui.technician.tabs.devices import DevicesTab
from ui.technician.tabs.enrolment import EnrolmentTab
from ui.technician.tabs.export import ExportTab
from ui.technician.tabs.outbox import OutboxTab
from ui.technician.tabs.settings import SettingsTab
from ui.technician.tabs.thresholds import ThresholdsTab


class TechnicianConsole(QWidget):
    def __init__(self, settings: Settings, paths: StatePaths, *, control: Any, demo: bool,
                 on_exit: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = ConsoleState(settings, paths, control=control, demo=demo)
        self.setWindowTitle(self.tr("技术员维护台"))
        self.setStyleSheet(theme.staff_stylesheet())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        v = QVBoxLayout(self)
        head = QHBoxLayout()
        title = QLabel(self.tr("技术员维护台") + f" — {settings.kiosk_id}")
        title.setObjectName("title")
        head.addWidget(title, 1)
        self.status = QLabel()
        head.addWidget(self.status)
        self.close_button = QPushButton(self.tr("关闭维护台"))
        self.close_button.clicked.connect(self.close)
        head.addWidget(self.close_button)
        if on_exit is not None:
            # the only way out of a locked kiosk: behind the PIN, in the technician's hands
            self.exit_button = QPushButton(self.tr("退出终端程序"))
            self.exit_button.setObjectName("danger")
            self.exit_button.clicked.connect(lambda: (self.close(), on_exit()))
            head.addWidget(self.exit_button)
        v.addLayout(head)
        self.tabs = QTabWidget()
        v.addWidget(self.tabs, 1)
        self.devices = DevicesTab(self.state)
        self.thresholds = ThresholdsTab(self.state)
        self.settings_tab = SettingsTab(self.state)
        self.enrolment = EnrolmentTab(self.state)
        self.outbox = OutboxTab(self.state)
        self.export = ExportTab(self.state)
        self.tabs.addTab(self.devices, self.tr("设备测试"))
        self.tabs.addTab(self.settings_tab, self.tr("设备与平台"))
        self.tabs.addTab(self.thresholds, self.tr("阈值与策略"))
        self.tabs.addTab(self.enrolment, self.tr("平台注册"))
        self.tabs.addTab(self.outbox, self.tr("上传队列"))
        self.tabs.addTab(self.export, self.tr("日志与自检"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.resize(1200, 820)

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, ConsoleTab):
            tab.shown()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.state.stop_all()
        super().closeEvent(event)
