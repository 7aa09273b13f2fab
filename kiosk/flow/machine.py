"""The session flow: intake → for each party (identity → notice → statement → Q&A → signing)
→ review → submit → done, with abort, idle timeout, retries, escalation and manual decisions.

A plain state machine: methods are the events; an event that is not legal in the current state
raises `IllegalTransition` and changes nothing. Every transition appends an audit event. A
manual decision is recorded as manual (`Outcome.MANUAL_PASS` / `MANUAL_FAIL`) with the staff id
and the reason, never as an automatic pass. The clock is injected so timeouts are tested
without sleeping.
"""
from __future__ import annotations

import enum
import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.audit import AuditLog
from kiosk.model import Case
from kiosk.texts import QT_TRANSLATE_NOOP


class Step(str, enum.Enum):
    IDENTITY = "identity"
    NOTICE = "notice"
    STATEMENT = "statement"
    QA = "qa"
    SIGNING = "signing"


PARTY_STEPS: tuple[Step, ...] = (Step.IDENTITY, Step.NOTICE, Step.STATEMENT, Step.QA, Step.SIGNING)

STEP_LABELS = {Step.IDENTITY: QT_TRANSLATE_NOOP("kiosk", "身份核验"), Step.NOTICE: QT_TRANSLATE_NOOP("kiosk", "告知"), Step.STATEMENT: QT_TRANSLATE_NOOP("kiosk", "陈述"),
               Step.QA: QT_TRANSLATE_NOOP("kiosk", "问答"), Step.SIGNING: QT_TRANSLATE_NOOP("kiosk", "签字")}


class State(str, enum.Enum):
    INTAKE = "intake"
    PARTY_STEP = "party_step"
    ESCALATED = "escalated"  # waiting for staff: retry or manual decision
    PAUSED = "paused"
    REVIEW = "review"
    SUBMITTING = "submitting"
    DONE = "done"
    ABORTED = "aborted"


TERMINAL = frozenset({State.DONE, State.ABORTED})


class Outcome(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    MANUAL_PASS = "manual_pass"
    MANUAL_FAIL = "manual_fail"
    SKIPPED = "skipped"


class IllegalTransition(Exception):
    """An event that the current state does not allow; nothing changed."""


@dataclass
class StepResult:
    party_id: str
    step: Step
    outcome: Outcome
    attempts: int
    detail: dict[str, Any] = field(default_factory=dict)
    manual: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"party_id": self.party_id, "step": self.step.value, "outcome": self.outcome.value,
                "attempts": self.attempts, "detail": self.detail, "manual": self.manual}


# the step whose `attempts` counts its `attempt` events of this kind (not its flow-level tries)
COUNTED_TRIES = {Step.IDENTITY: "face_match"}

DEFAULT_RETRY_LIMITS = {Step.IDENTITY: 3, Step.NOTICE: 3, Step.STATEMENT: 3, Step.QA: 3, Step.SIGNING: 5}

Listener = Callable[["SessionFlow", dict[str, Any]], None]


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    """Events come from the session's worker thread and from staff on the GUI thread."""

    @functools.wraps(method)
    def wrapper(self: SessionFlow, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class SessionFlow:
    def __init__(self, *, audit: AuditLog | None = None, retry_limits: dict[Step, int] | None = None,
                 idle_timeout_s: float = 120.0, idle_countdown_s: float = 15.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.audit = audit or AuditLog()
        self.retry_limits = {**DEFAULT_RETRY_LIMITS, **(retry_limits or {})}
        self.idle_timeout_s = idle_timeout_s
        self.idle_countdown_s = idle_countdown_s
        self._clock = clock
        self._last_activity = clock()
        self.state = State.INTAKE
        self.case: Case | None = None
        self.party_index = 0
        self.step_index = 0
        self.attempts = 0
        self.tries: dict[str, int] = {}  # `attempt` events of the current step, by kind
        self.results: list[StepResult] = []
        self.abort_reason = ""
        self._paused_from: State | None = None
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()

    # ----------------------------------------------------------------- queries
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    @property
    def party_id(self) -> str | None:
        if self.case is None or self.state not in (State.PARTY_STEP, State.ESCALATED, State.PAUSED):
            return None
        return self.case.parties[self.party_index].party_id

    @property
    def step(self) -> Step | None:
        if self.party_id is None:
            return None
        return PARTY_STEPS[self.step_index]

    def results_for(self, party_id: str) -> list[StepResult]:
        return [r for r in self.results if r.party_id == party_id]

    @property
    def has_manual_decisions(self) -> bool:
        return any(r.manual for r in self.results)

    def progress(self) -> tuple[int, int]:
        """(done, total) party steps, for a step bar."""
        total = len(self.case.parties) * len(PARTY_STEPS) if self.case else 0
        return len(self.results), total

    # ----------------------------------------------------------------- events
    @_locked
    def load_case(self, case: Case) -> None:
        self._require(State.INTAKE)
        self.case = case
        self._emit("case_loaded", case_no=case.case_no, business_type=case.business_type.value,
                   parties=len(case.parties), documents=len(case.documents))
        self.state = State.PARTY_STEP
        self.party_index, self.step_index, self.attempts = 0, 0, 0
        self.tries = {}
        self._enter_step()

    @_locked
    def step_passed(self, detail: dict[str, Any] | None = None) -> None:
        self._require(State.PARTY_STEP)
        self._record(Outcome.PASSED, detail or {})
        self._advance()

    @_locked
    def step_failed(self, reason: str, detail: dict[str, Any] | None = None) -> bool:
        """Count a failed attempt. Returns True when another attempt is allowed; otherwise the
        session is escalated to staff (state ESCALATED)."""
        self._require(State.PARTY_STEP)
        self.attempts += 1
        step = self._current_step()
        limit = self.retry_limits[step]
        self._emit("step_failed", reason=reason, attempt=self.attempts, limit=limit, **_flat(detail))
        if self.attempts >= limit:
            self.state = State.ESCALATED
            self._emit("escalated", reason=f"{step.value}: attempts exhausted")
            return False
        return True

    @_locked
    def attempt(self, what: str, passed: bool, **detail: Any) -> None:
        """One try inside the current step (a face match, a liveness action) as an audit event
        `attempt`. The identity step's result counts its face matches as its `attempts`, so the
        manifest, the report and the audit give one number."""
        self._require(State.PARTY_STEP, State.PAUSED)
        self.tries[what] = self.tries.get(what, 0) + 1
        self._emit("attempt", what=what, passed=passed, try_no=self.tries[what], **_flat(detail))

    @_locked
    def escalate(self, reason: str) -> None:
        self._require(State.PARTY_STEP)
        self.state = State.ESCALATED
        self._emit("escalated", reason=reason)

    @_locked
    def staff_retry(self, staff_id: str, reason: str) -> None:
        """Staff grant a fresh set of attempts for the current step."""
        self._require(State.ESCALATED, State.PARTY_STEP)
        _need_reason(reason)
        self.attempts = 0
        self.state = State.PARTY_STEP
        self._emit("staff_retry", staff=staff_id, reason=reason)

    @_locked
    def manual_decision(self, passed: bool, staff_id: str, reason: str,
                        detail: dict[str, Any] | None = None, *, staff_session: str = "") -> None:
        """Staff decide the current step by hand. Recorded as manual, never as automatic, with
        the platform staff session (`staff_login`'s `session_id`) it was made under, which the
        platform checks at `complete`."""
        self._require(State.ESCALATED, State.PARTY_STEP)
        _need_reason(reason)
        if not staff_id:
            raise IllegalTransition(QT_TRANSLATE_NOOP("kiosk", "人工判定必须记录工作人员"))
        outcome = Outcome.MANUAL_PASS if passed else Outcome.MANUAL_FAIL
        self.state = State.PARTY_STEP
        manual = {"staff": staff_id, "reason": reason, **({"staff_session": staff_session} if staff_session else {})}
        self._record(outcome, detail or {}, manual=manual)
        if passed:
            self._advance()
        else:
            self.abort(f"manual_fail: {self._current_step().value}")

    @_locked
    def manual_answer(self, question: int, passed: bool | None, staff_id: str, reason: str, *,
                      staff_session: str = "") -> None:
        """Staff confirmed (True), rejected (False) or asked again (None) one answer of the
        current step by hand: its own audit event `manual_answer` with the question number
        (1-based), the staff number and the time, before the step's own result."""
        self._require(State.PARTY_STEP, State.ESCALATED)
        _need_reason(reason)
        if not staff_id:
            raise IllegalTransition(QT_TRANSLATE_NOOP("kiosk", "人工判定必须记录工作人员"))
        outcome = "retry" if passed is None else (Outcome.MANUAL_PASS if passed else Outcome.MANUAL_FAIL).value
        self._emit("manual_answer", question=int(question), outcome=outcome, manual=True, staff=staff_id,
                   reason=reason, **({"staff_session": staff_session} if staff_session else {}))

    @_locked
    def pause(self, by: str = "staff") -> None:
        self._require(State.PARTY_STEP, State.ESCALATED, State.REVIEW)
        self._paused_from = self.state
        self.state = State.PAUSED
        self._emit("paused", by=by)

    @_locked
    def resume(self, by: str = "staff") -> None:
        self._require(State.PAUSED)
        assert self._paused_from is not None
        self.state, self._paused_from = self._paused_from, None
        self.touch()
        self._emit("resumed", by=by)

    @_locked
    def review_confirmed(self) -> None:
        self._require(State.REVIEW)
        self.state = State.SUBMITTING
        self._emit("review_confirmed")

    @_locked
    def submitted(self, *, queued: bool, package_id: str) -> None:
        """Evidence is in the durable outbox (`queued`) or already receipted by the platform."""
        self._require(State.SUBMITTING)
        self.state = State.DONE
        self._emit("done", package_id=package_id, uploaded=not queued)

    @_locked
    def abort(self, reason: str) -> None:
        if self.state in TERMINAL:
            raise IllegalTransition(f"session already {self.state.value}")
        self.abort_reason = reason
        self.state = State.ABORTED
        self._emit("aborted", reason=reason)

    # ----------------------------------------------------------------- idle timeout
    def touch(self) -> None:
        """The person did something: restart the idle clock."""
        self._last_activity = self._clock()

    def idle_remaining(self) -> float:
        return self.idle_timeout_s - (self._clock() - self._last_activity)

    @_locked
    def tick(self) -> float | None:
        """Call periodically. Returns the countdown seconds left once inside the countdown window,
        None otherwise; aborts the session (reason idle_timeout) when the time is up."""
        if self.state in TERMINAL or self.state in (State.PAUSED, State.SUBMITTING):
            return None
        remaining = self.idle_remaining()
        if remaining <= 0:
            self.abort("idle_timeout")
            return 0.0
        return remaining if remaining <= self.idle_countdown_s else None

    # ----------------------------------------------------------------- internals
    def _require(self, *states: State) -> None:
        if self.state not in states:
            allowed = "/".join(s.value for s in states)
            raise IllegalTransition(f"not allowed in state {self.state.value} (needs {allowed})")

    def _current_step(self) -> Step:
        return PARTY_STEPS[self.step_index]

    def _record(self, outcome: Outcome, detail: dict[str, Any], manual: dict[str, str] | None = None) -> None:
        assert self.case is not None
        party = self.case.parties[self.party_index]
        step = self._current_step()
        counted = self.tries.get(COUNTED_TRIES.get(step, ""), 0)
        attempts = counted or self.attempts + (outcome is Outcome.PASSED)
        result = StepResult(party.party_id, step, outcome, attempts, detail, manual)
        self.results.append(result)
        self._emit("step_result", outcome=outcome.value, attempts=result.attempts,
                   manual=bool(manual), staff=(manual or {}).get("staff", ""),
                   reason=(manual or {}).get("reason", ""),
                   **({"staff_session": manual["staff_session"]} if manual and manual.get("staff_session") else {}),
                   **_flat(detail))

    def _advance(self) -> None:
        self.attempts = 0
        self.tries = {}
        if self._move_on():
            self._enter_step()

    def _move_on(self) -> bool:
        """Point at the next party step; False (and state REVIEW) when every party is through."""
        assert self.case is not None
        self.step_index += 1
        if self.step_index >= len(PARTY_STEPS):
            self.step_index = 0
            self.party_index += 1
            if self.party_index >= len(self.case.parties):
                self.state = State.REVIEW
                self._emit("review")
                return False
        return True

    def _enter_step(self) -> None:
        """Enter the current step, skipping steps that have nothing to do for this party."""
        assert self.case is not None
        while True:
            party = self.case.parties[self.party_index]
            step = self._current_step()
            script = self.case.script_for(party.party_id)
            skip = ((step in (Step.NOTICE, Step.STATEMENT) and script is None)
                    or (step is Step.QA and (script is None or not script.questions))
                    or (step is Step.SIGNING and not self.case.anchors_for(party.party_id)))
            if not skip:
                self.touch()
                self._emit("step_started")
                return
            self.results.append(StepResult(party.party_id, step, Outcome.SKIPPED, 0, {"why": "nothing to do"}))
            self._emit("step_skipped")
            if not self._move_on():
                return

    def _emit(self, kind: str, **fields: Any) -> None:
        where: dict[str, Any] = {"state": self.state.value}
        if self.case is not None and self.state in (State.PARTY_STEP, State.ESCALATED, State.PAUSED):
            where["party_id"] = self.case.parties[self.party_index].party_id
            where["step"] = PARTY_STEPS[self.step_index].value
        event = self.audit.append(kind, **where, **fields)
        for listener in list(self._listeners):
            listener(self, event)


def _need_reason(reason: str) -> None:
    if not reason or len(reason.strip()) < 2:
        raise IllegalTransition(QT_TRANSLATE_NOOP("kiosk", "人工操作必须填写原因"))


def _flat(detail: dict[str, Any] | None) -> dict[str, Any]:
    """Only scalar details go into the audit event; structured evidence goes to the package."""
    return {k: v for k, v in (detail or {}).items() if isinstance(v, (str, int, float, bool)) and k not in
            ("kind", "seq", "ts", "prev", "hash", "state", "party_id", "step")}
