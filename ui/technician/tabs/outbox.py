"""The upload queue: what is waiting, what failed and why; failed items queued again.

Package ids are long (case, kiosk, time, key): the column shows them in a fixed-width font,
elided in the middle when narrow, with the full id in the tooltip, a copy button and menu entry,
and a details window (double-click) where every field can be selected and copied.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.security.device_audit import device_audit
from ui.technician.tab import ConsoleState, ConsoleTab

log = logging.getLogger(__name__)

ID_COLUMN = 0


class OutboxTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.items: list[Any] = []
        v = QVBoxLayout(self)
        self.outbox_table = QTableWidget(0, 5)
        self.outbox_table.setHorizontalHeaderLabels([self.tr("材料包编号"), self.tr("受理号"), self.tr("状态"),
                                                     self.tr("尝试次数"), self.tr("原因")])
        t = self.outbox_table
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # both ends of an id tell it apart
        t.setWordWrap(False)
        t.verticalHeader().setVisible(False)
        head = t.horizontalHeader()
        head.setStretchLastSection(True)
        head.setSectionResizeMode(ID_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.mono = QFont()
        t.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        t.customContextMenuRequested.connect(self._menu)
        t.cellDoubleClicked.connect(lambda row, _col: self.show_details(row))
        t.itemSelectionChanged.connect(self._selection_changed)
        v.addWidget(t, 1)
        row = QHBoxLayout()
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh_outbox)
        self.copy_button = QPushButton(self.tr("复制编号"))
        self.copy_button.clicked.connect(lambda: self.copy_id(self.outbox_table.currentRow()))
        self.details_button = QPushButton(self.tr("详情"))
        self.details_button.clicked.connect(lambda: self.show_details(self.outbox_table.currentRow()))
        self.retry_button = QPushButton(self.tr("失败项重新上传"))
        self.retry_button.clicked.connect(self.retry_outbox)
        self.outbox_label = QLabel()
        self.outbox_label.setWordWrap(True)
        for b in (refresh, self.copy_button, self.details_button, self.retry_button):
            row.addWidget(b)
        row.addWidget(self.outbox_label, 1)
        v.addLayout(row)
        self._selection_changed()

    def shown(self) -> None:
        self.refresh_outbox()

    def _selection_changed(self) -> None:
        chosen = 0 <= self.outbox_table.currentRow() < len(self.items) and bool(self.outbox_table.selectedItems())
        self.copy_button.setEnabled(chosen)
        self.details_button.setEnabled(chosen)

    def refresh_outbox(self) -> None:
        ctx = getattr(self.state.control, "ctx", None)
        if ctx is None:
            self.outbox_label.setText(self.tr("设备尚未就绪，请稍候再试"))
            return

        def done(got: Any) -> None:
            items, quarantined = got
            self.show_items(items)
            text = self.tr("共 %1 项").replace("%1", str(len(items)))
            if quarantined:  # kept encrypted; the way back is in the operations manual
                text += self.tr("；隔离区 %1 项（见运维手册“隔离区”）").replace("%1", str(quarantined))
            self.outbox_label.setText(text)

        self.state.run(lambda: (ctx.outbox.items(), len(ctx.outbox.quarantined())), label=self.outbox_label,
                       on_result=done)

    def show_items(self, items: list[Any]) -> None:
        t = self.outbox_table
        t.ensurePolished()  # the staff stylesheet's size, in a fixed-width face
        self.mono = QFont(t.font())
        self.mono.setFamilies([QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family(), "monospace"])
        self.mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.mono.setFixedPitch(True)
        self.items = list(items)
        t.clearSelection()
        t.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            values = [item.package_id, item.case_no, state_text(item.state), str(item.attempts), item.reason]
            for c, val in enumerate(values):
                cell = QTableWidgetItem(str(val))
                cell.setToolTip(str(val))
                if c == ID_COLUMN:
                    cell.setFont(self.mono)
                t.setItem(r, c, cell)
        # the id column as wide as the longest id, but never more than half the table
        t.resizeColumnToContents(ID_COLUMN)
        t.setColumnWidth(ID_COLUMN, min(t.columnWidth(ID_COLUMN) + 12, max(240, t.viewport().width() // 2)))
        for c in (1, 2, 3):
            t.resizeColumnToContents(c)
        self._selection_changed()

    def _menu(self, pos: QPoint) -> None:
        row = self.outbox_table.rowAt(pos.y())
        if not 0 <= row < len(self.items):
            return
        self.outbox_table.selectRow(row)
        menu = QMenu(self)
        menu.addAction(self.tr("复制材料包编号"), lambda: self.copy_id(row))
        menu.addAction(self.tr("查看详情"), lambda: self.show_details(row))
        menu.exec(self.outbox_table.viewport().mapToGlobal(pos))

    def copy_id(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        pid = str(self.items[row].package_id)
        QGuiApplication.clipboard().setText(pid)
        self.outbox_label.setText(self.tr("已复制：") + pid)

    def show_details(self, row: int) -> QDialog | None:
        if not 0 <= row < len(self.items):
            return None
        dialog = OutboxItemDialog(self.items[row], self.mono, self)
        dialog.open()
        self.details = dialog
        return dialog

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


def state_text(state: str) -> str:
    """The queue state in words (the raw state stays in the details window, for the manual)."""
    words = {"ready": QCoreApplication.translate("OutboxTab", "待上传"),
             "uploading": QCoreApplication.translate("OutboxTab", "上传中"),
             "done": QCoreApplication.translate("OutboxTab", "已上传"),
             "failed": QCoreApplication.translate("OutboxTab", "失败")}
    return words.get(state, state)


class OutboxItemDialog(QDialog):
    """One queued package, every field selectable (for a call to the platform's operators)."""

    def __init__(self, item: Any, mono: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("材料包详情"))
        self.item = item
        form = QFormLayout(self)

        def when(ts: float) -> str:
            return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else ""

        self.fields: dict[str, QLabel] = {}
        rows = [("package_id", self.tr("材料包编号"), item.package_id),
                ("case_no", self.tr("受理号"), item.case_no),
                ("state", self.tr("状态"), f"{state_text(item.state)}（{item.state}）"),
                ("attempts", self.tr("尝试次数"), str(item.attempts)),
                ("reason", self.tr("原因"), item.reason),
                ("enqueued_at", self.tr("入队时间"), when(getattr(item, "enqueued_at", 0))),
                ("next_attempt_at", self.tr("下次尝试"), when(getattr(item, "next_attempt_at", 0))),
                ("size", self.tr("大小（字节）"), str(getattr(item, "total_size", ""))),
                ("manifest_sha256", self.tr("清单 SHA-256"), getattr(item, "manifest_sha256", ""))]
        for key, name, value in rows:
            label = QLabel(str(value))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setWordWrap(True)
            if key in ("package_id", "manifest_sha256"):
                label.setFont(mono)
            self.fields[key] = label
            form.addRow(name, label)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("复制编号"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(str(item.package_id)))
        close = QPushButton(self.tr("关闭"))
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(760)
