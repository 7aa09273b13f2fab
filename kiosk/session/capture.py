"""The session's device hub. Live media: camera → frame ring, microphone → listeners, each
from its owning thread. Command devices (the ID reader, the pen pad): the session's steps reach
them only through `read_card` / `pen_input` here, never through the drivers.

Each device has one owning thread that opens, reads and closes it. A pulled cable
(`DeviceDisconnected`) pauses the stream: the thread reports the problem once, retries opening
at a steady pace and reports when the device is back, so the session can pause with a clear
message and resume (ARCHITECTURE §3). Consumers read the ring at their own pace.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from devices.base import (
    AudioChunk,
    Camera,
    DeviceDisconnected,
    DeviceError,
    Frame,
    IdCardData,
    IdCardReader,
    Microphone,
    PadEvent,
    PenPoint,
    SignaturePad,
)
from devices.ring import FrameRing

log = logging.getLogger(__name__)

DeviceProblem = Callable[[str, str | None], None]  # (kind, chinese message or None when back)


@dataclass(frozen=True)
class PadInfo:
    adapter: str
    width_mm: float
    height_mm: float


class CaptureHub:
    def __init__(self, camera: Camera, microphone: Microphone, *, idcard: IdCardReader | None = None,
                 signpad: SignaturePad | None = None, on_problem: DeviceProblem | None = None,
                 ring_capacity: int = 16, reconnect_s: float = 1.0) -> None:
        self.camera = camera
        self.microphone = microphone
        self._idcard = idcard
        self._signpad = signpad
        self.ring: FrameRing[Frame] = FrameRing(ring_capacity)
        self._audio_listeners: list[Callable[[AudioChunk], object]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._on_problem = on_problem
        self._reconnect_s = reconnect_s
        self.problems: dict[str, str] = {}
        self.audio_chunks = 0
        self.frames = 0

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> None:
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._camera_loop, name="camera-owner", daemon=True),
            threading.Thread(target=self._mic_loop, name="microphone-owner", daemon=True),
        ]
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        self._threads = []
        self.ring.close()

    @property
    def healthy(self) -> bool:
        return not self.problems

    def add_audio_listener(self, fn: Callable[[AudioChunk], object]) -> None:
        with self._lock:
            self._audio_listeners.append(fn)

    def remove_audio_listener(self, fn: Callable[[AudioChunk], object]) -> None:
        with self._lock:
            if fn in self._audio_listeners:
                self._audio_listeners.remove(fn)

    # ---------------------------------------------------------------- command devices
    def read_card(self, timeout: float) -> IdCardData:
        """The card on the reader (TimeoutError when none came within `timeout`)."""
        if self._idcard is None:
            raise DeviceError("身份证读卡器未连接", detail="no ID reader in this session")
        return self._idcard.read_card(timeout=timeout)

    def pen_input(self, stop: threading.Event) -> Iterator[PenPoint | PadEvent]:
        """Pen points and pad buttons until `stop` is set or the pad ends the signature."""
        if self._signpad is None:
            raise DeviceError("签字板未连接", detail="no signature pad in this session")
        self._signpad.open()
        yield from self._signpad.points(stop)

    def pad_info(self) -> PadInfo:
        pad = self._signpad
        if pad is None:
            return PadInfo("none", 0.0, 0.0)
        return PadInfo(pad.info.adapter, pad.width_mm, pad.height_mm)

    # ---------------------------------------------------------------- loops
    def _report(self, kind: str, message: str | None) -> None:
        if message is None:
            if self.problems.pop(kind, None) is None:
                return
            log.info("%s is back", kind)
        else:
            if self.problems.get(kind) == message:
                return
            self.problems[kind] = message
            log.warning("%s problem: %s", kind, message)
        if self._on_problem:
            self._on_problem(kind, message)

    def _run_device(self, kind: str, open_fn: Callable[[], None], read_once: Callable[[], None],
                    close_fn: Callable[[], None]) -> None:
        opened = False
        while not self._stop.is_set():
            try:
                if not opened:
                    open_fn()
                    opened = True
                    self._report(kind, None)
                read_once()
            except DeviceDisconnected as exc:
                opened = False
                try:
                    close_fn()
                except DeviceError:
                    pass
                self._report(kind, exc.message)
                self._stop.wait(self._reconnect_s)
            except DeviceError as exc:
                opened = False
                self._report(kind, exc.message)
                self._stop.wait(self._reconnect_s)
            except TimeoutError:
                continue
        if opened:
            try:
                close_fn()
            except DeviceError:
                pass

    def _camera_loop(self) -> None:
        def read_once() -> None:
            self.ring.put(self.camera.read(timeout=1.0))
            self.frames += 1

        self._run_device("camera", self.camera.open, read_once, self.camera.close)

    def _mic_loop(self) -> None:
        def read_once() -> None:
            chunk = self.microphone.read(timeout=1.0)
            self.audio_chunks += 1
            with self._lock:
                listeners = list(self._audio_listeners)
            for fn in listeners:
                fn(chunk)

        self._run_device("microphone", self.microphone.open, read_once, self.microphone.close)
