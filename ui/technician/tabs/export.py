"""Masked log export and the self-test report."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.security.keys import sealing_report
from kiosk.usbdrives import Drive, removable_drives, size_text
from ui.kiosk_texts import kiosk_text
from ui.technician.exports import export_logs, selftest_pdf, send
from ui.technician.tab import ConsoleState, ConsoleTab
from ui.technician.tabs.thresholds import FIELDS

log = logging.getLogger(__name__)


class ExportTab(ConsoleTab):
    """Masked logs and the self-test report, saved in the data dir or onto a USB drive."""

    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        v = QVBoxLayout(self)
        dest = QHBoxLayout()
        dest.addWidget(QLabel(self.tr("保存到")))
        self.destination = QComboBox()
        self.destination.setMinimumWidth(560)
        dest.addWidget(self.destination, 1)
        self.rescan_button = QPushButton(self.tr("刷新U盘列表"))
        self.rescan_button.clicked.connect(self.rescan)
        dest.addWidget(self.rescan_button)
        v.addLayout(dest)
        hint = QLabel(self.tr("U盘上只会出现写完整的文件；写入失败时文件留在本机。拔出U盘前请先在系统中“弹出”。"))
        hint.setWordWrap(True)
        v.addWidget(hint)
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
        self.drives: list[Drive] = []
        self._scanning = False
        self._fill_destinations([])
        # while the tab is in front, a stick plugged in (and mounted by the system) shows up by itself
        self.watch = QTimer(self)
        self.watch.setInterval(3000)
        self.watch.timeout.connect(self.rescan)

    @property
    def export_dir(self) -> Path:
        return self.state.paths.root / "exports"

    def shown(self) -> None:
        self.rescan()
        self.watch.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.watch.stop()
        super().hideEvent(event)

    def rescan(self) -> None:
        """Look for USB drives (off the GUI thread: a slow stick may take a moment to answer)."""
        if self._scanning or not self.export_button.isEnabled():
            return  # one look at a time, and none while a file is being written
        self._scanning = True

        def over() -> None:
            self._scanning = False

        w = self.state.run(removable_drives, label=self.export_label, on_result=self._fill_destinations)
        w.finished.connect(over)

    def _fill_destinations(self, drives: Any) -> None:
        before = {d.path for d in self.drives}
        keep = self.destination.currentData()
        self.drives = list(drives)
        fresh = [d for d in self.drives if d.path not in before]
        self.destination.blockSignals(True)
        self.destination.clear()
        self.destination.addItem(self.tr("本机数据目录（%1）").replace("%1", str(self.export_dir)), None)
        for d in self.drives:
            self.destination.addItem(self.drive_text(d), str(d.path))
        # a stick just plugged in is where the technician means to save; otherwise the choice stays
        idx = self.destination.findData(str(fresh[0].path)) if fresh else \
            (self.destination.findData(keep) if keep else 0)
        self.destination.setCurrentIndex(max(idx, 0))
        self.destination.blockSignals(False)
        if not self.drives:
            self.destination.setToolTip(self.tr("未发现U盘；插入U盘后点“刷新U盘列表”"))
        else:
            self.destination.setToolTip("")

    def drive_text(self, d: Drive) -> str:
        """One line of the destination list: label, mount point, free space, read-only."""
        text = self.tr("U盘：%1（%2）").replace("%1", d.label).replace("%2", str(d.path))
        if d.free_bytes is not None:
            text += self.tr("，可用 %1").replace("%1", size_text(d.free_bytes))
        if d.read_only:
            text += self.tr("，只读")
        return text

    def chosen_drive(self) -> Path | None:
        data = self.destination.currentData()
        return Path(data) if data else None

    def _busy(self, busy: bool) -> None:
        for b in (self.export_button, self.report_button, self.rescan_button, self.destination):
            b.setEnabled(not busy)

    def _progress(self, value: Any) -> None:
        done, total = value
        self.export_label.setText(self.tr("正在写入U盘… %1%").replace("%1", str(int(100 * done / max(total, 1)))))

    def _run_export(self, make: Any, done_text: str, attr: str) -> None:
        drive = self.chosen_drive()

        def work(progress: Any) -> Path:
            local = make()
            return send(local, drive, progress=lambda d, t: progress((d, t)))

        def done(path: Any) -> None:
            self.export_label.setText(done_text + str(path))
            setattr(self, attr, Path(path))

        self._busy(True)
        self.export_label.setText(self.tr("正在导出…"))
        w = self.state.run(work, label=self.export_label, on_result=done, on_progress=self._progress)
        w.finished.connect(lambda: self._busy(False))

    def export_logs(self) -> None:
        logs, out = self.state.paths.logs, self.export_dir
        self._run_export(lambda: export_logs(logs, out), self.tr("日志已导出："), "last_export")

    def make_report(self) -> None:
        version = getattr(getattr(self.state.control, "ctx", None), "software_version", "")
        shown = [("devices", n) for n in type(self.state.settings.devices).model_fields] + \
            [("platform", "url"), ("platform", "ca_bundle"), ("speech", "model_path")] + list(FIELDS)
        rows = [(f"{s}.{n}", str(getattr(getattr(self.state.settings, s), n))) for s, n in shown]
        checks = list(self.state.checks.values())
        ctx = getattr(self.state.control, "ctx", None)
        keys = getattr(ctx, "keys", None)
        if keys is not None:  # sealed by TPM/DPAPI or not: what a stolen disk yields depends on it
            sealing = sealing_report(keys.sealing)  # its words are marked in kiosk/: in the UI language
            checks.append({k: kiosk_text(v) if k in ("detail", "fix") else v for k, v in sealing.items()})
        settings, root, out = self.state.settings, self.state.paths.root, self.export_dir
        names = {"speech": self.tr("中文语音模型"), "platform": self.tr("平台连通"), "disk": self.tr("磁盘空间"),
                 "outbox": self.tr("上传队列"), "enrolment": self.tr("平台注册")}

        def report() -> Path:
            # measured now, not remembered: what the kiosk can do at the moment the report is made
            # (a measurement replaces a remembered line of the same name, e.g. an enrolment made earlier)
            merged = {c["name"]: c for c in checks}
            merged.update({c["name"]: c for c in system_checks(ctx, settings, root, names)})
            return selftest_pdf(out, settings.kiosk_id, version, list(merged.values()), rows)

        self._run_export(report, self.tr("自检报告已生成："), "last_report")


# the self-test lines, in the language of the technician who makes the report
_NOT_READY = QT_TRANSLATE_NOOP("ExportTab", "设备尚未就绪")
_LOADED = QT_TRANSLATE_NOOP("ExportTab", "已加载")
_NOT_INSTALLED = QT_TRANSLATE_NOOP("ExportTab", "未安装")
_ENROLLED = QT_TRANSLATE_NOOP("ExportTab", "已注册，终端凭据已保存")
_NOT_ENROLLED = QT_TRANSLATE_NOOP("ExportTab", "未注册：在“平台注册”页输入平台发放的注册码")
_DISK = QT_TRANSLATE_NOOP("ExportTab", "%1 MB 可用（下限 %2 MB）")
_LIST_SEP = QT_TRANSLATE_NOOP("ExportTab", "，")
_EMPTY = QT_TRANSLATE_NOOP("ExportTab", "空")


def _tr(text: object) -> str:
    return QCoreApplication.translate("ExportTab", str(text))


def system_checks(ctx: Any, settings: Any, root: Path, names: dict[str, str]) -> list[dict[str, Any]]:
    """Speech model, platform reachability and enrolment, free disk and the outbox, for the
    self-test report."""
    out: list[dict[str, Any]] = []
    if ctx is None:
        return [{"name": n, "ok": False, "detail": _tr(_NOT_READY)} for n in names.values()]
    engine = getattr(ctx, "speech_engine", None)
    problem = kiosk_text(getattr(ctx, "speech_problem", "")) or _tr(_NOT_INSTALLED)
    out.append({"name": names["speech"], "ok": engine is not None,
                "detail": _tr(_LOADED) if engine is not None else problem})
    try:
        ctx.client.health()
        out.append({"name": names["platform"], "ok": True, "detail": str(getattr(ctx, "platform_url", ""))})
    except Exception as exc:  # noqa: BLE001 - any failure to reach the platform is the finding itself
        out.append({"name": names["platform"], "ok": False,
                    "detail": kiosk_text(getattr(exc, "message", None) or str(exc))[:120]})
    enrolled = getattr(getattr(ctx, "client", None), "enrolled", None)
    if "enrolment" in names and enrolled is not None:  # the credential on disk, whenever it was obtained
        out.append({"name": names["enrolment"], "ok": bool(enrolled),
                    "detail": _tr(_ENROLLED) if enrolled else _tr(_NOT_ENROLLED)})
    free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    need = settings.session.min_free_disk_mb
    out.append({"name": names["disk"], "ok": free_mb >= need,
                "detail": _tr(_DISK).replace("%1", str(free_mb)).replace("%2", str(need))})
    try:
        items = list(ctx.outbox.items())
        states: dict[str, int] = {}
        for item in items:
            states[str(item.state)] = states.get(str(item.state), 0) + 1
        failed = sum(n for s, n in states.items() if "fail" in s or "quarantine" in s)
        out.append({"name": names["outbox"], "ok": failed == 0,
                    "detail": _tr(_LIST_SEP).join(f"{s} {n}" for s, n in sorted(states.items())) or _tr(_EMPTY)})
    except Exception as exc:  # noqa: BLE001 - an unreadable outbox is the finding itself
        out.append({"name": names["outbox"], "ok": False, "detail": str(exc)[:120]})
    return out
