"""One owner thread per device, and the hot-plug monitor that wakes the owners.

Drivers (OpenCV captures, PortAudio streams, HID handles, vendor DLLs) are not safe to call
from several threads, and a blocking read must never stall the GUI or another device. So each
device has exactly one `DeviceOwner`: the only thread that opens, reads, calls and closes it
(Electrum's `run_in_hwd_thread`, made the only path). Everyone else

- reads a streaming device (camera, microphone) through the owner's `FrameRing`, each with its
  own cursor, so a slow consumer drops only for itself; and asks for the stream with
  `stream()`, a lease: the device is open while anybody holds one;
- submits commands to a request/answer device (ID reader, pad) with `call(fn) -> Future`,
  the typed `read_card()`, or `iterate()` for answers that come as a stream (pen points).
  Commands run one at a time, in order, never two on the device at once.

When a device goes away (a read or a command raises `DeviceDisconnected`, the device reports
DISCONNECTED while idle, or the USB monitor saw it leave) the owner closes it, reports a
DISCONNECTED `Health` once, fails the commands that arrive meanwhile with that message, keeps
reopening it (at once when the monitor sees it come back) and reports OPEN ("…已恢复") when it
is back: that is how the session pauses and resumes on a pulled cable.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from devices.base import (
    KINDS,
    DeviceDisconnected,
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Health,
    IdCardData,
    Listener,
)
from devices.factory import AdapterSpec, Match, match_adapters
from devices.ring import FrameRing
from devices.texts import QT_TRANSLATE_NOOP, fmt
from devices.usb import UsbDevice, list_usb_devices

log = logging.getLogger(__name__)

KIND_ZH = {"camera": QT_TRANSLATE_NOOP("kiosk", "摄像头"), "microphone": QT_TRANSLATE_NOOP("kiosk", "麦克风"),
           "idcard": QT_TRANSLATE_NOOP("kiosk", "身份证读卡器"), "signpad": QT_TRANSLATE_NOOP("kiosk", "签字板")}


class OwnedDevice(Protocol):
    info: Any

    def open(self) -> None: ...

    def close(self) -> None: ...


D = TypeVar("D", bound=OwnedDevice)
R = TypeVar("R")
T = TypeVar("T")

_Call = tuple[Callable[[Any], Any], "Future[Any]"]
_WAKE: Callable[[Any], Any] = lambda _d: None  # noqa: E731 - a no-op command that only wakes the loop


class Lease:
    """A consumer's claim on a streaming device: the device stays open while any lease is held."""

    def __init__(self, owner: DeviceOwner[Any]) -> None:
        self._owner = owner
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._owner._release()

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class DeviceOwner(Generic[D]):
    """The one thread that touches `device`.

    A streaming device (one with `read`, given `ring_capacity`) is opened on demand — while a
    `stream()` lease is held — and its items go into `ring`. A command device is opened when
    the owner starts and stays open; `health_poll_s` is how often, while idle, the owner asks
    it whether it is still there.
    """

    def __init__(self, device: D, *, ring_capacity: int | None = None, retry_s: float = 0.5,
                 max_retry_s: float = 5.0, read_timeout: float = 1.0, health_poll_s: float = 0.5,
                 name: str | None = None) -> None:
        self.device = device
        self.info: DeviceInfo = device.info
        self.kind: str = getattr(device.info, "kind", "device")
        self.label = KIND_ZH.get(self.kind, QT_TRANSLATE_NOOP("kiosk", "设备"))
        self.retry_s = retry_s
        self.max_retry_s = max_retry_s
        self.read_timeout = read_timeout
        self.health_poll_s = health_poll_s
        self.streaming = ring_capacity is not None and hasattr(device, "read")
        self.ring: FrameRing[Any] | None = FrameRing(ring_capacity) if self.streaming and ring_capacity else None
        self._listeners: list[Listener] = []
        self._calls: queue.Queue[_Call] = queue.Queue()
        self._stop = threading.Event()
        self._poke = threading.Event()  # hot-plug noticed, a command or a lease came: do not sleep on
        self._removed = threading.Event()  # the USB monitor saw the device leave
        self._state_cond = threading.Condition()
        self._health = Health(DeviceState.CLOSED)
        self._demand = 0
        self._was_open = False
        self.items = 0
        self.calls_run = 0
        self._thread = threading.Thread(target=self._run, name=name or f"device-{self.kind}", daemon=True)

    # ---------------------------------------------------------------- control (any thread)
    def add_listener(self, listener: Listener) -> None:
        """`listener(info, health)` on every state change, from the owner thread."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def start(self) -> DeviceOwner[D]:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Close the device on its own thread, fail what is still queued, and join."""
        self._stop.set()
        self._poke.set()
        self._calls.put((_WAKE, Future()))
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        if self.ring is not None:
            self.ring.close()

    def poke(self) -> None:
        """The device may be back (hot-plug): retry opening now, not after the back-off."""
        self._poke.set()
        self._calls.put((_WAKE, Future()))

    def notice_removed(self) -> None:
        """The USB monitor saw the device leave: close it and wait for it to come back."""
        self._removed.set()
        self.poke()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def health(self) -> Health:
        with self._state_cond:
            return self._health

    def wait_state(self, state: DeviceState, timeout: float | None = None) -> bool:
        """Block until the device reaches `state` (e.g. OPEN again after a replug)."""
        with self._state_cond:
            return self._state_cond.wait_for(lambda: self._health.state is state, timeout)

    def stream(self) -> Lease:
        """Hold the stream open (camera, microphone); `release()` the lease when done."""
        with self._state_cond:
            self._demand += 1
        self.poke()
        return Lease(self)

    def _release(self) -> None:
        with self._state_cond:
            self._demand = max(0, self._demand - 1)
        self.poke()

    def wrap(self, adapter: Callable[[D], D]) -> D:
        """Put `adapter(device)` between the owner and the device and return it.

        For an input merged into the device's own stream (the signing screen's 确认/重签 as pad
        buttons): the adapter delegates open/close/health to the device and is called, like the
        device, only on the owner thread. A command already running finishes on the old object.
        """
        with self._state_cond:
            self.device = adapter(self.device)
            return self.device

    def call(self, fn: Callable[[D], R]) -> Future[R]:
        """Run `fn(device)` on the owner thread, after the commands queued before it.

        The future fails with `DeviceDisconnected` (or `DeviceUnavailable` for a device that
        never opened) when the device is not open, with the message to show.
        """
        fut: Future[R] = Future()
        if self._stop.is_set():
            fut.set_exception(DeviceError(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已停止"), device=self.label), detail="call after stop"))
            return fut
        self._calls.put((fn, fut))
        self._poke.set()
        return fut

    def run(self, fn: Callable[[D], R], timeout: float | None = None) -> R:
        """`call(fn)` and wait for its result (re-raises what `fn` raised)."""
        fut = self.call(fn)
        try:
            return fut.result(timeout)
        except FutureTimeout as exc:
            fut.cancel()
            raise TimeoutError(f"{self.kind} call timed out") from exc

    def iterate(self, fn: Callable[[D, threading.Event], Iterable[T]], stop: threading.Event | None = None,
                poll_s: float = 0.1) -> Iterator[T]:
        """Items of `fn(device, stop)` produced on the owner thread, handed to the caller as they come.

        For answers that arrive as a stream (pen points until CONFIRM). Leaving the loop early
        sets `stop`, which ends `fn` on the owner thread; an error in `fn` is raised here.
        """
        stop = stop or threading.Event()
        items: queue.Queue[tuple[bool, Any]] = queue.Queue()

        def produce(device: D) -> None:
            try:
                for item in fn(device, stop):
                    items.put((False, item))
                    if stop.is_set():
                        break
            finally:
                items.put((True, None))

        fut = self.call(produce)
        try:
            while True:
                try:
                    end, item = items.get(timeout=poll_s)
                except queue.Empty:
                    if fut.done() and items.empty():
                        fut.result()  # raises what failed the command before it produced anything
                        return
                    continue
                if end:
                    fut.result()
                    return
                yield item
        finally:
            stop.set()

    # ---------------------------------------------------------------- the owner thread
    def _set_health(self, health: Health) -> None:
        with self._state_cond:
            changed = health.state is not self._health.state  # one notice per change, not per retry
            self._health = health
            self._state_cond.notify_all()
        if changed:
            for listener in list(self._listeners):
                try:
                    listener(self.info, health)
                except Exception:  # noqa: BLE001 - a faulty listener must not kill the owner thread
                    log.exception("device health listener failed")

    def _lost(self, exc: DeviceError) -> None:
        self._close_quietly()
        self._set_health(Health(DeviceState.DISCONNECTED, exc.message or fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"), device=self.label),
                                exc.fix or fmt(QT_TRANSLATE_NOOP("kiosk", "重新插好{device}的连接线"), device=self.label)))

    def _not_open_error(self) -> DeviceError:
        h = self.health
        if h.state is DeviceState.DISCONNECTED:
            return DeviceDisconnected(h.message or fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"), device=self.label), fix=h.fix,
                                      detail=f"{self.kind} disconnected")
        if h.state is DeviceState.FAILED:
            return DeviceUnavailable(h.message or fmt(QT_TRANSLATE_NOOP("kiosk", "{device}不可用"), device=self.label), fix=h.fix, detail=f"{self.kind} failed")
        return DeviceError(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}未打开"), device=self.label), detail=f"{self.kind} not open (no stream lease)")

    def _fail_calls(self, error: Callable[[], Exception] | None = None) -> None:
        """Fail what is queued with `error()`; by default: the device is not open (unplugged,
        missing or not streamed)."""
        make = error or self._not_open_error
        while True:
            try:
                fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return
            if fn is not _WAKE and fut.set_running_or_notify_cancel():
                fut.set_exception(make())

    def _run_calls(self, block_s: float) -> bool:
        """Run queued calls in order; False when one of them found the device gone."""
        try:
            fn, fut = self._calls.get(timeout=block_s) if block_s > 0 else self._calls.get_nowait()
        except queue.Empty:
            return True
        while True:
            if fn is not _WAKE and fut.set_running_or_notify_cancel():
                self.calls_run += 1
                try:
                    result = fn(self.device)
                except DeviceDisconnected as exc:
                    self._lost(exc)  # health first: whoever sees the error sees the pause too
                    fut.set_exception(exc)
                    return False
                except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
                    fut.set_exception(exc)
                else:
                    fut.set_result(result)
            if self._stop.is_set():
                return True
            try:
                fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return True

    def _still_there(self) -> bool:
        """Idle check of a command device: False when it says it is gone or the monitor saw it leave."""
        if self._removed.is_set():
            self._removed.clear()
            self._lost(DeviceDisconnected(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"), device=self.label), detail="usb removed"))
            return False
        health = getattr(self.device, "health", None)
        if health is None:
            return True
        h = health()
        if h.state is DeviceState.DISCONNECTED:
            self._lost(DeviceDisconnected(h.message or fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"), device=self.label), fix=h.fix))
            return False
        return True

    def _try_open(self, delay: float) -> bool:
        try:
            self.device.open()
        except DeviceError as exc:
            state = DeviceState.DISCONNECTED if (self._was_open or isinstance(exc, DeviceDisconnected)) \
                else DeviceState.FAILED
            fix = exc.fix or (fmt(QT_TRANSLATE_NOOP("kiosk", "重新插好{device}的连接线"), device=self.label) if state is DeviceState.DISCONNECTED else "")
            self._set_health(Health(state, exc.message, fix, {"retry_s": delay}))
            return False
        self._removed.clear()
        self._set_health(Health(DeviceState.OPEN, fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已恢复"), device=self.label) if self._was_open else ""))
        self._was_open = True
        return True

    def _wait(self, delay: float) -> None:
        self._poke.wait(delay)
        self._poke.clear()

    def _run(self) -> None:  # noqa: C901 - one loop, every state of the device in one place
        opened = False
        delay = self.retry_s
        try:
            while not self._stop.is_set():
                with self._state_cond:
                    wanted = not self.streaming or self._demand > 0
                if not wanted:
                    if opened:
                        opened = False
                        self._close_quietly()
                        self._set_health(Health(DeviceState.CLOSED))
                    self._fail_calls()
                    self._wait(self.health_poll_s)
                    continue
                if not opened:
                    if not self._try_open(delay):
                        self._fail_calls()
                        self._wait(delay)
                        delay = min(self.max_retry_s, delay * 1.5)
                        continue
                    opened = True
                    delay = self.retry_s
                if not self.streaming:
                    if not self._run_calls(self.health_poll_s) or not self._still_there():
                        opened = False
                    continue
                if not self._run_calls(0):
                    opened = False
                    continue
                if self._removed.is_set():
                    self._removed.clear()
                    opened = False
                    self._lost(DeviceDisconnected(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"), device=self.label), detail="usb removed"))
                    continue
                try:
                    item = self.device.read(self.read_timeout)  # type: ignore[attr-defined]
                except TimeoutError:
                    continue
                except DeviceDisconnected as exc:
                    opened = False
                    self._lost(exc)
                    continue
                except DeviceError as exc:
                    opened = False
                    self._close_quietly()
                    self._set_health(Health(DeviceState.FAILED, exc.message, exc.fix))
                    self._wait(delay)
                    delay = min(self.max_retry_s, delay * 1.5)
                    continue
                self.items += 1
                assert self.ring is not None
                self.ring.put(item)
        except Exception:  # noqa: BLE001 - a driver bug: log it, report FAILED, end the thread
            log.exception("device owner crashed")
            self._set_health(Health(DeviceState.FAILED, fmt(QT_TRANSLATE_NOOP("kiosk", "{device}出现故障，请联系技术人员"), device=self.label),
                                    QT_TRANSLATE_NOOP("kiosk", "查看技术日志"), {"error": 1}))
        finally:
            if opened:
                self._close_quietly()
            self._fail_calls(lambda: DeviceError(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已停止"), device=self.label), detail="device owner stopped"))
            if self._health.state is not DeviceState.FAILED:
                self._set_health(Health(DeviceState.CLOSED))

    def _close_quietly(self) -> None:
        try:
            self.device.close()
        except Exception:  # noqa: BLE001 - closing a device that is gone may fail in any way
            log.debug("close failed", exc_info=True)


class IdCardOwner(DeviceOwner[Any]):
    """The ID reader's owner, with its one command typed."""

    def read_card(self, timeout: float = 30.0) -> IdCardData:
        """Wait (on the owner thread) for a card and read it; TimeoutError when none came."""
        card: IdCardData = self.run(lambda reader: reader.read_card(timeout=timeout), timeout + 10.0)
        return card


class SignpadOwner(DeviceOwner[Any]):
    """The pen pad's owner: what the pad shows and the pen points it sends."""

    @property
    def size_mm(self) -> tuple[float, float]:
        return float(getattr(self.device, "width_mm", 0.0) or 0.0), float(getattr(self.device, "height_mm", 0.0) or 0.0)

    def show_image(self, rgb: Any) -> Future[None]:
        return self.call(lambda pad: pad.show_image(rgb))

    def clear(self) -> Future[None]:
        return self.call(lambda pad: pad.clear())

    def points(self, stop: threading.Event | None = None) -> Iterator[Any]:
        """Pen points and button events until CONFIRM or `stop` (see `iterate`)."""
        return self.iterate(lambda pad, st: pad.points(st), stop)


@dataclass
class DeviceOwners:
    """The four owners of a kiosk, started together, stopped together."""

    camera: DeviceOwner[Any]
    microphone: DeviceOwner[Any]
    idcard: IdCardOwner
    signpad: SignpadOwner

    @classmethod
    def start(cls, camera: Any, microphone: Any, idcard: Any, signpad: Any, *, video_capacity: int = 16,
              audio_capacity: int = 64, retry_s: float = 0.5, max_retry_s: float = 5.0) -> DeviceOwners:
        """Owners for the four devices; streaming ones open when a consumer asks (`stream()`)."""
        owners = cls(
            camera=DeviceOwner(camera, ring_capacity=video_capacity, retry_s=retry_s, max_retry_s=max_retry_s),
            microphone=DeviceOwner(microphone, ring_capacity=audio_capacity, retry_s=retry_s,
                                   max_retry_s=max_retry_s),
            idcard=IdCardOwner(idcard, retry_s=retry_s, max_retry_s=max_retry_s),
            signpad=SignpadOwner(signpad, retry_s=retry_s, max_retry_s=max_retry_s),
        )
        for owner in owners.all():
            owner.start()
        return owners

    def all(self) -> tuple[DeviceOwner[Any], ...]:
        return (self.camera, self.microphone, self.idcard, self.signpad)

    def __getitem__(self, kind: str) -> DeviceOwner[Any]:
        if kind not in KINDS:
            raise KeyError(kind)
        owner: DeviceOwner[Any] = getattr(self, kind)
        return owner

    def add_listener(self, listener: Listener) -> None:
        for owner in self.all():
            owner.add_listener(listener)

    def remove_listener(self, listener: Listener) -> None:
        for owner in self.all():
            owner.remove_listener(listener)

    def health(self) -> dict[str, Health]:
        return {o.kind: o.health for o in self.all()}

    def stop(self) -> None:
        for owner in reversed(self.all()):
            owner.stop()


class HotplugMonitor:
    """Polls the USB bus; tells the owner of a kind when its hardware left or came back.

    The first scan sets the baseline silently. `on_change(what, match)` listeners hear
    "added"/"removed" too (the technician screen lists them).
    """

    def __init__(self, owners: DeviceOwners | None = None, *,
                 usb_lister: Callable[[], list[UsbDevice]] = list_usb_devices,
                 adapters: Iterable[AdapterSpec] | None = None, poll_s: float = 2.0) -> None:
        self.owners = owners
        self._usb_lister = usb_lister
        self._adapters = tuple(adapters) if adapters is not None else None
        self.poll_s = poll_s
        self._listeners: list[Callable[[str, Match], None]] = []
        self._present: dict[tuple[int, int, str], Match] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def on_change(self, callback: Callable[[str, Match], None]) -> None:
        self._listeners.append(callback)

    def scan(self) -> dict[tuple[int, int, str], Match]:
        try:
            usb = self._usb_lister()
        except Exception as exc:  # noqa: BLE001 - enumeration failing must not stop the kiosk
            log.warning("USB enumeration failed: %s", exc)
            return {}
        matches = match_adapters(usb) if self._adapters is None else match_adapters(usb, self._adapters)
        return {(m.usb.vendor_id, m.usb.product_id, m.usb.path): m for m in matches}

    def poll_once(self) -> list[tuple[str, Match]]:
        """Compare with the last scan; report (and return) what came and went."""
        now = self.scan()
        with self._lock:
            before, self._present = self._present, now
        events = [("removed", m) for k, m in before.items() if k not in now]
        events += [("added", m) for k, m in now.items() if k not in before]
        for what, m in events:
            log.info("device %s: %s %04x:%04x", what, m.spec.kind, m.usb.vendor_id, m.usb.product_id)
            if self.owners is not None:
                owner = self.owners[m.spec.kind]
                if what == "added":
                    owner.poke()
                elif owner.info.vendor_id == m.usb.vendor_id or (owner.info.vendor_id is None and not owner.streaming):
                    owner.notice_removed()  # a stream notices by itself; only ours, when we can tell
            for cb in list(self._listeners):
                try:
                    cb(what, m)
                except Exception:  # noqa: BLE001 - a listener bug must not stop hot-plug polling
                    log.exception("hot-plug listener failed")
        return events

    def start(self) -> HotplugMonitor:
        if self._thread is None:
            with self._lock:
                self._present = self.scan()
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="usb-hotplug", daemon=True)
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            self.poll_once()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None


__all__ = ["KIND_ZH", "DeviceOwner", "DeviceOwners", "HotplugMonitor", "IdCardOwner", "Lease", "SignpadOwner"]
