"""One owning thread per device: every open/read/close of a device happens on it.

Drivers (OpenCV captures, HID handles, vendor DLLs) are not safe to call from several threads,
and a blocking read must never stall the GUI or another device. A `DeviceThread` opens its
device, streams what it reads into a sink (a `FrameRing`, a queue or a callable) or, for
request/answer devices (ID card, signature pad), runs the calls submitted to it. When the
device goes away it reports a DISCONNECTED `Health` with the message to show, keeps trying to
reopen it, and reports OPEN again once it is back: that is how the session pauses and resumes
on a pulled cable.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, Protocol, TypeVar

from devices.base import DeviceDisconnected, DeviceError, DeviceState, Health, Listener
from devices.ring import FrameRing

log = logging.getLogger(__name__)

_KIND_ZH = {"camera": "摄像头", "microphone": "麦克风", "idcard": "身份证读卡器", "signpad": "签字板"}


class OwnedDevice(Protocol):
    info: Any

    def open(self) -> None: ...

    def close(self) -> None: ...


D = TypeVar("D", bound=OwnedDevice)
R = TypeVar("R")


class DeviceThread(Generic[D]):
    """Owns `device`; streams `device.read()` into `sink` when a sink is given."""

    def __init__(self, device: D, sink: FrameRing[Any] | queue.Queue[Any] | Callable[[Any], None] | None = None,
                 *, listener: Listener | None = None, retry_s: float = 0.5, max_retry_s: float = 5.0,
                 read_timeout: float = 1.0, name: str | None = None) -> None:
        self.device = device
        self.sink = sink
        self.retry_s = retry_s
        self.max_retry_s = max_retry_s
        self.read_timeout = read_timeout
        self._listeners: list[Listener] = [listener] if listener else []
        self._calls: queue.Queue[tuple[Callable[[D], Any], Future[Any]]] = queue.Queue()
        self._stop = threading.Event()
        self._poke = threading.Event()  # hot-plug noticed: retry opening now, not after the back-off
        self._state_cond = threading.Condition()
        self._health = Health(DeviceState.CLOSED)
        self.sink_dropped = 0
        self.items = 0
        kind = getattr(device.info, "kind", "device")
        self._kind_zh = _KIND_ZH.get(kind, "设备")
        self._thread = threading.Thread(target=self._run, name=name or f"device-{kind}", daemon=True)

    # ---- control
    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def start(self) -> DeviceThread[D]:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop streaming, close the device on its own thread, and join."""
        self._stop.set()
        self._poke.set()
        self._calls.put((lambda d: None, Future()))  # wake an idle command loop
        if self._thread.is_alive():
            self._thread.join(timeout)

    def poke(self) -> None:
        """The device may be back (hot-plug): cut the current retry wait short."""
        self._poke.set()

    def _retry_wait(self, delay: float) -> bool:
        """Wait out a retry back-off; True when the thread is stopping."""
        self._poke.wait(delay)
        self._poke.clear()
        return self._stop.is_set()

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

    def submit(self, fn: Callable[[D], R]) -> Future[R]:
        """Run `fn(device)` on the owning thread (between reads when streaming)."""
        fut: Future[R] = Future()
        if self._stop.is_set():
            fut.set_exception(DeviceError(f"{self._kind_zh}已停止", detail="submit after stop"))
            return fut
        self._calls.put((fn, fut))
        return fut

    def call(self, fn: Callable[[D], R], timeout: float | None = None) -> R:
        return self.submit(fn).result(timeout)

    # ---- the owning thread
    def _set_health(self, health: Health) -> None:
        with self._state_cond:
            changed = health.state is not self._health.state  # one notice per change, not per retry
            self._health = health
            self._state_cond.notify_all()
        if changed:
            for listener in list(self._listeners):
                try:
                    listener(self.device.info, health)
                except Exception:  # noqa: BLE001 - a faulty listener must not kill the device thread
                    log.exception("device health listener failed")

    def _deliver(self, item: Any) -> None:
        self.items += 1
        sink = self.sink
        if isinstance(sink, FrameRing):
            sink.put(item)
        elif isinstance(sink, queue.Queue):
            try:
                sink.put_nowait(item)
            except queue.Full:
                self.sink_dropped += 1
        elif sink is not None:
            sink(item)

    def _run_calls(self, block_s: float) -> DeviceDisconnected | None:
        """Run queued calls; the `DeviceDisconnected` one of them raised, if any (the caller
        gets it through its future too, and the thread starts reopening the device)."""
        lost: DeviceDisconnected | None = None
        try:
            fn, fut = self._calls.get(timeout=block_s) if block_s > 0 else self._calls.get_nowait()
        except queue.Empty:
            return None
        while True:
            if fut.set_running_or_notify_cancel():
                try:
                    fut.set_result(fn(self.device))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
                    if isinstance(exc, DeviceDisconnected):
                        lost = exc
                    fut.set_exception(exc)
            if lost is not None:
                return lost
            try:
                fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return None

    def _run(self) -> None:
        opened = False
        was_open = False
        delay = self.retry_s
        streaming = self.sink is not None and hasattr(self.device, "read")
        try:
            while not self._stop.is_set():
                if not opened:
                    try:
                        self.device.open()
                    except DeviceError as exc:
                        state = DeviceState.DISCONNECTED if (was_open or isinstance(exc, DeviceDisconnected)) \
                            else DeviceState.FAILED
                        self._set_health(Health(state, exc.message, exc.fix or "", {"retry_s": delay}))
                        self._run_calls(0)
                        if self._retry_wait(delay):
                            break
                        delay = min(self.max_retry_s, delay * 1.5)
                        continue
                    opened = True
                    delay = self.retry_s
                    self._set_health(Health(DeviceState.OPEN, f"{self._kind_zh}已恢复" if was_open else ""))
                    was_open = True
                lost = self._run_calls(0 if streaming else 0.2)
                if lost is not None:
                    opened = False
                    self._close_quietly()
                    self._set_health(Health(DeviceState.DISCONNECTED,
                                            lost.message or f"{self._kind_zh}已断开，请检查连接线", lost.fix))
                    continue
                if not streaming:
                    continue
                try:
                    item = self.device.read(self.read_timeout)  # type: ignore[attr-defined]
                except TimeoutError:
                    continue
                except DeviceDisconnected as exc:
                    opened = False
                    self._close_quietly()
                    self._set_health(Health(DeviceState.DISCONNECTED,
                                            exc.message or f"{self._kind_zh}已断开，请检查连接线", exc.fix))
                    continue
                except DeviceError as exc:
                    opened = False
                    self._close_quietly()
                    self._set_health(Health(DeviceState.FAILED, exc.message, exc.fix))
                    if self._retry_wait(delay):
                        break
                    delay = min(self.max_retry_s, delay * 1.5)
                    continue
                self._deliver(item)
        except Exception:  # noqa: BLE001 - a driver bug: log it, report FAILED, end the thread
            log.exception("device thread crashed")
            self._set_health(Health(DeviceState.FAILED, f"{self._kind_zh}出现故障，请联系技术人员",
                                    "查看技术日志", {"error": 1}))
        finally:
            if opened:
                self._close_quietly()
            self._drain_calls()
            if self._health.state is not DeviceState.FAILED:
                self._set_health(Health(DeviceState.CLOSED))

    def _close_quietly(self) -> None:
        try:
            self.device.close()
        except Exception:  # noqa: BLE001 - closing a device that is gone may fail in any way
            log.debug("close failed", exc_info=True)

    def _drain_calls(self) -> None:
        while True:
            try:
                _fn, fut = self._calls.get_nowait()
            except queue.Empty:
                return
            if not fut.done() and fut.set_running_or_notify_cancel():
                fut.set_exception(DeviceError(f"{self._kind_zh}已停止", detail="device thread stopped"))
