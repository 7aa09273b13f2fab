"""Owns the running session: the kiosk context, the runner on its worker, and the idle clock.

One object per app, shared by the kiosk shell and the staff console, so that starting,
cancelling and timing out a session happen in one place. The runner runs through
`ui.workers` (the one way to run background work); the GUI thread only reads the flow's idle
clock (`idle_remaining`, a read) and calls `runner.cancel()`, which the runner honours at its
next check; `QtSessionView.release_all()` wakes it if it waits for a person.

Signals:
    ready()                  the context (devices, platform, keys) is built
    problem(str)             something a person must act on (plain text)
    started(str)             a session started (case number)
    ended(object)            the session ended (`SessionOutcome` or None); the view is wiped by listeners
    countdown(object)        seconds left of the idle countdown, or None when hidden
    timed_out()              the idle timeout ended the session
"""
from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.screen_pad import ScreenButtonsPad
from ui.session_bridge import QtSessionView
from ui.workers import Worker, error_text, run_in_background

log = logging.getLogger(__name__)

_NO_IDLE_STATES = {"intake", "paused", "submitting", "done", "aborted"}


class SessionControl(QObject):
    ready = Signal()
    problem = Signal(str)
    started = Signal(str)
    ended = Signal(object)
    countdown = Signal(object)
    timed_out = Signal()

    def __init__(self, view: QtSessionView, context_factory: Callable[[], Any], *,
                 runner_factory: Callable[[Any, QtSessionView, str], Any] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._context_factory = context_factory
        self._runner_factory = runner_factory or _default_runner
        self.ctx: Any = None
        self.runner: Any = None
        self.worker: Worker | None = None
        self.staff_id = ""
        self._queued: str | None = None
        self._idle = QTimer(self)
        self._idle.setInterval(250)
        self._idle.timeout.connect(self._check_idle)
        self._counting = False

    # ------------------------------------------------------------------ context
    def prepare(self) -> None:
        """Build the context in the background (platform start, enrolment, devices)."""
        def built(ctx: Any) -> None:
            pad_owner = getattr(getattr(ctx, "devices", None), "signpad", None)
            if pad_owner is not None and not isinstance(pad_owner.device, ScreenButtonsPad):
                # the signing screen's 确认 / 重签 act as the pad's own buttons, inside its owner
                ctx.signpad = pad_owner.wrap(ScreenButtonsPad)
            self.ctx = ctx
            self.ready.emit()
            if self._queued:
                case_no, self._queued = self._queued, None
                self.start(case_no)

        def build() -> Any:
            ctx = self._context_factory()
            # the runner's module pulls in the evidence, signing and recording stacks: importing
            # it here keeps that second-long import off the GUI thread when the first session starts
            if self._runner_factory is _default_runner:
                import kiosk.session.runner  # noqa: F401
                import kiosk.speech  # noqa: F401
                from kiosk.identity.faces import preload_models

                # dlib holds the GIL for most of a second while it loads its models: do it now,
                # not while the applicant watches the live preview
                preload_models()
                freeze_long_lived_objects()
            return ctx

        run_in_background(build, on_result=built,
                          on_error=lambda exc: self.problem.emit(error_text(exc)), name="context")

    def close(self) -> None:
        self.cancel("app_closed")
        if self.worker is not None:
            self.worker.wait(10)
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None

    # ------------------------------------------------------------------ sessions
    @property
    def busy(self) -> bool:
        return self.worker is not None

    @property
    def flow(self) -> Any:
        return getattr(self.runner, "flow", None)

    def start(self, case_no: str) -> None:
        """Start a session for `case_no`, or queue it while the context or a previous session is busy."""
        if self.ctx is None or self.worker is not None:
            self._queued = case_no
            return
        self.view.reopen()
        self.runner = self._runner_factory(self.ctx, self.view, self.staff_id)
        runner = self.runner
        self.worker = run_in_background(runner.run, case_no, on_result=self._finished,
                                        on_error=self._failed, name="session")
        self._idle.start()
        self.started.emit(case_no)

    def cancel(self, reason: str = "cancelled") -> None:
        """End the running session now: the screen is wiped by `ended` listeners at once."""
        self._queued = None
        if self.runner is not None and self.worker is not None:
            self.runner.cancel(reason)
        self.view.release_all()
        self._set_countdown(None)

    def press_pad(self, button: str) -> bool:
        """The signing screen's 确认 ("confirm") / 重签 ("clear"), as if pressed on the pad."""
        from devices.base import PadEvent

        pad = getattr(self.ctx, "signpad", None)
        if not isinstance(pad, ScreenButtonsPad):
            return False
        return pad.press(PadEvent.CONFIRM if button == "confirm" else PadEvent.CLEAR)

    def record_touch_answer(self, question: str, answer: str) -> None:
        """是 / 否 tapped on screen: an audit event of the session, beside the spoken answer (the
        flow's audit goes into the evidence package; the write runs off the GUI thread)."""
        flow = self.flow
        audit = getattr(flow, "audit", None)
        if flow is None or audit is None or self.worker is None:
            return
        self.view.touched(answer)  # the step keeps it with the answer and shows it to the staff
        run_in_background(audit.append, "touch_answer", party_id=getattr(flow, "party_id", "") or "",
                          step="qa", question=question, answer=answer, name="touch-answer")
        self.touch()

    def touch(self) -> None:
        """The person did something (touch, key, pen): restart the idle clock."""
        flow = self.flow
        if flow is not None and self.worker is not None:
            flow.touch()
        if self._counting:
            self._set_countdown(None)

    def _finished(self, outcome: Any) -> None:
        self._done(outcome)

    def _failed(self, exc: BaseException) -> None:
        # the screen is wiped first (`ended`), then the message shown on the clean screen
        self._done(None)
        self.problem.emit(error_text(exc))

    def _done(self, outcome: Any) -> None:
        self.worker = None
        self._idle.stop()
        self._set_countdown(None)
        self.ended.emit(outcome)
        if self._queued:
            case_no, self._queued = self._queued, None
            self.start(case_no)

    # ------------------------------------------------------------------ idle clock
    def _check_idle(self) -> None:
        flow = self.flow
        if flow is None or self.worker is None:
            return
        state = getattr(flow.state, "value", str(flow.state))
        if state in _NO_IDLE_STATES:
            self._set_countdown(None)
            return
        remaining = float(flow.idle_remaining())
        if remaining <= 0:
            log.info("idle timeout: session cancelled")
            self.cancel("idle_timeout")
            self.timed_out.emit()
        elif remaining <= float(flow.idle_countdown_s):
            self._set_countdown(remaining)
        else:
            self._set_countdown(None)

    def _set_countdown(self, seconds: float | None) -> None:
        if seconds is None and not self._counting:
            return
        self._counting = seconds is not None
        self.countdown.emit(seconds)


_FROZEN = threading.Event()


def freeze_long_lived_objects() -> None:
    """Once per process, when the kiosk is ready: collect, then move every object alive now
    (modules, models, the context, Qt wrappers — some 400,000) out of the garbage collector's
    sight (`gc.freeze`). A full collection walks every tracked object while holding the GIL:
    over the whole heap that took 60–110 ms, run by whichever thread allocated at the time (the
    session's, mid-signing), and the GUI waited for it. Afterwards a full collection walks only
    what was made since. Frozen objects are still freed by reference counting."""
    if _FROZEN.is_set():
        return
    _FROZEN.set()
    gc.collect()
    gc.freeze()


def _default_runner(ctx: Any, view: QtSessionView, staff_id: str) -> Any:
    from kiosk.session.runner import SessionRunner

    # demo: the simulated people see the screen through `attend` and act on the simulated devices
    seen = ctx.applicant.attend(view) if getattr(ctx, "applicant", None) is not None else view
    return SessionRunner(ctx, seen, staff_id=staff_id)
