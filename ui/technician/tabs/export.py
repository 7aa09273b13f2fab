"""Masked log export and the self-test report."""
from __future__ import annotations

import logging
import shutil
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
        ctx = getattr(self.state.control, "ctx", None)
        keys = getattr(ctx, "keys", None)
        if keys is not None:  # sealed by TPM/DPAPI or not: what a stolen disk yields depends on it
            checks.append(sealing_report(keys.sealing))
        settings, root = self.state.settings, self.state.paths.root
        names = {"speech": self.tr("中文语音模型"), "platform": self.tr("平台连通"), "disk": self.tr("磁盘空间"),
                 "outbox": self.tr("上传队列")}

        def report() -> Any:
            # measured now, not remembered: what the kiosk can do at the moment the report is made
            checks.extend(system_checks(ctx, settings, root, names))
            return selftest_pdf(self.export_dir, settings.kiosk_id, version, checks, rows)

        self.state.run(report, label=self.export_label, on_result=done)


def system_checks(ctx: Any, settings: Any, root: Path, names: dict[str, str]) -> list[dict[str, Any]]:
    """Speech model, platform reachability, free disk and the outbox, for the self-test report."""
    out: list[dict[str, Any]] = []
    if ctx is None:
        return [{"name": n, "ok": False, "detail": "设备尚未就绪"} for n in names.values()]
    engine = getattr(ctx, "speech_engine", None)
    out.append({"name": names["speech"], "ok": engine is not None,
                "detail": "已加载" if engine is not None else (getattr(ctx, "speech_problem", "") or "未安装")})
    try:
        ctx.client.health()
        out.append({"name": names["platform"], "ok": True, "detail": str(getattr(ctx, "platform_url", ""))})
    except Exception as exc:  # noqa: BLE001 - any failure to reach the platform is the finding itself
        out.append({"name": names["platform"], "ok": False, "detail": str(getattr(exc, "message", exc))[:120]})
    free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    need = settings.session.min_free_disk_mb
    out.append({"name": names["disk"], "ok": free_mb >= need, "detail": f"{free_mb} MB 可用（下限 {need} MB）"})
    try:
        items = list(ctx.outbox.items())
        states: dict[str, int] = {}
        for item in items:
            states[str(item.state)] = states.get(str(item.state), 0) + 1
        failed = sum(n for s, n in states.items() if "fail" in s or "quarantine" in s)
        out.append({"name": names["outbox"], "ok": failed == 0,
                    "detail": "，".join(f"{s} {n}" for s, n in sorted(states.items())) or "空"})
    except Exception as exc:  # noqa: BLE001 - an unreadable outbox is the finding itself
        out.append({"name": names["outbox"], "ok": False, "detail": str(exc)[:120]})
    return out
