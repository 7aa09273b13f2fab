"""The applicant's window: step bar, the current page, the guidance line, the confirm bar and
the idle countdown, all driven by a `QtSessionView`.

Used full-screen in kiosk mode (with the welcome and case-entry pages: `intake=True`) and as
the customer screen in counter mode (the staff start the case: `intake=False`).

Pages are built when first used (`page(key)`, or the attribute of the same page): only the
first screen is built before the window's first paint; `build_all_pages()` builds the rest
one per event-loop turn once the window is up, so a session never waits for a page either.
`drop_pages()` forgets them between sessions (a new language: they are built again in it).

Signals:
    case_entered(str)        the applicant entered or scanned a 受理号 (kiosk mode)
    finished()               the applicant closed the result page
    staff_requested(int)     escalation: the applicant asked for staff (request id)
    pad_button(str)          the signing screen's 确认 / 重签 ("confirm" / "clear")
    touch_answer(str, str)   是 / 否 tapped on the question screen (question, "yes"/"no")
    card_cancelled()         取消 on the ID-card page, or its countdown ran out (kiosk mode)
    language_changed(str)    the welcome screen's 中文 / English button switched the UI language
"""
from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.session.view import StaffDecision
from ui import theme
from ui.kiosk.pages.base import Page
from ui.kiosk.records import PartyRecordOnScreen
from ui.session_bridge import QtSessionView
from ui.session_texts import plain_for_applicant
from ui.voice import Voice
from ui.widgets.countdown import CountdownBanner
from ui.widgets.step_bar import StepBar

if TYPE_CHECKING:
    from ui.kiosk.pages.busy import BusyPage
    from ui.kiosk.pages.card import CardPage
    from ui.kiosk.pages.case_entry import CaseEntryPage
    from ui.kiosk.pages.escalation import EscalationPage
    from ui.kiosk.pages.identity import IdentityPage
    from ui.kiosk.pages.message import MessagePage
    from ui.kiosk.pages.notice import NoticePage
    from ui.kiosk.pages.qa import QaPage
    from ui.kiosk.pages.result import ResultPage
    from ui.kiosk.pages.review import ReviewPage
    from ui.kiosk.pages.signing import SigningPage
    from ui.kiosk.pages.statement import StatementPage
    from ui.kiosk.pages.welcome import WelcomePage

log = logging.getLogger(__name__)

APPLICANT_SELF = "APPLICANT"

# screen key → (module, class); "intake" is the 受理号 keypad, "waiting" the counter's idle screen
PAGES: dict[str, tuple[str, str]] = {
    "welcome": ("ui.kiosk.pages.welcome", "WelcomePage"),
    "intake": ("ui.kiosk.pages.case_entry", "CaseEntryPage"),
    "busy": ("ui.kiosk.pages.busy", "BusyPage"),
    "card": ("ui.kiosk.pages.card", "CardPage"),  # self-service: the ID card before the lookup
    "identity": ("ui.kiosk.pages.identity", "IdentityPage"),
    "notice": ("ui.kiosk.pages.notice", "NoticePage"),
    "statement": ("ui.kiosk.pages.statement", "StatementPage"),
    "qa": ("ui.kiosk.pages.qa", "QaPage"),
    "signing": ("ui.kiosk.pages.signing", "SigningPage"),
    "review": ("ui.kiosk.pages.review", "ReviewPage"),
    "result": ("ui.kiosk.pages.result", "ResultPage"),
    "message": ("ui.kiosk.pages.message", "MessagePage"),
    "escalation": ("ui.kiosk.pages.escalation", "EscalationPage"),
    "waiting": ("ui.kiosk.pages.message", "MessagePage"),
}


class _CurrentPageStack(QStackedWidget):
    """A stack as small as the page on show, not as the largest page: screens of 800 px high
    must fit the page in use, whatever the other pages would need."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else QSize(0, 0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)


class ApplicantWindow(QWidget):
    case_entered = Signal(str)
    finished = Signal()
    staff_requested = Signal(int)
    pad_button = Signal(str)
    touch_answer = Signal(str, str)
    card_cancelled = Signal()
    language_changed = Signal(str)

    def __init__(self, view: QtSessionView, voice: Voice, *, intake: bool = True,
                 applicant_may_decide: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.voice = voice
        self.intake = intake
        self.applicant_may_decide = applicant_may_decide
        self.setObjectName("applicant")
        self._poll: Callable[[], Any] | None = None
        self._confirm_id: int | None = None
        self._staff_id: int | None = None
        self._staff_options: list[str] = []
        self.staff_reason = ""
        # what really happened in this session (from the flow's audit events), for the step bar,
        # the handover between parties and the result screen
        self.parties_seen: list[str] = []
        self.party_started = False
        self.case_no = ""
        self.records: dict[str, PartyRecordOnScreen] = {}
        self._party_id = ""

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 12, 24, 12)
        self.step_bar = StepBar()
        root.addWidget(self.step_bar)
        self.stack = _CurrentPageStack()
        root.addWidget(self.stack, 1)
        stack_layout = self.stack.layout()
        if stack_layout is not None:
            stack_layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.guidance_label = QLabel()
        self.guidance_label.setObjectName("guidance")
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.guidance_label)
        self.confirm_bar = QWidget()
        bar = QHBoxLayout(self.confirm_bar)
        self.confirm_text = QLabel()
        self.confirm_text.setWordWrap(True)
        self.confirm_text.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm_ok = QPushButton()
        self.confirm_cancel = QPushButton()
        self.confirm_cancel.setObjectName("secondary")
        self.confirm_ok.clicked.connect(lambda: self._answer_confirm(True))
        self.confirm_cancel.clicked.connect(lambda: self._answer_confirm(False))
        for b in (self.confirm_ok, self.confirm_cancel):
            # the style sheet's min-width would let the layout squeeze the label off the button
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        bar.addWidget(self.confirm_text, 1)
        bar.addWidget(self.confirm_cancel)
        bar.addWidget(self.confirm_ok)
        root.addWidget(self.confirm_bar)
        self.confirm_bar.hide()

        self._built: dict[str, Page] = {}
        self.countdown = CountdownBanner(self)
        # the staff paused the case (counter): the customer is told, over whatever screen is up
        self.pause_cover = QLabel(self.tr("工作人员已暂停办理，请稍候"), self)
        self.pause_cover.setObjectName("pause_cover")
        self.pause_cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pause_cover.setWordWrap(True)
        self.pause_cover.hide()

        view.step.connect(self.on_step)
        view.guidance_shown.connect(self.on_guidance)
        view.preview.connect(self.on_preview)
        view.transcript_changed.connect(self.on_transcript)
        view.confirm_requested.connect(self.on_confirm)
        view.document.connect(self._document_shown)
        view.reading_requested.connect(lambda rid, _doc: self.signing.ask_reading(rid))
        view.pen.connect(lambda points: self.signing.on_pen(points))
        view.staff_decision_requested.connect(self.on_staff_decision)
        view.result_shown.connect(self.on_result)
        view.audit_event.connect(self.on_event)
        view.listening_changed.connect(self.on_listening)
        view.review_shown.connect(lambda summary: self.review.show_summary(summary))
        view.request_closed.connect(self._request_closed)
        self.wipe()

    # ------------------------------------------------------------------ pages, built on first use
    def page(self, key: str) -> Page:
        """The page of screen `key`, built (and wired) the first time it is asked for."""
        page = self._built.get(key)
        if page is None:
            module, name = PAGES[key]
            page = getattr(importlib.import_module(module), name)()
            assert isinstance(page, Page)
            self._built[key] = page
            self.stack.addWidget(page)
            self._wire(key, page)
        return page

    def _wire(self, key: str, page: Any) -> None:
        if key == "welcome":
            page.start.connect(self.show_case_entry)
            page.language.connect(self.switch_language)
        elif key == "intake":
            page.back.connect(self.wipe)
            page.entered.connect(self._case_entered)
        elif key == "result":
            page.done.connect(self.finished)
        elif key == "escalation":
            page.retry.connect(lambda: self._answer_staff("retry"))
            page.stop.connect(lambda: self._answer_staff("abort"))
            page.staff.connect(lambda: self.staff_requested.emit(self._staff_id or 0))
        elif key == "signing":
            page.read.connect(lambda rid: self.view.answer(rid, True))
            page.pad_button.connect(self.pad_button)
        elif key == "qa":
            page.touched.connect(self.touch_answer)
            page.speaking.done.connect(self.view.finish_speaking)
        elif key == "statement":
            page.speaking.done.connect(self.view.finish_speaking)
        elif key == "card":
            page.cancelled.connect(self.card_cancelled)

    @property
    def pages(self) -> dict[str, Page]:
        """The pages built so far, by screen key."""
        return dict(self._built)

    def build_all_pages(self, *, then: Callable[[], None] | None = None) -> None:
        """Build the pages not built yet, one per event-loop turn (the GUI answers in between)."""
        missing = [key for key in PAGES if key not in self._built]
        if not missing:
            if then is not None:
                then()
            return
        self.page(missing[0])
        QTimer.singleShot(0, lambda: self.build_all_pages(then=then))

    def switch_language(self, language: str) -> None:
        """The welcome screen's language button: install the translation, and build the pages
        again in it (the welcome page at once). Every other window retranslates itself on the
        LanguageChange event the new translator sends."""
        from ui.app import switch_language

        if switch_language(language):
            self.drop_pages()
            self.language_changed.emit(language)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.pause_cover.setText(self.tr("工作人员已暂停办理，请稍候"))
        super().changeEvent(event)

    def drop_pages(self) -> None:
        """Forget every page (between sessions only); they are built again on next use, in
        the language installed by then."""
        for page in self._built.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self._built.clear()
        self.wipe()

    @property
    def welcome(self) -> WelcomePage:
        return self.page("welcome")  # type: ignore[return-value]

    @property
    def case_entry(self) -> CaseEntryPage:
        return self.page("intake")  # type: ignore[return-value]

    @property
    def busy(self) -> BusyPage:
        return self.page("busy")  # type: ignore[return-value]

    @property
    def card(self) -> CardPage:
        return self.page("card")  # type: ignore[return-value]

    @property
    def identity(self) -> IdentityPage:
        return self.page("identity")  # type: ignore[return-value]

    @property
    def notice(self) -> NoticePage:
        return self.page("notice")  # type: ignore[return-value]

    @property
    def statement(self) -> StatementPage:
        return self.page("statement")  # type: ignore[return-value]

    @property
    def qa(self) -> QaPage:
        return self.page("qa")  # type: ignore[return-value]

    @property
    def signing(self) -> SigningPage:
        return self.page("signing")  # type: ignore[return-value]

    @property
    def review(self) -> ReviewPage:
        return self.page("review")  # type: ignore[return-value]

    @property
    def result_page(self) -> ResultPage:
        return self.page("result")  # type: ignore[return-value]

    @property
    def message(self) -> MessagePage:
        return self.page("message")  # type: ignore[return-value]

    @property
    def escalation(self) -> EscalationPage:
        return self.page("escalation")  # type: ignore[return-value]

    @property
    def waiting(self) -> MessagePage:
        return self.page("waiting")  # type: ignore[return-value]

    # ------------------------------------------------------------------ navigation
    @property
    def current_key(self) -> str:
        page = self.stack.currentWidget()
        for key, p in self._built.items():
            if p is page:
                return key
        return ""

    def go(self, key: str, *, speak: bool = True) -> None:
        page = self.page(key)
        old = self.stack.currentWidget()
        keypad = self._built.get("intake")
        if old is not page and isinstance(old, Page) and old.camera is not None and old is not keypad:
            old.camera.clear()
        self.stack.setCurrentWidget(page)
        self.stack.updateGeometry()
        if page.camera is not None and self._poll is not None and page is not keypad:
            page.camera.attach(self._poll)
        in_session = key not in ("welcome", "intake", "busy", "card", "waiting")
        self.step_bar.setVisible(in_session)
        if speak:
            text = page.spoken_text()
            if text.strip():
                self.voice.say(text)

    def show_case_entry(self) -> None:
        self.case_entry.wipe()
        self.go("intake")

    def show_busy(self, text: str) -> None:
        self.guidance_label.hide()  # the last step's instruction does not belong to a wait
        self.busy.show_content(text, "")
        self.go("busy")

    def show_intake_problem(self, text: str) -> None:
        self.go("intake", speak=False)
        self.case_entry.set_problem(text)
        self.voice.say(text)

    def _case_entered(self, case_no: str) -> None:
        self.case_entered.emit(case_no)

    def wipe(self) -> None:
        """Forget the session: every page, the step bar, any open question; back to the start."""
        self._poll = None
        self._confirm_id = None
        self._staff_id = None
        self.parties_seen, self.party_started = [], False
        self.case_no, self.records, self._party_id = "", {}, ""
        for page in self._built.values():
            page.wipe()
        self.step_bar.reset()
        self.guidance_label.clear()
        self.guidance_label.hide()
        self.confirm_bar.hide()
        self.countdown.hide()
        self.pause_cover.hide()
        self.voice.stop()
        if self.intake:
            self.go("welcome")
        else:
            self.waiting.show_content(self.tr("欢迎办理不动产登记"), self.tr("请稍候，工作人员将为您开始办理"))
            self.go("waiting", speak=False)

    # ------------------------------------------------------------------ session → screen
    def on_step(self, party_label: str, step: str, title: str, body: str) -> None:
        self.countdown.hide()
        self.confirm_bar.hide()
        self.guidance_label.clear()
        self.guidance_label.hide()
        if step in ("card", "intake"):
            m = re.search(r"(\S+)$", body)
            self.case_no = m.group(1) if m else ""
        if party_label and self._party_id:
            self.records.setdefault(self._party_id, PartyRecordOnScreen()).label = party_label
        if party_label:
            if party_label not in self.parties_seen:
                self.parties_seen.append(party_label)
                if len(self.parties_seen) > 1:
                    self.identity.show_handover(len(self.parties_seen) - 1, party_label)
            self.step_bar.set_party(party_label)
        self.step_bar.set_step(step)
        # the session's "intake" and "result" steps are waits (fetching the case, sealing the package)
        key = {"intake": "busy", "result": "message"}.get(step, step)
        key = key if key in PAGES else "message"
        self.page(key).show_content(title, body)
        if key == "review" and self._party_id:
            self.review.show_party(self.case_no, self.records.get(self._party_id, PartyRecordOnScreen()))
        self.go(key)

    def on_listening(self, seconds_left: float, level_dbfs: float) -> None:
        """The session listens: level meter, time left and 读完了 on the page in front."""
        if self.current_key == "statement":
            self.statement.speaking.update_listening(seconds_left, level_dbfs)
        elif self.current_key == "qa":
            self.qa.speaking.update_listening(seconds_left, level_dbfs)

    def _document_shown(self, doc_id: str, title: str, pdf: bytes, page: int, rect: Any) -> None:
        self.signing.on_document(doc_id, title, pdf, page, rect)

    def on_event(self, event: dict[str, Any]) -> None:
        """The flow's audit events: the step bar ticks only what the flow says happened."""
        kind, step = event.get("kind"), str(event.get("step") or "")
        if event.get("party_id"):
            self._party_id = str(event["party_id"])
        if kind == "step_started":
            self.party_started = True
        elif kind == "step_result":
            outcome = event.get("outcome")
            record = self.records.setdefault(self._party_id, PartyRecordOnScreen())
            record.results[step] = (str(outcome), str(event.get("staff") or ""))
            if step == "identity":
                self.identity.end_handover()
            self.step_bar.mark(step, "done" if outcome in ("passed", "manual_pass") else "failed")
        elif kind == "step_skipped":
            self.step_bar.mark(step, "skipped")
        elif kind == "review_confirmed":
            self.step_bar.mark("review", "done")
        elif kind == "paused":
            self.pause_cover.setGeometry(self.rect())
            self.pause_cover.show()
            self.pause_cover.raise_()
            self.voice.say(self.pause_cover.text())
        elif kind in ("resumed", "aborted", "done"):
            self.pause_cover.hide()
        elif kind == "done":
            self.step_bar.mark("result", "done")

    def on_guidance(self, text: str, voice_key: str) -> None:
        text = plain_for_applicant(text)
        self.guidance_label.setText(text)
        # a question is already the page's headline, the card page has its own status line:
        # no second copy in the banner
        repeated = (self.current_key == "qa" and text.endswith(("？", "?"))) or self.current_key == "card"
        self.guidance_label.setVisible(bool(text) and not repeated)
        if self.current_key == "identity":
            self.identity.on_guidance(text, voice_key)
        elif self.current_key == "qa":
            self.qa.on_guidance(text, voice_key)
        elif self.current_key == "card":
            self.card.on_guidance(text)
        self.voice.say(text, voice_key)

    def on_preview(self, poll: Callable[[], Any] | None) -> None:
        self._poll = poll
        page = self.stack.currentWidget()
        if isinstance(page, Page) and page.camera is not None and page is not self._built.get("intake"):
            page.camera.attach(poll)
        self.identity.on_preview(poll is not None)

    def on_transcript(self, partial: str, matched: list[bool] | None) -> None:
        if self.current_key == "statement":
            self.statement.on_transcript(partial, matched)
        elif self.current_key == "qa":
            self.qa.on_transcript(partial, matched)

    def on_confirm(self, rid: int, title: str, text: str, ok_label: str, cancel_label: str) -> None:
        self._confirm_id = rid
        shown = {self.notice.body.toPlainText() if "notice" in self._built else "",
                 self.review.body.text() if "review" in self._built else ""}
        # the page already shows the title and the text: the bar only holds the buttons
        line = "" if text in shown and self.current_key in ("notice", "review") else \
            (title if not text or text in shown else f"{title}\n{text}")
        self.confirm_text.setText(line)
        self.confirm_ok.setText(ok_label or self.tr("确认"))
        self.confirm_cancel.setText(cancel_label)
        self.confirm_cancel.setVisible(bool(cancel_label))
        self.confirm_bar.show()
        if self.current_key in ("welcome", "intake", "busy", "waiting"):
            self.message.show_content(title, text)
            self.go("message", speak=False)
        self.voice.say(title)

    def _answer_confirm(self, ok: bool) -> None:
        if self._confirm_id is not None:
            self.view.answer_confirm(self._confirm_id, ok)
        self._confirm_id = None
        self.confirm_bar.hide()

    def on_staff_decision(self, rid: int, reason: str, options: list[str]) -> None:
        self._staff_id, self._staff_options = rid, list(options)
        self.staff_reason = reason  # the session's words, for the staff (the page has the applicant's)
        self.escalation.ask(reason, options, self.applicant_may_decide)
        self.guidance_label.hide()  # the page says it already, in the applicant's words
        self.go("escalation")

    def _answer_staff(self, action: str) -> None:
        if self._staff_id is None:
            return
        reason = {"retry": self.tr("申请人选择再试一次"), "abort": self.tr("申请人选择结束办理")}[action]
        self.view.answer_staff(self._staff_id, StaffDecision(action, APPLICANT_SELF, reason))
        self._staff_id = None

    def _request_closed(self, rid: int) -> None:
        if rid == self._confirm_id:
            self._confirm_id = None
            self.confirm_bar.hide()
        if rid == self._staff_id:
            self._staff_id = None
            if self.current_key == "escalation":
                # answered (here or at the counter): never leave the question on screen
                self.show_busy(self.tr("请稍候…"))

    def on_result(self, ok: bool, text: str, qr_payload: str) -> None:
        self.countdown.hide()
        self.confirm_bar.hide()
        self.guidance_label.hide()
        if not ok and not self.party_started and self.intake:
            # nothing was done yet (a wrong 受理号, the platform unreachable): back to the keypad
            # with the reason beside it, not a result screen of a case that never started
            self.show_intake_problem(_without_card_line(text))
            return
        self.step_bar.set_step("result")
        # "take your card" only once a card was asked for
        card = self.party_started or ok
        # the card line stands in its own banner below, not twice
        self.result_page.show_result(ok, _without_card_line(text), qr_payload, card=card,
                                     case_no=self.case_no)
        self.go("result")

    # ------------------------------------------------------------------ idle countdown
    def show_countdown(self, seconds: float | None) -> None:
        if seconds is None:
            self.countdown.hide()
        else:
            self.countdown.show_seconds(seconds)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        if self.countdown.isVisible():
            self.countdown.setGeometry(self.rect())
        if self.pause_cover.isVisible():
            self.pause_cover.setGeometry(self.rect())
        super().resizeEvent(event)

    def applicant_font_pt(self) -> int:
        return theme.body_pt(self.font().pointSize())


def _without_card_line(text: str) -> str:
    """The session's result text without "请取走身份证" (no card was read in this session)."""
    for line in ("请取走身份证。", "请取走身份证", "Please take your ID card."):
        text = text.replace(line, "")
    return text.strip()
