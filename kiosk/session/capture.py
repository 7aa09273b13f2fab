"""The session's device hub: the four devices, reached only through their owners.

The app builds one `DeviceOwners` (`devices.owner`) per start; a session takes a `DeviceHub`
over it for its lifetime. Frames and audio come from the owners' rings (each consumer with its
own cursor, so a slow one drops only for itself); the ID reader and the pad are commands that
run on their owner threads. Whatever the session does with a device goes through here:

    hub = DeviceHub(ctx.devices, on_problem=...)   # on_problem(kind, message | None when back)
    hub.start()                                    # camera and microphone stream while the hub runs
    frames = hub.ring.consumer("analysis-P1")      # or lossless=True (the recorder)
    hub.add_audio_listener(fn)                     # fn(chunk) on a pump thread of its own
    card = hub.read_card(timeout=30.0)             # TimeoutError when no card came
    for item in hub.pen_points(stop): ...          # PenPoint | PadEvent until CONFIRM
    hub.signpad_info, hub.signpad_size_mm          # adapter name and size for the pen data
    hub.stop()

A pulled cable of any of the four reaches `on_problem(kind, message)` before the command that
found it fails with `DeviceDisconnected`; `on_problem(kind, None)` follows the replug. The
session pauses between the two (see the runner's `_wait_devices`).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

from devices.base import (
    AudioChunk,
    DeviceInfo,
    DeviceState,
    Frame,
    Health,
    IdCardData,
    PadEvent,
    PenPoint,
)
from devices.owner import KIND_ZH, DeviceOwners, Lease
from devices.ring import FrameRing, RingConsumer
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

log = logging.getLogger(__name__)

DeviceProblem = Callable[[str, str | None], None]  # (kind, chinese message or None when back)

__all__ = ["KIND_ZH", "DeviceHub", "DeviceProblem"]


class _AudioPump:
    """Feeds one audio listener from its own cursor on the microphone ring."""

    def __init__(self, consumer: RingConsumer[AudioChunk], fn: Callable[[AudioChunk], object]) -> None:
        self.consumer = consumer
        self.fn = fn
        self.thread = threading.Thread(target=self._run, name=f"audio-{consumer.name}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.consumer.closed:
            chunk = self.consumer.get(timeout=0.5)
            if chunk is None:
                if self.consumer.ring_closed:
                    return
                continue
            try:
                self.fn(chunk)
            except Exception:  # noqa: BLE001 - one listener's bug must not stop its feed
                log.exception("audio listener failed")

    def stop(self) -> None:
        self.consumer.close()
        if threading.current_thread() is not self.thread:
            self.thread.join(5.0)


class DeviceHub:
    def __init__(self, owners: DeviceOwners, *, on_problem: DeviceProblem | None = None) -> None:
        self.owners = owners
        camera_ring, audio_ring = owners.camera.ring, owners.microphone.ring
        if camera_ring is None or audio_ring is None:
            raise ValueError("camera and microphone owners must stream into rings")
        self.ring: FrameRing[Frame] = camera_ring
        self.audio_ring: FrameRing[AudioChunk] = audio_ring
        self._on_problem = on_problem
        self._lock = threading.Lock()
        self._leases: list[Lease] = []
        self._pumps: dict[Callable[[AudioChunk], object], _AudioPump] = {}
        self._serial = 0
        self.problems: dict[str, str] = {}

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> None:
        """Stream camera and microphone, and listen to all four owners."""
        self.owners.add_listener(self._health_changed)
        for owner in self.owners.all():
            self._health_changed(owner.info, owner.health)  # a device already gone pauses at once
        self._leases = [self.owners.camera.stream(), self.owners.microphone.stream()]

    def stop(self) -> None:
        self.owners.remove_listener(self._health_changed)
        with self._lock:
            pumps = list(self._pumps.values())
            self._pumps.clear()
        for pump in pumps:
            pump.stop()
        for lease in self._leases:
            lease.release()
        self._leases = []

    @property
    def healthy(self) -> bool:
        return not self.problems

    # ---------------------------------------------------------------- health
    def _health_changed(self, info: DeviceInfo, health: Health) -> None:
        kind = info.kind
        streaming = kind in ("camera", "microphone")
        if health.state is DeviceState.OPEN:
            message: str | None = None
        elif health.state is DeviceState.DISCONNECTED or (health.state is DeviceState.FAILED and streaming):
            message = health.message or fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"),
                                            device=KIND_ZH.get(kind, kind))
        else:
            return  # CLOSED (no stream wanted) or a command device that never opened: the step says so
        with self._lock:
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

    # ---------------------------------------------------------------- media
    def add_audio_listener(self, fn: Callable[[AudioChunk], object]) -> None:
        """Call `fn(chunk)` for every microphone chunk, in order, on a thread of its own."""
        with self._lock:
            if fn in self._pumps:
                return
            self._serial += 1
            consumer = self.audio_ring.consumer(f"audio-{self._serial}", lossless=True)
            self._pumps[fn] = _AudioPump(consumer, fn)

    def remove_audio_listener(self, fn: Callable[[AudioChunk], object]) -> None:
        with self._lock:
            pump = self._pumps.pop(fn, None)
        if pump is not None:
            pump.stop()

    # ---------------------------------------------------------------- ID card and pad
    def read_card(self, timeout: float = 30.0) -> IdCardData:
        """Wait for a card on the reader (on its owner thread). TimeoutError when none came;
        `DeviceDisconnected` when the reader is unplugged (the hub has reported it)."""
        return self.owners.idcard.read_card(timeout)

    def pen_points(self, stop: threading.Event | None = None) -> Iterator[PenPoint | PadEvent]:
        """Pen points and pad buttons from the pad's owner until CONFIRM, `stop` or leaving the loop."""
        return self.owners.signpad.points(stop)

    def show_on_pad(self, rgb: object) -> None:
        """Show what is signed on the pad's own screen (pads without one ignore it)."""
        self.owners.signpad.show_image(rgb)

    @property
    def signpad_info(self) -> DeviceInfo:
        return self.owners.signpad.info

    @property
    def signpad_size_mm(self) -> tuple[float, float]:
        return self.owners.signpad.size_mm
