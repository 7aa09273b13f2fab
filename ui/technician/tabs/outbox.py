"""The upload queue: what is waiting, what failed and why; failed items queued again."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.security.device_audit import device_audit
from ui.technician.tab import ConsoleState, ConsoleTab

log = logging.getLogger(__name__)


class OutboxTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        v = QVBoxLayout(self)
        self.outbox_table = QTableWidget(0, 5)
        self.outbox_table.setHorizontalHeaderLabels([self.tr("材料包"), self.tr("受理号"), self.tr("状态"),
                                                     self.tr("尝试次数"), self.tr("原因")])
        self.outbox_table.horizontalHeader().setStretchLastSection(True)
        v.addWidget(self.outbox_table, 1)
        row = QHBoxLayout()
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh_outbox)
        self.retry_button = QPushButton(self.tr("失败项重新上传"))
        self.retry_button.clicked.connect(self.retry_outbox)
        self.outbox_label = QLabel()
        row.addWidget(refresh)
        row.addWidget(self.retry_button)
        row.addWidget(self.outbox_label, 1)
        v.addLayout(row)

    def shown(self) -> None:
        self.refresh_outbox()

    def refresh_outbox(self) -> None:
        ctx = getattr(self.state.control, "ctx", None)
        if ctx is None:
            self.outbox_label.setText(self.tr("设备尚未就绪，请稍候再试"))
            return

        def done(got: Any) -> None:
            items, quarantined = got
            self.outbox_table.setRowCount(len(items))
            for r, item in enumerate(items):
                values = [item.package_id, item.case_no, item.state, str(item.attempts), item.reason]
                for c, val in enumerate(values):
                    self.outbox_table.setItem(r, c, QTableWidgetItem(str(val)))
            text = self.tr("共 %1 项").replace("%1", str(len(items)))
            if quarantined:  # kept encrypted; the way back is in the operations manual
                text += self.tr("；隔离区 %1 项（见运维手册“隔离区”）").replace("%1", str(quarantined))
            self.outbox_label.setText(text)

        self.state.run(lambda: (ctx.outbox.items(), len(ctx.outbox.quarantined())), label=self.outbox_label,
                       on_result=done)

    def retry_outbox(self) -> None:
        ctx = getattr(self.state.control, "ctx", None)
        if ctx is None:
            return

        def retry() -> int:
            n = int(ctx.outbox.retry_failed())
            ctx.uploader.drain_once()
            return n

        def done(n: Any) -> None:
            device_audit(self.state.paths, self.state.settings.kiosk_id).append("outbox_retry", by="technician", requeued=int(n))
            self.outbox_label.setText(self.tr("已重新排队 %1 项").replace("%1", str(n)))
            self.refresh_outbox()

        self.state.run(retry, label=self.outbox_label, on_result=done)
