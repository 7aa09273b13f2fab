"""Microphones through PortAudio (`sounddevice`): 16 kHz mono int16 with capture timestamps.

PortAudio's callback runs on its own audio thread and only copies the block into a queue;
`read` (on the owning device thread) hands out the chunks. The timestamp of each chunk is
PortAudio's `inputBufferAdcTime` moved onto `time.monotonic()` by the offset measured when
the stream starts, so audio and video share one clock. A stream that stops delivering (USB
microphone pulled) becomes `DeviceDisconnected`; the owning thread reopens it.
"""
from __future__ import annotations

import logging
import queue
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from devices.audio.level import LevelMeter
from devices.base import (
    AudioChunk,
    DeviceDisconnected,
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Health,
    Microphone,
)
from devices.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

PORTAUDIO_FIX = QT_TRANSLATE_NOOP("kiosk", "安装 PortAudio：Kylin/UOS/Debian 执行 sudo apt-get install libportaudio2；Windows 重新安装本软件")


def _sd() -> Any:
    try:
        import sounddevice
    except (OSError, ImportError) as exc:  # PortAudio library missing
        raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "声音系统（PortAudio）不可用"), detail=str(exc), fix=PORTAUDIO_FIX) from None
    return sounddevice


@dataclass(frozen=True)
class InputEntry:
    index: int
    name: str
    hostapi: str
    channels: int
    default_rate: float
    is_default: bool


def list_input_devices() -> list[InputEntry]:
    """Every input-capable device PortAudio knows (raises DeviceUnavailable without PortAudio)."""
    sd = _sd()
    try:
        devices = sd.query_devices()
        hostapis = sd.query_hostapis()
        default_in = sd.default.device[0] if sd.default.device else -1
    except sd.PortAudioError as exc:
        raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "声音系统无法列出麦克风"), detail=str(exc), fix=PORTAUDIO_FIX) from None
    out = []
    for i, d in enumerate(devices):
        if int(d.get("max_input_channels", 0)) > 0:
            out.append(InputEntry(i, str(d["name"]), str(hostapis[d["hostapi"]]["name"]),
                                  int(d["max_input_channels"]), float(d["default_samplerate"]), i == default_in))
    return out


class SoundDeviceMicrophone(Microphone):
    """PortAudio input; `device` is an index, a name substring, or None for the default."""

    def __init__(self, device: int | str | None = None, rate: int = 16000, chunk_ms: int = 100,
                 *, silence_dbfs: float = -50.0) -> None:
        self.device = device
        self.rate = rate
        self.chunk = max(1, rate * chunk_ms // 1000)
        self.info = DeviceInfo(kind="microphone", name=fmt(QT_TRANSLATE_NOOP("kiosk", "麦克风 {number}"), number=device)
                               if device is not None else QT_TRANSLATE_NOOP("kiosk", "麦克风（默认）"),
                               adapter="sounddevice", path=str(device or ""))
        self.meter = LevelMeter(rate, silence_dbfs)
        self._queue: queue.Queue[tuple[np.ndarray, float]] = queue.Queue(maxsize=200)
        self._stream: Any = None
        self._clock_offset = 0.0
        self.overflows = 0
        self.dropped_chunks = 0
        self._stall_s = max(2.0, 5 * chunk_ms / 1000)
        self._last_chunk_at = 0.0
        self._opened_once = False

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's thread: copy out, never block."""
        if status and getattr(status, "input_overflow", False):
            self.overflows += 1
        adc = float(getattr(time_info, "inputBufferAdcTime", 0.0) or 0.0)
        # some host APIs (ALSA plugins, some USB class drivers) report no ADC time: then the
        # block's first sample was captured one block before now
        t = adc + self._clock_offset if adc > 0 else time.monotonic() - frames / self.rate
        try:
            self._queue.put_nowait((indata[:, 0].copy(), t))
        except queue.Full:
            self.dropped_chunks += 1

    def open(self) -> None:
        sd = _sd()
        self._queue = queue.Queue(maxsize=200)
        if self._opened_once:
            # PortAudio lists devices once per initialisation: a replugged USB microphone is
            # only seen after re-initialising it (only done when reopening after a loss)
            try:
                sd._terminate()
                sd._initialize()
            except (sd.PortAudioError, AttributeError) as exc:
                log.info("PortAudio re-initialisation failed: %s", exc)
        try:
            stream = sd.InputStream(samplerate=self.rate, channels=1, dtype="int16", blocksize=self.chunk,
                                    device=self.device, callback=self._callback, latency="low")
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            text = str(exc)
            lowered = text.lower()
            if "no input device" in lowered or "not found" in lowered or "invalid device" in lowered \
                    or "querying device -1" in lowered:
                raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "未找到麦克风，请检查麦克风连接线"), detail=text,
                                         fix=QT_TRANSLATE_NOOP("kiosk", "插好麦克风；在系统声音设置里确认输入设备")) from None
            raise DeviceUnavailable(QT_TRANSLATE_NOOP("kiosk", "麦克风无法打开"), detail=text,
                                    fix=QT_TRANSLATE_NOOP("kiosk", "确认没有其他程序独占麦克风；检查系统声音设置")) from None
        # PortAudio time → monotonic: both are steady clocks, the offset is fixed per stream
        self._clock_offset = time.monotonic() - float(stream.time)
        self._last_chunk_at = time.monotonic()
        self._opened_once = True
        self._stream = stream

    def read(self, timeout: float = 1.0) -> AudioChunk:
        stream = self._stream
        if stream is None:
            raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "麦克风未打开"), detail="read() before open()")
        try:
            pcm, t = self._queue.get(timeout=min(timeout, self._stall_s))
        except queue.Empty:
            silent_for = time.monotonic() - self._last_chunk_at
            if not stream.active or silent_for >= self._stall_s:
                raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "麦克风已断开，请检查麦克风连接线"),
                                         detail=f"no audio for {silent_for:.1f}s, active={stream.active}",
                                         fix=QT_TRANSLATE_NOOP("kiosk", "重新插好麦克风USB线")) from None
            raise TimeoutError("no audio within timeout") from None
        self._last_chunk_at = time.monotonic()
        self.meter.update(pcm)
        return AudioChunk(pcm=pcm, t=t, rate=self.rate)

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
            finally:
                stream.close()

    def health(self) -> Health:
        counters: dict[str, int | float] = {"overflows": self.overflows, "dropped_chunks": self.dropped_chunks}
        counters.update(self.meter.counters())
        message = ""
        if self.meter.clipped_share > 0.01:
            message = QT_TRANSLATE_NOOP("kiosk", "声音过大，请离麦克风稍远一些")
        elif self.meter.silent_run_s > 10:
            message = QT_TRANSLATE_NOOP("kiosk", "麦克风没有声音，请检查麦克风是否静音")
        return Health(DeviceState.OPEN if self._stream is not None else DeviceState.CLOSED, message,
                      counters=counters)
