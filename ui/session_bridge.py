"""`QtSessionView`: the session runner's port (`kiosk.session.view.SessionView`) for Qt.

The runner calls these methods on its worker thread. Each call is posted through a private
queued relay to the GUI thread, where the public signals are emitted in call order, so widgets
only ever run on the GUI thread and never see a screen update overtake the one before it.
The blocking calls (`confirm`, `staff_decision`, `show_document`, `wait_signature`) post a
request and wait on
a `threading.Event` that the GUI sets through `answer_*`; `release_all` (idle timeout, staff
abort, window closed) wakes every waiter with the cautious answer so no worker stays stuck.

Signals (GUI thread):
    audit_event(dict)                            every audit event of the flow
    step(str, str, str, str)                     party_label, step, title, body
    guidance_shown(str, str)                     text, voice_key ("" when none)
    preview(object)                              poll callable or None
    transcript_changed(str, object)              partial text, list[bool] | None
    confirm_requested(int, str, str, str, str)   request id, title, text, ok label, cancel label ("" = none)
    document(str, str, bytes, int, object)       doc_id, title, pdf bytes, page, rect
    reading_requested(int, str)                  request id, doc_id: wait until every page was read
    pen(object)                                  list of (x, y, pressure)
    staff_decision_requested(int, str, object)   request id, reason, options
    signature_requested(int, str)                request id, doc_id
    result_shown(bool, str, str)                 ok, text, qr payload ("" = none)
    listening_changed(float, float)              seconds left, microphone level (dBFS) while listening
    review_shown(object)                         the review's `kiosk.session.summary.CaseSummary`
    activity()                                   the applicant did something the runner saw
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.session.view import StaffDecision
from ui.kiosk_texts import kiosk_text

if TYPE_CHECKING:  # devices.base needs numpy: not before the first paint
    from devices.base import Frame
    from kiosk.session.summary import CaseSummary


def _t(text: str) -> str:
    """A session text in the UI language (`ui.kiosk_texts`); names and numbers stay as sent."""
    return kiosk_text(text)


@dataclass
class _Pending:
    kind: str
    fallback: Any
    event: threading.Event = field(default_factory=threading.Event)
    answer: Any = None


class QtSessionView(QObject):
    audit_event = Signal(dict)
    step = Signal(str, str, str, str)
    guidance_shown = Signal(str, str)
    preview = Signal(object)
    transcript_changed = Signal(str, object)
    confirm_requested = Signal(int, str, str, str, str)
    document = Signal(str, str, object, int, object)
    reading_requested = Signal(int, str)
    pen = Signal(object)
    staff_decision_requested = Signal(int, str, object)
    signature_requested = Signal(int, str)
    result_shown = Signal(bool, str, str)
    listening_changed = Signal(float, float)
    review_shown = Signal(object)
    activity = Signal()
    request_closed = Signal(int)
    _relay = Signal(str, tuple)

    def __init__(self, parent: QObject | None = None, *, speaks: bool = False) -> None:
        super().__init__(parent)
        # guidance is played aloud: the runner then keeps the recogniser off the kiosk's own voice
        self.speaks = speaks
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._released = False
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._done_speaking = threading.Event()
        self._touched: str | None = None  # 是 / 否 tapped on the question on screen

    # ------------------------------------------------------------------ SessionView (worker thread)
    def session_event(self, event: dict[str, Any]) -> None:
        self._relay.emit("event", (dict(event),))

    def show_step(self, party_label: str, step: str, title: str, body: str = "") -> None:
        self._done_speaking.clear()  # a 读完了 belongs to the screen it was pressed on
        with self._lock:
            self._touched = None  # and a 是 / 否 to its question
        self._relay.emit("step", (_t(party_label), step, _t(title), _t(body)))

    def show_review(self, summary: CaseSummary) -> None:
        self._relay.emit("review", (summary,))

    def answer_touched(self) -> str | None:
        with self._lock:
            return self._touched

    def guidance(self, text: str, voice_key: str | None = None) -> None:
        self._relay.emit("guidance", (_t(text), voice_key or ""))

    def attach_preview(self, poll: Callable[[], Frame | None] | None) -> None:
        self._relay.emit("preview", (poll,))

    def transcript(self, partial: str, matched_sentences: list[bool] | None = None) -> None:
        self._relay.emit("transcript", (partial, list(matched_sentences) if matched_sentences is not None else None))

    def confirm(self, title: str, text: str, ok_label: str = "确认", cancel_label: str | None = None) -> bool:
        rid, pending = self._open("confirm", False)
        self._relay.emit("confirm_requested", (rid, _t(title), _t(text), _t(ok_label), _t(cancel_label or "")))
        return bool(self._wait(rid, pending))

    def show_document(self, doc_id: str, title: str, pdf: bytes, page: int,
                      rect: tuple[float, float, float, float]) -> None:
        """Show the document and return once the applicant has read every page of it (the
        signature is taken only after that); released sessions return at once."""
        rid, pending = self._open("reading", False)
        self._relay.emit("document", (doc_id, title, bytes(pdf), int(page), tuple(rect)))
        self._relay.emit("reading_requested", (rid, doc_id))
        self._wait(rid, pending)

    def pen_points(self, points: list[tuple[float, float, float]]) -> None:
        self._relay.emit("pen", (list(points),))

    def staff_decision(self, reason: str, options: list[str], cause: str = "") -> StaffDecision:
        rid, pending = self._open("staff", StaffDecision("abort", "", "无人处理，会话结束"))
        self._relay.emit("staff_decision_requested", (rid, _t(reason), list(options)))
        answer = self._wait(rid, pending)
        assert isinstance(answer, StaffDecision)
        return answer

    def wait_signature(self, doc_id: str) -> Any:
        """Block until the applicant signed on screen (the pen-display path); None when released."""
        rid, pending = self._open("signature", None)
        self._relay.emit("signature_requested", (rid, doc_id))
        return self._wait(rid, pending)

    def listening(self, seconds_left: float, level_dbfs: float) -> bool:
        self._relay.emit("listening", (float(seconds_left), float(level_dbfs)))
        if self._done_speaking.is_set():
            self._done_speaking.clear()
            return True
        return False

    def finish_speaking(self) -> None:
        """GUI: the applicant pressed 读完了 / 答完了."""
        self._done_speaking.set()

    def touched(self, answer: str) -> None:
        """GUI: the applicant tapped 是 ("yes") / 否 ("no") on the question on screen."""
        with self._lock:
            self._touched = answer

    def result(self, ok: bool, text: str, qr_payload: str | None = None) -> None:
        self._relay.emit("result", (bool(ok), _t(text), qr_payload or ""))

    # ------------------------------------------------------------------ GUI side
    def answer(self, request_id: int, value: Any) -> bool:
        """Answer a blocking request (GUI thread). False when it was already answered or released."""
        with self._lock:
            pending = self._pending.pop(request_id, None)
        if pending is None:
            return False
        pending.answer = value
        pending.event.set()
        self.request_closed.emit(request_id)
        return True

    def answer_confirm(self, request_id: int, ok: bool) -> bool:
        return self.answer(request_id, bool(ok))

    def answer_staff(self, request_id: int, decision: StaffDecision) -> bool:
        return self.answer(request_id, decision)

    def pending_requests(self) -> list[tuple[int, str]]:
        with self._lock:
            return [(rid, p.kind) for rid, p in self._pending.items()]

    def release_all(self) -> None:
        """Wake every waiting runner call with its cautious answer; later calls return at once."""
        with self._lock:
            self._released = True
            pending, self._pending = self._pending, {}
        for rid, p in pending.items():
            p.answer = p.fallback
            p.event.set()
            self.request_closed.emit(rid)

    def reopen(self) -> None:
        """Accept blocking requests again (a new session on the same view)."""
        with self._lock:
            self._released = False

    # ------------------------------------------------------------------ internals
    def _open(self, kind: str, fallback: Any) -> tuple[int, _Pending]:
        pending = _Pending(kind, fallback)
        with self._lock:
            rid = next(self._ids)
            if self._released:
                pending.answer = fallback
                pending.event.set()
            else:
                self._pending[rid] = pending
        return rid, pending

    def _wait(self, rid: int, pending: _Pending) -> Any:
        pending.event.wait()
        return pending.answer

    @Slot(str, tuple)
    def _deliver(self, kind: str, args: tuple) -> None:
        if kind != "event" and self._released:
            return  # a cancelled session unwinding: nothing of it may reach the screen again
        if kind == "event":
            self.audit_event.emit(*args)
        elif kind == "step":
            self.step.emit(*args)
        elif kind == "guidance":
            self.guidance_shown.emit(*args)
        elif kind == "preview":
            self.preview.emit(*args)
        elif kind == "transcript":
            self.activity.emit()
            self.transcript_changed.emit(*args)
        elif kind == "confirm_requested":
            if self._still_open(args[0]):
                self.confirm_requested.emit(*args)
        elif kind == "document":
            self.document.emit(*args)
        elif kind == "pen":
            self.activity.emit()
            self.pen.emit(*args)
        elif kind == "staff_decision_requested":
            if self._still_open(args[0]):
                self.staff_decision_requested.emit(*args)
        elif kind == "reading_requested":
            if self._still_open(args[0]):
                self.reading_requested.emit(*args)
        elif kind == "signature_requested":
            if self._still_open(args[0]):
                self.signature_requested.emit(*args)
        elif kind == "result":
            self.result_shown.emit(*args)
        elif kind == "listening":
            self.listening_changed.emit(*args)
        elif kind == "review":
            self.review_shown.emit(*args)

    def _still_open(self, rid: int) -> bool:
        with self._lock:
            return rid in self._pending
