"""A microphone that plays a WAV file or PCM array at real-time pace.

Like a live microphone it never ends: after the queued speech it yields silence (with an
optional noise floor, since real rooms are never digital zero). The session feeds the next
utterance with `append`, so one continuous recording holds the whole dialogue.
`disconnect()`/`reconnect()` simulate a pulled cable at the OS boundary.
"""
from __future__ import annotations

import collections
import threading
import time
from pathlib import Path
from typing import Union

import numpy as np

from devices.audio.level import LevelMeter
from devices.audio.pcm import read_wav, resample_int16
from devices.base import (
    AudioChunk,
    DeviceDisconnected,
    DeviceError,
    DeviceInfo,
    DeviceState,
    Health,
    Microphone,
)
from devices.simcable import SimulatedCable
from devices.texts import QT_TRANSLATE_NOOP

AudioSource = Union[str, Path, np.ndarray, None]


class SimulatedMicrophone(SimulatedCable, Microphone):
    """A `Microphone` fed from a WAV path or an int16 array (taken to be at `rate`)."""

    def __init__(self, source: AudioSource, rate: int = 16000, chunk_ms: int = 100, realtime: bool = True,
                 loop: bool = False, *, noise_level: float = 0.0, seed: int = 0,
                 name: str = QT_TRANSLATE_NOOP("kiosk", "模拟麦克风")) -> None:
        self.rate = rate
        self.chunk = max(1, rate * chunk_ms // 1000)
        self.realtime = realtime
        self.loop = loop
        self.noise_level = noise_level  # std-dev of the noise floor in int16 units
        self._rng = np.random.default_rng(seed)
        self.info = DeviceInfo(kind="microphone", name=name, adapter="sim", simulated=True,
                               path=str(source) if isinstance(source, (str, Path)) else "")
        self._source = self._load(source) if source is not None else np.zeros(0, np.int16)
        self._queue: collections.deque[np.ndarray] = collections.deque()
        self._head = 0  # samples of _queue[0] already given out
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._plugged = True
        self._open = False
        self._emitted = 0  # samples given out since the first open (the timeline)
        self._t0 = 0.0
        self._disconnects = 0
        self._queued_total = 0
        self.meter = LevelMeter(rate)  # the same level/clipping/silence figures as a real microphone
        if self._source.size:
            self._enqueue(self._source)

    def _load(self, source: str | Path | np.ndarray) -> np.ndarray:
        if isinstance(source, (str, Path)):
            return read_wav(source, self.rate)
        arr = np.asarray(source)
        if arr.dtype != np.int16 and np.issubdtype(arr.dtype, np.floating):
            arr = np.clip(arr * 32767.0, -32768, 32767)
        return resample_int16(arr, self.rate, self.rate)

    def _enqueue(self, pcm: np.ndarray) -> None:
        with self._lock:
            self._queue.append(pcm)
            self._queued_total += int(pcm.size)

    # ---- feeding and the OS boundary
    def append(self, pcm: np.ndarray | str | Path, rate: int | None = None) -> None:
        """Queue more speech after what is already queued (a WAV path or int16 at `rate`)."""
        if isinstance(pcm, (str, Path)):
            data = read_wav(pcm, self.rate)
        else:
            data = resample_int16(np.asarray(pcm), rate or self.rate, self.rate)
        if data.size:
            self._enqueue(data)

    @property
    def pending_s(self) -> float:
        """Seconds of queued speech not yet read: 0 when the mic is back to silence."""
        with self._lock:
            n = sum(int(a.size) for a in self._queue) - self._head
        return n / self.rate

    # ---- Microphone
    def open(self) -> None:
        with self._lock:
            if not self._plugged:
                raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "麦克风未连接，请检查麦克风连接线"), detail="simulated unplug",
                                         fix=QT_TRANSLATE_NOOP("kiosk", "重新插好麦克风USB线"))
            self._wake.clear()
            self._open = True
            now = time.monotonic()
            if self._emitted == 0:
                self._t0 = now
            elif self.realtime:
                # the time away is lost audio, as with a real device: the timeline jumps
                self._t0 = max(self._t0, now - self._emitted / self.rate)

    def read(self, timeout: float = 1.0) -> AudioChunk:
        if not self._open:
            raise DeviceError(QT_TRANSLATE_NOOP("kiosk", "麦克风未打开"), detail="read() before open()")
        if not self._plugged:
            self._open = False
            raise DeviceDisconnected(QT_TRANSLATE_NOOP("kiosk", "麦克风已断开，请检查麦克风连接线"), detail="simulated unplug",
                                     fix=QT_TRANSLATE_NOOP("kiosk", "重新插好麦克风USB线"))
        t = self._t0 + self._emitted / self.rate
        if self.realtime:
            ready = t + self.chunk / self.rate  # a chunk exists once its last sample was captured
            wait = ready - time.monotonic()
            if wait > timeout:
                self._wake.wait(timeout)
                raise TimeoutError("no audio within timeout")
            if wait > 0 and _paced_wait(self._wake, ready):
                return self.read(timeout)
        pcm = self._take(self.chunk)
        self._emitted += pcm.size
        self.meter.update(pcm)
        return AudioChunk(pcm=pcm, t=t, rate=self.rate)

    def _take(self, n: int) -> np.ndarray:
        out = np.zeros(n, np.int16)
        filled = 0
        with self._lock:
            while filled < n:
                if not self._queue:
                    if self.loop and self._source.size:
                        self._queue.append(self._source)
                        continue
                    break
                head = self._queue[0]
                take = min(n - filled, head.size - self._head)
                out[filled:filled + take] = head[self._head:self._head + take]
                filled += take
                self._head += take
                if self._head >= head.size:
                    self._queue.popleft()
                    self._head = 0
        if self.noise_level > 0 and filled < n:
            noise = self._rng.normal(0.0, self.noise_level, n - filled)
            out[filled:] = np.clip(np.round(noise), -32768, 32767).astype(np.int16)
        return out

    def close(self) -> None:
        self._open = False
        self._wake.set()

    def health(self) -> Health:
        counters: dict[str, int | float] = {"samples": self._emitted, "disconnects": self._disconnects}
        counters.update(self.meter.counters())
        if not self._plugged:
            return Health(DeviceState.DISCONNECTED, QT_TRANSLATE_NOOP("kiosk", "麦克风已断开，请检查麦克风连接线"), QT_TRANSLATE_NOOP("kiosk", "重新插好麦克风USB线"), counters)
        return Health(DeviceState.OPEN if self._open else DeviceState.CLOSED, counters=counters)


def _paced_wait(wake: threading.Event, due: float) -> bool:
    """Wait until monotonic `due`; True when `wake` was set first (unplug, close).

    A condition wait alone wakes a few milliseconds late under load; the last 2 ms are slept,
    which keeps delivery within about a millisecond of the nominal time.
    """
    coarse = due - time.monotonic() - 0.002
    if coarse > 0 and wake.wait(coarse):
        return True
    rest = due - time.monotonic()
    if rest > 0:
        time.sleep(rest)
    return wake.is_set()
