"""Enrolment of this kiosk with the platform by a one-time code."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kiosk.errors import UserFacingError
from kiosk.security.device_audit import device_audit
from ui.kiosk_texts import kiosk_text
from ui.technician.tab import ConsoleState, ConsoleTab

log = logging.getLogger(__name__)


class EnrolmentTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        form = QFormLayout(self)
        self.platform_url = QLabel(self.state.settings.platform.url or self.tr("（演示：内置参考平台）"))
        self.enrol_code = QLineEdit()
        self.enrol_code.setPlaceholderText(self.tr("平台发放的一次性注册码"))
        self.enrol_button = QPushButton(self.tr("注册本终端"))
        self.enrol_button.clicked.connect(self.enrol)
        self.enrol_label = QLabel()
        self.enrol_label.setWordWrap(True)
        form.addRow(self.tr("平台地址"), self.platform_url)
        form.addRow(self.tr("注册码"), self.enrol_code)
        form.addRow(self.enrol_button, self.enrol_label)

    def enrol(self) -> None:
        code = self.enrol_code.text().strip()
        if not code:
            self.enrol_label.setText(self.tr("请输入注册码"))
            return
        try:
            client = self.state.ctx().client
        except UserFacingError as exc:
            self.enrol_label.setText(kiosk_text(exc.message))
            return

        def done(_: Any) -> None:
            device_audit(self.state.paths, self.state.settings.kiosk_id).append("enrolled", by="technician")
            self.enrol_label.setText(self.tr("注册成功，终端证书已保存"))
            # the report keeps the latest result: a success replaces an earlier failure
            self.state.record(self.tr("平台注册"), True, self.tr("注册成功，终端证书已保存"))

        self.state.run(client.enrol, code, label=self.enrol_label, check=self.tr("平台注册"), on_result=done)
