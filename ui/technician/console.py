"""The technician console: test each device, tune thresholds and policy, enrol the kiosk,
look after the outbox, export masked logs and print a self-test report.

Device tests borrow the session's devices, so they are refused while a session runs. Every
device call runs through `ui.workers`; the console only paints what comes back.
"""
from __future__ import annotations

import logging
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Settings, StatePaths, parse_settings, save_config
from kiosk.errors import UserFacingError
from kiosk.privacy import mask_id, mask_name
from kiosk.security.device_audit import device_audit, record_settings_change
from ui import theme
from ui.kiosk.pages import InkMirror
from ui.technician.exports import export_logs, selftest_pdf
from ui.widgets.camera_view import CameraView
from ui.widgets.level_meter import LevelMeter, rms_dbfs
from ui.workers import Worker, error_text, run_in_background

log = logging.getLogger(__name__)


class _Latest:
    """The newest frame from a device loop, for the preview's non-blocking poll."""

    def __init__(self) -> None:
        self.frame: Any = None
        self.lock = threading.Lock()

    def put(self, frame: Any) -> None:
        with self.lock:
            self.frame = frame

    def poll(self) -> Any:
        with self.lock:
            return self.frame


class TechnicianConsole(QWidget):
    def __init__(self, settings: Settings, paths: StatePaths, *, control: Any, demo: bool,
                 on_exit: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.paths, self.control, self.demo = settings, paths, control, demo
        self.setWindowTitle(self.tr("技术员维护台"))
        self.setStyleSheet(theme.staff_stylesheet())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.checks: dict[str, dict[str, Any]] = {}
        self._stops: dict[str, threading.Event] = {}
        self._workers: list[Worker] = []
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
        self.tabs.addTab(self._devices_tab(), self.tr("设备测试"))
        self.tabs.addTab(self._settings_tab(), self.tr("阈值与策略"))
        self.tabs.addTab(self._platform_tab(), self.tr("平台注册"))
        self.tabs.addTab(self._outbox_tab(), self.tr("上传队列"))
        self.tabs.addTab(self._export_tab(), self.tr("日志与自检"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.resize(1200, 820)

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.outbox_table.parentWidget():
            self.refresh_outbox()

    # ------------------------------------------------------------------ helpers
    def _ctx(self) -> Any:
        ctx = getattr(self.control, "ctx", None)
        if ctx is None:
            raise UserFacingError("设备尚未就绪，请稍候再试", code="not_ready")
        if getattr(self.control, "busy", False):
            raise UserFacingError("正在办理业务，请等办理结束后再测试设备", code="busy")
        return ctx

    def _record(self, name: str, ok: bool, detail: str) -> None:
        self.checks[name] = {"name": name, "ok": ok, "detail": detail}

    def _run(self, fn: Any, *args: Any, label: QLabel, check: str = "", **kw: Any) -> Worker:
        def failed(exc: BaseException) -> None:
            label.setText(error_text(exc))
            if check:
                self._record(check, False, error_text(exc))

        w = run_in_background(fn, *args, on_error=failed, name=check or "tech", **kw)
        self._workers = [x for x in self._workers if not x.done.is_set()] + [w]
        return w

    def stop_all(self) -> None:
        for ev in self._stops.values():
            ev.set()
        for w in self._workers:
            w.wait(5)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.stop_all()
        super().closeEvent(event)

    # ------------------------------------------------------------------ devices
    def _devices_tab(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        # camera
        cam_box = QGroupBox(self.tr("摄像头"))
        cv = QVBoxLayout(cam_box)
        self.camera_view = CameraView(oval=False)
        self.camera_fps = QLabel(self.tr("未打开"))
        row = QHBoxLayout()
        self.camera_start = QPushButton(self.tr("打开预览"))
        self.camera_stop = QPushButton(self.tr("停止"))
        self.camera_start.clicked.connect(self.start_camera)
        self.camera_stop.clicked.connect(lambda: self._stop("camera"))
        row.addWidget(self.camera_start)
        row.addWidget(self.camera_stop)
        row.addWidget(self.camera_fps, 1)
        cv.addWidget(self.camera_view, 1)
        cv.addLayout(row)
        self.camera_view.frame_shown.connect(self._camera_frame)
        grid.addWidget(cam_box, 0, 0, 2, 1)
        # microphone
        mic_box = QGroupBox(self.tr("麦克风"))
        mv = QVBoxLayout(mic_box)
        self.level = LevelMeter()
        self.mic_label = QLabel(self.tr("未测试"))
        row = QHBoxLayout()
        self.mic_record = QPushButton(self.tr("录音3秒"))
        self.mic_play = QPushButton(self.tr("回放"))
        self.mic_play.setEnabled(False)
        self.mic_record.clicked.connect(self.record_microphone)
        self.mic_play.clicked.connect(self.play_recording)
        row.addWidget(self.mic_record)
        row.addWidget(self.mic_play)
        mv.addWidget(self.level)
        mv.addLayout(row)
        mv.addWidget(self.mic_label)
        grid.addWidget(mic_box, 0, 1)
        # pad
        pad_box = QGroupBox(self.tr("签字板"))
        pv = QVBoxLayout(pad_box)
        self.ink = InkMirror()
        self.pad_label = QLabel(self.tr("请点击“签字测试”后在签字板上书写"))
        self.pad_label.setWordWrap(True)
        self.pad_test = QPushButton(self.tr("签字测试"))
        self.pad_test.clicked.connect(self.test_pad)
        pv.addWidget(self.ink, 1)
        pv.addWidget(self.pad_label)
        pv.addWidget(self.pad_test)
        grid.addWidget(pad_box, 1, 1)
        # ID card
        id_box = QGroupBox(self.tr("身份证读卡器"))
        iv = QHBoxLayout(id_box)
        self.id_test = QPushButton(self.tr("读卡测试"))
        self.id_label = QLabel(self.tr("请放上身份证后点击读卡测试"))
        self.id_label.setWordWrap(True)
        self.id_test.clicked.connect(self.test_idcard)
        iv.addWidget(self.id_test)
        iv.addWidget(self.id_label, 1)
        grid.addWidget(id_box, 2, 0, 1, 2)
        self._wav: Path | None = None
        return page

    def _stop(self, name: str) -> None:
        ev = self._stops.pop(name, None)
        if ev is not None:
            ev.set()
        if name == "camera":
            self.camera_view.clear()

    def start_camera(self) -> None:
        if "camera" in self._stops:
            return
        try:
            camera = self._ctx().camera
        except UserFacingError as exc:
            self.camera_fps.setText(exc.message)
            return
        stop = threading.Event()
        self._stops["camera"] = stop
        latest = _Latest()

        def loop() -> dict[str, Any]:
            camera.open()
            n, t0 = 0, time.monotonic()
            try:
                while not stop.is_set():
                    latest.put(camera.read(timeout=2.0))
                    n += 1
            finally:
                camera.close()
            span = time.monotonic() - t0
            return {"frames": n, "fps": n / span if span > 0 else 0.0, "size": f"{camera.width}x{camera.height}"}

        def done(info: dict[str, Any]) -> None:
            self._record(self.tr("摄像头"), info["frames"] > 0,
                         f"{info['size']} {info['fps']:.1f} fps, {info['frames']} frames")

        self.camera_view.attach(latest.poll)
        self._run(loop, label=self.camera_fps, check=self.tr("摄像头"), on_result=done)

    def _camera_frame(self, seq: int) -> None:
        self.camera_fps.setText(self.tr("显示帧率：") + f"{self.camera_view.fps():.1f} fps")

    def record_microphone(self) -> None:
        try:
            mic = self._ctx().microphone
        except UserFacingError as exc:
            self.mic_label.setText(exc.message)
            return
        self.mic_record.setEnabled(False)
        self.mic_label.setText(self.tr("正在录音…"))

        def rec(progress: Any) -> dict[str, Any]:
            mic.open()
            chunks: list[np.ndarray] = []
            rate = getattr(mic, "rate", 16000)
            try:
                t0 = time.monotonic()
                while time.monotonic() - t0 < 3.0:
                    chunk = mic.read(timeout=2.0)
                    rate = chunk.rate
                    chunks.append(chunk.pcm)
                    progress(rms_dbfs(chunk.pcm))
            finally:
                mic.close()
            pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
            path = Path(tempfile.mkdtemp(prefix="bdc-mictest-")) / "test.wav"
            with wave.open(str(path), "wb") as wf:
                wf.setnchannels(1)
                wf.setsampwidth(2)
                wf.setframerate(rate)
                wf.writeframes(pcm.astype(np.int16).tobytes())
            return {"path": path, "seconds": len(pcm) / rate, "peak_db": rms_dbfs(pcm)}

        def done(info: dict[str, Any]) -> None:
            self.mic_record.setEnabled(True)
            self._wav = info["path"]
            self.mic_play.setEnabled(True)
            text = self.tr("录音 %1 秒，平均电平 %2 dBFS").replace("%1", f"{info['seconds']:.1f}").replace(
                "%2", f"{info['peak_db']:.0f}")
            self.mic_label.setText(text)
            self._record(self.tr("麦克风"), info["seconds"] > 2.5, text)

        w = self._run(rec, label=self.mic_label, check=self.tr("麦克风"), on_result=done,
                      on_progress=self.level.set_level)
        w.error.connect(lambda *_: self.mic_record.setEnabled(True))

    def play_recording(self) -> None:
        if self._wav is None:
            return
        from PySide6.QtMultimedia import QSoundEffect

        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(self._wav)))
        effect.play()
        self._effect = effect

    def test_pad(self) -> None:
        try:
            pad = self._ctx().signpad
        except UserFacingError as exc:
            self.pad_label.setText(exc.message)
            return
        self.ink.clear()
        stop = threading.Event()
        self._stops["pad"] = stop
        self.pad_label.setText(self.tr("请在签字板上书写，写完按确认"))

        def collect(progress: Any) -> dict[str, Any]:
            from devices.base import PadEvent

            pad.open()
            n, pmax, batch = 0, 0.0, []
            for item in pad.points(stop):
                if isinstance(item, PadEvent):
                    if item in (PadEvent.CONFIRM, PadEvent.CANCEL):
                        break
                    continue
                n += 1
                pmax = max(pmax, item.pressure)
                batch.append((item.x, item.y, item.pressure if item.down else 0.0))
                if len(batch) >= 16:
                    progress(batch)
                    batch = []
            if batch:
                progress(batch)
            return {"points": n, "max_pressure": pmax}

        def done(info: dict[str, Any]) -> None:
            text = self.tr("%1 个采样点，最大压力 %2").replace("%1", str(info["points"])).replace(
                "%2", f"{info['max_pressure']:.2f}")
            self.pad_label.setText(text)
            self._record(self.tr("签字板"), info["points"] > 10 and info["max_pressure"] > 0, text)
            self._stops.pop("pad", None)

        self._run(collect, label=self.pad_label, check=self.tr("签字板"), on_result=done,
                  on_progress=self.ink.add)

    def test_idcard(self) -> None:
        try:
            ctx = self._ctx()
        except UserFacingError as exc:
            self.id_label.setText(exc.message)
            return
        reader = ctx.idcard
        if self.demo and hasattr(reader, "insert"):
            reader.insert(_demo_card())
        self.id_label.setText(self.tr("正在读卡…"))

        def read() -> dict[str, Any]:
            reader.open()
            try:
                t0 = time.monotonic()
                card = reader.read_card(timeout=10.0)
                return {"name": mask_name(card.name), "id": mask_id(card.id_number),
                        "ms": (time.monotonic() - t0) * 1000, "photo": card.photo_source}
            finally:
                reader.close()

        def done(info: dict[str, Any]) -> None:
            text = self.tr("读卡成功：%1 %2（%3 毫秒）").replace("%1", info["name"]).replace(
                "%2", info["id"]).replace("%3", f"{info['ms']:.0f}")
            self.id_label.setText(text)
            self._record(self.tr("身份证读卡器"), True, text)

        self._run(read, label=self.id_label, check=self.tr("身份证读卡器"), on_result=done)

    # ------------------------------------------------------------------ settings
    _FIELDS = (("identity", "match_threshold"), ("identity", "frames_for_decision"),
               ("identity", "liveness_action_timeout_s"), ("identity", "presence_min_share"),
               ("speech", "min_coverage"), ("session", "idle_timeout_s"), ("session", "idle_countdown_s"),
               ("ui", "font_pt"), ("ui", "customer_screen"))

    def _settings_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.setting_widgets: dict[tuple[str, str], QWidget] = {}
        for section, name in self._FIELDS:
            model = getattr(self.settings, section)
            info = type(model).model_fields[name]
            value = getattr(model, name)
            lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), 0)
            hi = next((m.le for m in info.metadata if hasattr(m, "le")), 10_000)
            w: QWidget
            if isinstance(value, float):
                sb = QDoubleSpinBox()
                sb.setDecimals(2)
                sb.setSingleStep(0.05)
                sb.setRange(float(lo), float(hi))
                sb.setValue(value)
                w = sb
            else:
                si = QSpinBox()
                si.setRange(int(lo), int(hi))
                si.setValue(int(value))
                w = si
            w.setToolTip(info.description or "")
            self.setting_widgets[(section, name)] = w
            form.addRow(f"{info.description or name}\n[{section}.{name}]", w)
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if self.settings.ui.language == "zh_CN" else 1)
        form.addRow(self.tr("界面语言"), self.language)
        self.save_button = QPushButton(self.tr("保存（重启后生效）"))
        self.save_button.clicked.connect(self.save_settings)
        self.settings_label = QLabel()
        self.settings_label.setWordWrap(True)
        form.addRow(self.save_button, self.settings_label)
        return page

    def save_settings(self) -> None:
        data = self.settings.model_dump(mode="json")
        for (section, name), w in self.setting_widgets.items():
            data[section][name] = w.value()  # type: ignore[attr-defined]
        data["ui"]["language"] = self.language.currentData()
        try:
            new = parse_settings(data, "technician console")
            save_config(new, self.paths.config)
        except UserFacingError as exc:
            self.settings_label.setText(exc.message)
            return
        record_settings_change(self.paths, self.settings, new, by="technician")
        self.settings = new
        self.settings_label.setText(self.tr("已保存到 ") + str(self.paths.config))

    # ------------------------------------------------------------------ platform
    def _platform_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.platform_url = QLabel(self.settings.platform.url or self.tr("（演示：内置参考平台）"))
        self.enrol_code = QLineEdit()
        self.enrol_code.setPlaceholderText(self.tr("平台发放的一次性注册码"))
        self.enrol_button = QPushButton(self.tr("注册本终端"))
        self.enrol_button.clicked.connect(self.enrol)
        self.enrol_label = QLabel()
        self.enrol_label.setWordWrap(True)
        form.addRow(self.tr("平台地址"), self.platform_url)
        form.addRow(self.tr("注册码"), self.enrol_code)
        form.addRow(self.enrol_button, self.enrol_label)
        return page

    def enrol(self) -> None:
        code = self.enrol_code.text().strip()
        if not code:
            self.enrol_label.setText(self.tr("请输入注册码"))
            return
        try:
            client = self._ctx().client
        except UserFacingError as exc:
            self.enrol_label.setText(exc.message)
            return

        def done(_: Any) -> None:
            device_audit(self.paths, self.settings.kiosk_id).append("enrolled", by="technician")
            self.enrol_label.setText(self.tr("注册成功，终端证书已保存"))

        self._run(client.enrol, code, label=self.enrol_label, check=self.tr("平台注册"), on_result=done)

    # ------------------------------------------------------------------ outbox
    def _outbox_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
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
        return page

    def refresh_outbox(self) -> None:
        ctx = getattr(self.control, "ctx", None)
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

        self._run(lambda: (ctx.outbox.items(), len(ctx.outbox.quarantined())), label=self.outbox_label,
                  on_result=done)

    def retry_outbox(self) -> None:
        ctx = getattr(self.control, "ctx", None)
        if ctx is None:
            return

        def retry() -> int:
            n = int(ctx.outbox.retry_failed())
            ctx.uploader.drain_once()
            return n

        def done(n: Any) -> None:
            device_audit(self.paths, self.settings.kiosk_id).append("outbox_retry", by="technician", requeued=int(n))
            self.outbox_label.setText(self.tr("已重新排队 %1 项").replace("%1", str(n)))
            self.refresh_outbox()

        self._run(retry, label=self.outbox_label, on_result=done)

    # ------------------------------------------------------------------ export
    def _export_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
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
        return page

    @property
    def export_dir(self) -> Path:
        return self.paths.root / "exports"

    def export_logs(self) -> None:
        def done(path: Any) -> None:
            self.export_label.setText(self.tr("日志已导出：") + str(path))
            self.last_export = Path(path)

        self._run(export_logs, self.paths.logs, self.export_dir, label=self.export_label, on_result=done)

    def make_report(self) -> None:
        version = getattr(getattr(self.control, "ctx", None), "software_version", "")
        rows = [(f"{s}.{n}", str(getattr(getattr(self.settings, s), n))) for s, n in self._FIELDS]

        def done(path: Any) -> None:
            self.export_label.setText(self.tr("自检报告已生成：") + str(path))
            self.last_report = Path(path)

        self._run(selftest_pdf, self.export_dir, self.settings.kiosk_id, version, list(self.checks.values()),
                  rows, label=self.export_label, on_result=done)


def _demo_card() -> Any:
    """A test card for the simulated reader (demo only): a made-up person, valid check digit."""
    from devices.base import IdCardData

    return IdCardData(name="测试卡", sex="男", nation="汉", birth="19800101", address="漯河市源汇区测试路1号",
                      id_number="411102198001010019", issuer="漯河市公安局源汇分局", valid_from="20200101",
                      valid_to="20400101")
