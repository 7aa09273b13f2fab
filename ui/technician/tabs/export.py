"""Masked log export and the self-test report."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.security.keys import sealing_report
from ui.technician.exports import export_logs, selftest_pdf
from ui.technician.tab import ConsoleState, ConsoleTab
from ui.technician.tabs.thresholds import FIELDS

log = logging.getLogger(__name__)


class ExportTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        v = QVBoxLayout(self)
        self.export_button = QPushButton(self.tr("导出日志（已脱敏，zip）"))
        self.export_button.clicked.connect(self.export_logs)
        self.report_button = QPushButton(self.tr("生成自检报告（PDF）"))
        self.report_button.clicked.connect(self.make_report)
        self.export_label = QLabel()
        self.export_label.setWordWrap(True)
        self.export_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.export_button)
        v.addWidget(self.report_button)
        v.addWidget(self.export_label)
        v.addStretch(1)

    @property
    def export_dir(self) -> Path:
        return self.state.paths.root / "exports"

    def export_logs(self) -> None:
        def done(path: Any) -> None:
            self.export_label.setText(self.tr("日志已导出：") + str(path))
            self.last_export = Path(path)

        self.state.run(export_logs, self.state.paths.logs, self.export_dir, label=self.export_label, on_result=done)

    def make_report(self) -> None:
        version = getattr(getattr(self.state.control, "ctx", None), "software_version", "")
        rows = [(f"{s}.{n}", str(getattr(getattr(self.state.settings, s), n))) for s, n in FIELDS]

        def done(path: Any) -> None:
            self.export_label.setText(self.tr("自检报告已生成：") + str(path))
            self.last_report = Path(path)

        checks = list(self.state.checks.values())
        keys = getattr(getattr(self.state.control, "ctx", None), "keys", None)
        if keys is not None:  # sealed by TPM/DPAPI or not: what a stolen disk yields depends on it
            checks.append(sealing_report(keys.sealing))
        self.state.run(selftest_pdf, self.export_dir, self.state.settings.kiosk_id, version, checks,
                       rows, label=self.export_label, on_result=done)
