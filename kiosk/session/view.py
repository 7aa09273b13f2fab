"""What the session runner needs from a screen: the UI-neutral port.

The runner (a worker thread) calls these methods; the Qt implementation (`ui/`) turns each
call into a signal for the widgets and, for the blocking ones (`confirm`, `staff_decision`,
`wait_signature`), waits on an event that the GUI thread sets. The headless implementation
(`HeadlessView`) confirms at once, as a patient applicant would, and stands in for staff only
where this environment cannot decide (see `HeadlessView.staff_decision`), so that `simulate`
runs the real flow without a screen. Nothing here is Qt.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.texts import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # devices.base needs numpy: the UI imports this module before its first paint
    from devices.base import Frame
    from kiosk.session.summary import CaseSummary

# Self-service intake: the card that proves presence before the case is looked up. The screen
# counts CARD_WAIT_S down and then gives up (back to the welcome screen); the session waits a
# little longer, so that the screen's cancel, not the session's timeout, ends an idle wait.
PLACE_CARD = QT_TRANSLATE_NOOP("kiosk", "请先将身份证放在读卡区")
CARD_READ = QT_TRANSLATE_NOOP("kiosk", "已读取身份证，正在查询案件，请稍候")
CARD_UNREADABLE = QT_TRANSLATE_NOOP("kiosk", "未能读取身份证，请取下身份证，正面朝上平放在读卡区，不要移动")
CARD_WAIT_S = 60


@dataclass(frozen=True)
class StaffDecision:
    action: str  # "retry" | "manual_pass" | "manual_fail" | "abort"
    staff_id: str
    reason: str


class SessionView(Protocol):
    speaks: bool  # True when guidance is played aloud (the recogniser then ignores that time)

    def session_event(self, event: dict[str, Any]) -> None:
        """Every audit event of the flow (state, party_id, step, kind…): step bar, staff console."""

    def show_step(self, party_label: str, step: str, title: str, body: str = "") -> None:
        """A new screen: `step` is card|intake|identity|notice|statement|qa|signing|review|result|message
        (`card`: waiting for the ID card before the case is looked up; `intake`: fetching the case)."""

    def show_review(self, summary: CaseSummary) -> None:
        """What the review shows before 确认提交: the case, the property, the parties and the
        documents as this party signed them (`kiosk.session.summary`)."""

    def answer_touched(self) -> str | None:
        """The 是 / 否 the applicant tapped for the question on screen ("yes" / "no"), None when
        none: kept beside the spoken answer and shown to the staff who confirm it."""

    def guidance(self, text: str, voice_key: str | None = None) -> None:
        """One short instruction line, large, also spoken (voice_key names a pre-rendered WAV)."""

    def attach_preview(self, poll: Callable[[], Frame | None] | None) -> None:
        """Give the screen a non-blocking source of preview frames (None detaches)."""

    def transcript(self, partial: str, matched_sentences: list[bool] | None = None) -> None:
        """Live ASR text while the applicant speaks."""

    def confirm(self, title: str, text: str, ok_label: str = QT_TRANSLATE_NOOP("kiosk", "确认"), cancel_label: str | None = None) -> bool:
        """Block until the applicant confirms (True) or cancels (False)."""

    def show_document(self, doc_id: str, title: str, pdf: bytes, page: int, rect: tuple[float, float, float, float]) -> None:
        """Show the document to be signed and where the signature will go."""

    def pen_points(self, points: list[tuple[float, float, float]]) -> None:
        """Ink as it arrives from a pad (x, y normalised, pressure), for the mirror on screen."""

    def listening(self, seconds_left: float, level_dbfs: float) -> bool:
        """While the applicant reads aloud or answers: the time left and the microphone level
        (for a countdown and a level meter). True when the applicant pressed 读完了 / 答完了."""

    def staff_decision(self, reason: str, options: list[str], cause: str = "") -> StaffDecision:
        """Escalation: block until staff choose retry / manual_pass / manual_fail / abort.
        `cause` says why in one word: no_speech_model, identity, device, attempts."""

    def result(self, ok: bool, text: str, qr_payload: str | None = None) -> None:
        """The end screen."""


# What a headless operator may decide: the checks this environment cannot make itself.
UNDECIDABLE_HERE = {"no_speech_model": QT_TRANSLATE_NOOP("kiosk", "本环境未安装中文语音模型，无法自动核对语音")}


class HeadlessView:
    """The screen of a headless run: confirms as a cooperative applicant would.

    Its operator (`staff_id`) decides an escalation only when the environment cannot make the
    check (`UNDECIDABLE_HERE`, e.g. no Chinese speech model): a manual pass, recorded as manual
    with that reason and written to `lines`. Any other escalation — a failed face match or
    liveness, a device fault — ends the session unless `staff_overrides` asks the operator to
    pass those by hand too. `decisions` lists every decision taken.
    """

    speaks = False

    def __init__(self, staff_id: str = "SIM-STAFF", on_event: Callable[[dict[str, Any]], None] | None = None,
                 *, staff_overrides: bool = False) -> None:
        self.staff_id = staff_id
        self.staff_overrides = staff_overrides
        # called once before the operator's first decision: `simulate` logs in on the platform
        # there, as a clerk called to the kiosk would (the decision then names that session)
        self.on_duty: Callable[[], object] | None = None
        self._on_duty_done = False
        self.lines: list[str] = []
        self.decisions: list[dict[str, str]] = []
        self.review: CaseSummary | None = None  # the last review shown
        self._on_event = on_event
        self._lock = threading.Lock()

    def _say(self, line: str) -> None:
        with self._lock:
            self.lines.append(line)

    def session_event(self, event: dict[str, Any]) -> None:
        if self._on_event:
            self._on_event(event)

    def show_step(self, party_label: str, step: str, title: str, body: str = "") -> None:
        self._say(f"[{party_label}] {step}: {title}")

    def guidance(self, text: str, voice_key: str | None = None) -> None:
        self._say(f"  > {text}")

    def show_review(self, summary: CaseSummary) -> None:
        self.review = summary
        you = summary.you
        self._say(f"  review {summary.case_no} {summary.business_type}: {len(summary.documents)} documents"
                  + (f" for {you.role} {you.name}" if you else ""))
        for d in summary.documents:
            self._say(f"    {d.title}: {d.note}")

    def answer_touched(self) -> str | None:
        return None

    def attach_preview(self, poll: Callable[[], Frame | None] | None) -> None:
        return None

    def transcript(self, partial: str, matched_sentences: list[bool] | None = None) -> None:
        return None

    def confirm(self, title: str, text: str, ok_label: str = QT_TRANSLATE_NOOP("kiosk", "确认"), cancel_label: str | None = None) -> bool:
        self._say(f"  [{ok_label}] {title}")
        return True

    def show_document(self, doc_id: str, title: str, pdf: bytes, page: int, rect: tuple[float, float, float, float]) -> None:
        self._say(f"  document {doc_id} page {page}")

    def pen_points(self, points: list[tuple[float, float, float]]) -> None:
        return None

    def listening(self, seconds_left: float, level_dbfs: float) -> bool:
        return False

    def staff_decision(self, reason: str, options: list[str], cause: str = "") -> StaffDecision:
        if self.on_duty is not None and not self._on_duty_done:
            self._on_duty_done = True
            self.on_duty()
        why = UNDECIDABLE_HERE.get(cause)
        if why is not None and "manual_pass" in options:
            decision = StaffDecision("manual_pass", self.staff_id, f"{why}，由 {self.staff_id} 代为确认：{reason}")
            self._say(f"  staff ({self.staff_id}, undecidable here): {reason} → manual pass ({why})")
        elif self.staff_overrides and "manual_pass" in options:
            decision = StaffDecision("manual_pass", self.staff_id, f"工作人员现场核实（--staff-overrides）：{reason}")
            self._say(f"  staff ({self.staff_id}, override asked for): {reason} → manual pass")
        else:
            decision = StaffDecision("abort", self.staff_id, f"需要工作人员处理（{cause or '未知'}）：{reason}")
            self._say(f"  staff ({self.staff_id}): {reason} → session ended (cause {cause or 'unknown'}; "
                      "--staff-overrides lets staff pass it by hand)")
        with self._lock:
            self.decisions.append({"cause": cause, "reason": reason, "action": decision.action})
        return decision

    def result(self, ok: bool, text: str, qr_payload: str | None = None) -> None:
        self._say(f"RESULT {'OK' if ok else 'FAIL'}: {text}")
