"""Device tests: camera preview with frame rate, 3 s microphone recording with playback, pad
ink with pressure, ID card read. Each result goes to the self-test report.

Every test goes through the device's owner (`ctx.devices`, `devices.owner`): the camera and
microphone tests read its ring under a stream lease, the pad and reader tests are commands on
its thread; none opens a device itself, so a test never fights a session for it."""
from __future__ import annotations

import logging
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from devices.audio.level import rms_dbfs
from kiosk.errors import UserFacingError
from kiosk.privacy import mask_id, mask_name
from ui.kiosk_texts import kiosk_text
from ui.technician.tab import ConsoleState, ConsoleTab
from ui.widgets.camera_view import CameraView
from ui.widgets.ink_mirror import InkMirror
from ui.widgets.level_meter import LevelMeter

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

class DevicesTab(ConsoleTab):
    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        grid = QGridLayout(self)
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

    def _stop(self, name: str) -> None:
        ev = self.state.stops.pop(name, None)
        if ev is not None:
            ev.set()
        if name == "camera":
            self.camera_view.clear()

    def start_camera(self) -> None:
        if "camera" in self.state.stops:
            return
        try:
            camera = self.state.ctx().devices.camera
        except UserFacingError as exc:
            self.camera_fps.setText(kiosk_text(exc.message))
            return
        stop = threading.Event()
        self.state.stops["camera"] = stop
        latest = _Latest()

        def loop() -> dict[str, Any]:
            assert camera.ring is not None
            frames = camera.ring.consumer(f"technician-preview-{time.monotonic_ns()}")
            n, t0, size = 0, time.monotonic(), ""
            try:
                with camera.stream():
                    while not stop.is_set():
                        frame = frames.get(timeout=0.5)
                        if frame is None:
                            continue
                        latest.put(frame)
                        n += 1
                        size = f"{frame.image.shape[1]}x{frame.image.shape[0]}"
            finally:
                frames.close()
            span = time.monotonic() - t0
            return {"frames": n, "fps": n / span if span > 0 else 0.0, "size": size}

        def done(info: dict[str, Any]) -> None:
            self.state.record(self.tr("摄像头"), info["frames"] > 0,
                         f"{info['size']} {info['fps']:.1f} fps, {info['frames']} frames")

        self.camera_view.attach(latest.poll)
        self.state.run(loop, label=self.camera_fps, check=self.tr("摄像头"), on_result=done)

    def _camera_frame(self, seq: int) -> None:
        self.camera_fps.setText(self.tr("显示帧率：") + f"{self.camera_view.fps():.1f} fps")

    def record_microphone(self) -> None:
        try:
            mic = self.state.ctx().devices.microphone
        except UserFacingError as exc:
            self.mic_label.setText(kiosk_text(exc.message))
            return
        self.mic_record.setEnabled(False)
        self.mic_label.setText(self.tr("正在录音…"))

        def rec(progress: Any) -> dict[str, Any]:
            assert mic.ring is not None
            audio = mic.ring.consumer(f"technician-record-{time.monotonic_ns()}", lossless=True)
            chunks: list[np.ndarray] = []
            rate = 16000
            try:
                with mic.stream():
                    t0 = time.monotonic()
                    while time.monotonic() - t0 < 3.0:
                        chunk = audio.get(timeout=0.5)
                        if chunk is None:
                            continue
                        rate = chunk.rate
                        chunks.append(chunk.pcm)
                        progress(rms_dbfs(chunk.pcm, floor=-96.0))
            finally:
                audio.close()
            pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
            path = Path(tempfile.mkdtemp(prefix="bdc-mictest-")) / "test.wav"
            with wave.open(str(path), "wb") as wf:
                wf.setnchannels(1)
                wf.setsampwidth(2)
                wf.setframerate(rate)
                wf.writeframes(pcm.astype(np.int16).tobytes())
            # speech level as the recording check measures it: the loudest 5% of 100 ms segments
            step = max(1, rate // 10)
            levels = [rms_dbfs(pcm[i:i + step], floor=-96.0) for i in range(0, len(pcm) - step + 1, step)] or [-96.0]
            return {"path": path, "seconds": len(pcm) / rate, "peak_db": rms_dbfs(pcm, floor=-96.0),
                    "speech_db": float(np.percentile(levels, 95))}

        def done(info: dict[str, Any]) -> None:
            self.mic_record.setEnabled(True)
            self._wav = info["path"]
            self.mic_play.setEnabled(True)
            floor = self.state.settings.recording.min_audio_dbfs
            text = self.tr("录音 %1 秒，讲话电平 %2 dBFS（下限 %3 dBFS）").replace(
                "%1", f"{info['seconds']:.1f}").replace("%2", f"{info['speech_db']:.0f}").replace("%3", f"{floor:.0f}")
            ok = info["seconds"] > 2.5 and info["speech_db"] >= floor
            if not ok and info["seconds"] > 2.5:
                text += self.tr("：声音太小，请检查麦克风")
            self.mic_label.setText(text)
            self.state.record(self.tr("麦克风"), ok, text)

        w = self.state.run(rec, label=self.mic_label, check=self.tr("麦克风"), on_result=done,
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
            pad = self.state.ctx().devices.signpad
        except UserFacingError as exc:
            self.pad_label.setText(kiosk_text(exc.message))
            return
        self.ink.clear()
        stop = threading.Event()
        self.state.stops["pad"] = stop
        self.pad_label.setText(self.tr("请在签字板上书写，写完按确认"))

        def collect(progress: Any) -> dict[str, Any]:
            from devices.base import PadEvent

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
            self.state.record(self.tr("签字板"), info["points"] > 10 and info["max_pressure"] > 0, text)
            self.state.stops.pop("pad", None)

        self.state.run(collect, label=self.pad_label, check=self.tr("签字板"), on_result=done,
                  on_progress=self.ink.add)

    def test_idcard(self) -> None:
        try:
            ctx = self.state.ctx()
        except UserFacingError as exc:
            self.id_label.setText(kiosk_text(exc.message))
            return
        if self.state.demo and hasattr(ctx.idcard, "insert"):
            from devices.idcard.sim import demo_card

            ctx.idcard.insert(demo_card())  # the simulated applicant lays a card on the simulated reader
        reader = ctx.devices.idcard
        self.id_label.setText(self.tr("正在读卡…"))

        def read() -> dict[str, Any]:
            t0 = time.monotonic()
            card = reader.read_card(timeout=10.0)
            return {"name": mask_name(card.name), "id": mask_id(card.id_number),
                    "ms": (time.monotonic() - t0) * 1000, "photo": card.photo_source}

        def done(info: dict[str, Any]) -> None:
            text = self.tr("读卡成功：%1 %2（%3 毫秒）").replace("%1", info["name"]).replace(
                "%2", info["id"]).replace("%3", f"{info['ms']:.0f}")
            self.id_label.setText(text)
            self.state.record(self.tr("身份证读卡器"), True, text)

        self.state.run(read, label=self.id_label, check=self.tr("身份证读卡器"), on_result=done)
