"""The one way to run work off the GUI thread and come back to it.

`run_in_background(fn, ...)` runs `fn` on a plain worker thread and reports through a
`Worker` that lives in the GUI thread. The worker thread never emits the public signals
itself: it posts to a private relay signal connected with a queued connection, so every
public signal (and every callback connected to it, lambdas included) runs on the GUI thread
whatever PySide decides about the receiver of a plain callable.

Signals (all on the GUI thread):
    started()            the function began
    progress(object)     whatever `fn` passed to its `progress` callback
    result(object)       the return value
    error(object)        the exception (`UserFacingError` shown as is; others are bugs, logged)
    finished()           always last, after result or error
`Cancelled` is not an error: it ends with `finished` only.
"""
from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.errors import Cancelled, UserFacingError

log = logging.getLogger(__name__)

_LIVE: set[Worker] = set()
_LIVE_LOCK = threading.Lock()


class Worker(QObject):
    started = Signal()
    progress = Signal(object)
    result = Signal(object)
    error = Signal(object)
    finished = Signal()
    _relay = Signal(str, object)

    def __init__(self, fn: Callable[..., Any], *args: Any, name: str = "", **kwargs: Any) -> None:
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self.name = name or getattr(fn, "__name__", "work")
        self._thread: threading.Thread | None = None
        self.done = threading.Event()
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        try:
            self._wants_progress = "progress" in inspect.signature(fn).parameters
        except (TypeError, ValueError):
            self._wants_progress = False

    def start(self) -> Worker:
        with _LIVE_LOCK:
            _LIVE.add(self)
        self._thread = threading.Thread(target=self._run, name=f"ui-{self.name}", daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the function returned (tests and shutdown only; never on the GUI thread)."""
        return self.done.wait(timeout)

    def _emit(self, kind: str, value: object) -> None:
        """Post to the GUI thread; once the relay is gone (app shutting down, owner deleted)
        there is nobody left to tell, and the work ends quietly."""
        try:
            self._relay.emit(kind, value)
        except RuntimeError:
            raise Cancelled from None

    def _run(self) -> None:
        kwargs = dict(self._kwargs)
        if self._wants_progress:
            kwargs["progress"] = lambda value: self._emit("progress", value)
        try:
            self._emit("started", None)
            try:
                value = self._fn(*self._args, **kwargs)
            except Cancelled:
                self._emit("finished", None)
            except UserFacingError as exc:
                log.info("%s: %s (%s)", self.name, exc.message, exc.detail)
                self._emit("error", exc)
                self._emit("finished", None)
            except Exception as exc:  # noqa: BLE001 - a bug in background work must reach the screen and the log
                log.exception("background work %s failed", self.name)
                self._emit("error", exc)
                self._emit("finished", None)
            else:
                self._emit("result", value)
                self._emit("finished", None)
        except Cancelled:
            log.debug("background work %s: nobody left to tell", self.name)
        finally:
            self.done.set()

    @Slot(str, object)
    def _deliver(self, kind: str, value: object) -> None:
        if kind == "started":
            self.started.emit()
        elif kind == "progress":
            self.progress.emit(value)
        elif kind == "result":
            self.result.emit(value)
        elif kind == "error":
            self.error.emit(value)
        else:
            self.finished.emit()
            with _LIVE_LOCK:
                _LIVE.discard(self)


def run_in_background(fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_progress: Callable[[Any], None] | None = None,
                      on_finished: Callable[[], None] | None = None, name: str = "",
                      **kwargs: Any) -> Worker:
    """Run `fn(*args, **kwargs)` on a worker thread; callbacks run on the GUI thread."""
    worker = Worker(fn, *args, name=name, **kwargs)
    if on_result:
        worker.result.connect(on_result)
    if on_error:
        worker.error.connect(on_error)
    if on_progress:
        worker.progress.connect(on_progress)
    if on_finished:
        worker.finished.connect(on_finished)
    return worker.start()


def error_text(exc: BaseException) -> str:
    """What to show for an error: the plain message of a UserFacingError or of a device's error
    (in the UI language), a generic line for bugs."""
    from PySide6.QtCore import QCoreApplication

    from devices.base import DeviceError  # here: devices.base needs numpy, not before the first paint
    from ui.kiosk_texts import kiosk_text

    if isinstance(exc, UserFacingError):
        return kiosk_text(exc.message)
    if isinstance(exc, DeviceError) and exc.message:
        return kiosk_text(exc.message)

    return QCoreApplication.translate("workers", "系统出现故障，请联系窗口工作人员。")
