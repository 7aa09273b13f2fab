"""What the technician console's tabs share: the settings, the session control, the checks
gathered for the self-test report, and one way to run a device call off the GUI thread.

Device tests borrow the session's devices, so they are refused while a session runs. Every
device call runs through `ui.workers`; a tab only paints what comes back.
"""
from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.config import Settings, StatePaths
from kiosk.errors import UserFacingError
from ui.workers import Worker, error_text, run_in_background


class ConsoleState:
    """One per console: shared by its tabs."""

    def __init__(self, settings: Settings, paths: StatePaths, *, control: Any, demo: bool) -> None:
        self.settings, self.paths, self.control, self.demo = settings, paths, control, demo
        self.checks: dict[str, dict[str, Any]] = {}
        self.stops: dict[str, threading.Event] = {}
        self._workers: list[Worker] = []

    def ctx(self) -> Any:
        """The session context, when its devices may be borrowed now."""
        ctx = getattr(self.control, "ctx", None)
        if ctx is None:
            raise UserFacingError("设备尚未就绪，请稍候再试", code="not_ready")
        if getattr(self.control, "busy", False):
            raise UserFacingError("正在办理业务，请等办理结束后再测试设备", code="busy")
        return ctx

    def record(self, name: str, ok: bool, detail: str) -> None:
        """A check for the self-test report (the latest result per name)."""
        self.checks[name] = {"name": name, "ok": ok, "detail": detail}

    def run(self, fn: Any, *args: Any, label: QLabel, check: str = "", **kw: Any) -> Worker:
        """`fn` in the background; a failure goes to `label` (and to the report as `check`)."""
        def failed(exc: BaseException) -> None:
            label.setText(error_text(exc))
            if check:
                self.record(check, False, error_text(exc))

        w = run_in_background(fn, *args, on_error=failed, name=check or "tech", **kw)
        self._workers = [x for x in self._workers if not x.done.is_set()] + [w]
        return w

    def stop_all(self) -> None:
        for ev in self.stops.values():
            ev.set()
        for w in self._workers:
            w.wait(5)


class ConsoleTab(QWidget):
    """A tab of the console; `shown()` is called each time it comes to the front."""

    def __init__(self, state: ConsoleState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state

    def shown(self) -> None:
        """The tab came to the front."""
