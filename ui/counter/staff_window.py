"""Counter mode: the staff window, and the customer window it drives.

Staff log in, look a case up by 受理号, see the parties and how far each got, watch the live
camera and transcript, and steer: answer an escalation (retry the step, decide by hand with a
reason, or end), pause and resume, end the session, and clear both screens when done. The
customer window is the applicant window without the intake pages; it goes on the screen
(second monitor or pen display) set in `ui.customer_screen`.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Settings
from kiosk.privacy import mask_name
from kiosk.session.view import StaffDecision
from ui import theme
from ui.kiosk.applicant_window import ApplicantWindow
from ui.kiosk_texts import kiosk_text
from ui.session_control import SessionControl
from ui.voice import Voice
from ui.widgets.camera_view import CameraView
from ui.workers import error_text, run_in_background

log = logging.getLogger(__name__)
QUEUE_REFRESH_MS = 10_000

STEPS = ("identity", "notice", "statement", "qa", "signing")


class StaffWindow(QMainWindow):
    def __init__(self, control: SessionControl, voice: Voice, settings: Settings, *, demo: bool) -> None:
        super().__init__()
        self.control = control
        self.view = control.view
        self.settings = settings
        self.demo = demo
        self.staff: dict[str, Any] | None = None
        self.case: Any = None
        self._pending: tuple[int, list[str]] | None = None
        self.setWindowTitle(self.tr("柜台双录 — 工作人员"))
        self.setStyleSheet(theme.staff_stylesheet())
        self.customer = ApplicantWindow(self.view, voice, intake=False, applicant_may_decide=False)
        self.customer.setWindowTitle(self.tr("客户屏"))
        self.customer.setStyleSheet(theme.stylesheet(settings.ui.font_pt))
        self.customer.finished.connect(self.clear_case)
        self.customer.pad_button.connect(self.control.press_pad)
        self.customer.touch_answer.connect(self.control.record_touch_answer)

        central = QWidget()
        self.setCentralWidget(central)
        root = QHBoxLayout(central)
        left = QVBoxLayout()
        root.addLayout(left, 4)  # the party table needs the room: every role and status in full
        right = QVBoxLayout()
        root.addLayout(right, 3)

        # login
        self.login_box = QGroupBox(self.tr("工作人员登录"))
        lb = QHBoxLayout(self.login_box)
        self.staff_no = QLineEdit()
        self.staff_no.setPlaceholderText(self.tr("工号"))
        self.staff_pin = QLineEdit()
        self.staff_pin.setPlaceholderText(self.tr("密码"))
        self.staff_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.clicked.connect(self.login)
        self.staff_pin.returnPressed.connect(self.login)
        for w in (self.staff_no, self.staff_pin, self.login_button):
            lb.addWidget(w)
        self.staff_label = QLabel(self.tr("未登录"))
        self.logout_button = QPushButton(self.tr("退出登录"))
        self.logout_button.clicked.connect(self.logout)
        left.addWidget(self.login_box)
        staff_row = QHBoxLayout()
        staff_row.addWidget(self.staff_label, 1)
        staff_row.addWidget(self.logout_button)
        left.addLayout(staff_row)
        # the upload queue: in a hall whose network comes and goes the clerk sees what still waits
        self.queue_label = QLabel()
        self.queue_label.setObjectName("muted")
        self.queue_label.setWordWrap(True)
        left.addWidget(self.queue_label)
        self._queue_timer = QTimer(self)
        self._queue_timer.setInterval(QUEUE_REFRESH_MS)
        self._queue_timer.timeout.connect(self.refresh_queue)
        self._queue_timer.start()
        control.ready.connect(self.refresh_queue)
        if demo:
            hint = QLabel(self.tr("演示账号：工号 0001，密码 246810"))
            hint.setObjectName("muted")
            left.addWidget(hint)

        # case search
        case_box = QGroupBox(self.tr("案件"))
        cb = QVBoxLayout(case_box)
        row = QHBoxLayout()
        self.case_no = QLineEdit()
        self.case_no.setPlaceholderText(self.tr("受理号，如 LH2026-000123"))
        self.case_no.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("查询"))
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.case_no, 1)
        row.addWidget(self.search_button)
        cb.addLayout(row)
        self.case_label = QLabel()
        self.case_label.setWordWrap(True)
        cb.addWidget(self.case_label)
        self.parties = QTableWidget(0, 2 + len(STEPS))
        # the table's own short words (a disambiguation of their own in the catalogue)
        self.parties.setHorizontalHeaderLabels([
            self.tr("角色", "party table"), self.tr("姓名", "party table"), self.tr("身份核验", "party table"),
            self.tr("告知", "party table"), self.tr("陈述", "party table"), self.tr("问答", "party table"),
            self.tr("签字", "party table")])
        self.parties.verticalHeader().hide()
        self.parties.setWordWrap(False)
        self.parties.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._size_party_columns()
        cb.addWidget(self.parties, 1)
        self.start_button = QPushButton(self.tr("开始办理"))
        self.start_button.clicked.connect(self.start)
        cb.addWidget(self.start_button)
        left.addWidget(case_box, 1)

        # steering
        steer = QGroupBox(self.tr("处理"))
        sv = QVBoxLayout(steer)
        self.escalation_label = QLabel(self.tr("无待处理事项"))
        self.escalation_label.setWordWrap(True)
        self.escalation_label.setObjectName("guidance")
        # two lines at least: a reason is a sentence, and a clipped one is useless to the clerk
        self.escalation_label.setMinimumHeight(2 * self.escalation_label.fontMetrics().height() + 24)
        sv.addWidget(self.escalation_label)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        for text in (self.tr("工作人员现场核验身份无误"), self.tr("工作人员现场核听朗读/回答无误"),
                     self.tr("设备故障，人工核验"), self.tr("申请人要求终止办理"), self.tr("申请人身份存疑")):
            self.reason.addItem(text)
        self.reason.setCurrentText("")
        edit = self.reason.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("原因（人工操作必填）"))
        sv.addWidget(self.reason)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("重试本步"))
        self.pass_button = QPushButton(self.tr("人工通过"))
        self.fail_button = QPushButton(self.tr("人工不通过"))
        self.fail_button.setObjectName("danger")
        self.retry_button.clicked.connect(lambda: self.decide("retry"))
        self.pass_button.clicked.connect(lambda: self.decide("manual_pass"))
        self.fail_button.clicked.connect(lambda: self.decide("manual_fail"))
        for b in (self.retry_button, self.pass_button, self.fail_button):
            row.addWidget(b)
        sv.addLayout(row)
        row = QHBoxLayout()
        self.pause_button = QPushButton(self.tr("暂停"))
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self.pause)
        self.abort_button = QPushButton(self.tr("终止办理"))
        self.abort_button.setObjectName("danger")
        self.abort_button.clicked.connect(self.abort)
        self.finish_button = QPushButton(self.tr("完成并清屏"))
        self.finish_button.clicked.connect(self.clear_case)
        for b in (self.pause_button, self.abort_button, self.finish_button):
            row.addWidget(b)
        sv.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        sv.addWidget(self.message)
        left.addWidget(steer)

        # live
        self.camera = CameraView(oval=True)
        right.addWidget(self.camera, 3)
        self.step_label = QLabel()
        self.step_label.setObjectName("title")
        right.addWidget(self.step_label)
        self.transcript = QPlainTextEdit()
        self.transcript.setReadOnly(True)
        self.transcript.setPlaceholderText(self.tr("实时语音识别"))
        right.addWidget(self.transcript, 1)
        self.events = QListWidget()
        right.addWidget(self.events, 1)

        self.view.preview.connect(self.camera.attach)
        self.view.step.connect(self._on_step)
        self.view.guidance_shown.connect(lambda text, _k: self.message.setText(text))
        self.view.transcript_changed.connect(self._on_transcript)
        self.view.audit_event.connect(self._on_event)
        self.view.staff_decision_requested.connect(self._on_escalation)
        self.view.request_closed.connect(self._request_closed)
        self.view.result_shown.connect(lambda ok, text, _qr: self.message.setText(text))
        control.ended.connect(self._ended)
        control.problem.connect(self.message.setText)
        control.countdown.connect(self._countdown)
        self._update_buttons()
        self.resize(1400, 900)

    # ------------------------------------------------------------------ state
    @property
    def logged_in(self) -> bool:
        return self.staff is not None

    def _update_buttons(self) -> None:
        busy = self.control.busy
        self.search_button.setEnabled(self.logged_in and not busy)
        self.logout_button.setEnabled(self.logged_in and not busy)
        self.start_button.setEnabled(self.logged_in and not busy and self.case is not None)
        pending = self._pending is not None
        options = self._pending[1] if self._pending else []
        self.retry_button.setEnabled(pending and "retry" in options)
        self.pass_button.setEnabled(pending and "manual_pass" in options)
        self.fail_button.setEnabled(pending and "manual_fail" in options)
        self.pause_button.setEnabled(busy)
        self.abort_button.setEnabled(busy)
        self.finish_button.setEnabled(not busy)

    # ------------------------------------------------------------------ actions
    def refresh_queue(self) -> None:
        """Read the outbox off the GUI thread while the window is shown; the line says how many
        packages still wait."""
        outbox = getattr(self.control.ctx, "outbox", None)
        if outbox is None or not self.isVisible():
            return
        run_in_background(outbox.status, on_result=self.show_queue, on_error=self._queue_unknown,
                          name="queue-status")

    def _queue_unknown(self, exc: BaseException) -> None:
        """The outbox could not be read (closing down): say nothing rather than something stale."""
        log.debug("upload queue not readable: %r", exc)
        self.queue_label.setText("")

    def show_queue(self, status: dict[str, Any]) -> None:
        depth = int(status.get("depth", 0))
        text = (self.tr("待上传证据包：%n 个（网络恢复后自动上传）", "", depth) if depth
                else self.tr("证据包已全部上传"))
        held = int(status.get("quarantined", 0))
        if held:
            text += self.tr("；%n 个待技术人员处理", "", held)
        self.queue_label.setText(text)

    def logout(self) -> None:
        """The clerk leaves: the platform session no longer goes with this counter's calls."""
        ctx = self.control.ctx
        if ctx is not None:
            ctx.client.staff_logout()
        self.staff = None
        self.control.staff_id = ""
        self.staff_label.setText(self.tr("未登录"))
        self.login_box.setEnabled(True)
        self._update_buttons()

    def login(self) -> None:
        staff_no, pin = self.staff_no.text().strip(), self.staff_pin.text()
        self.staff_pin.clear()
        ctx = self.control.ctx
        if ctx is None:
            self.message.setText(self.tr("设备尚未就绪，请稍候再试"))
            return

        def ok(info: Any) -> None:
            self.staff = dict(info)
            self.control.staff_id = staff_no
            self.staff_label.setText(self.tr("已登录：") + f"{staff_no} {mask_name(str(info.get('name', '')))}")
            self.login_box.setEnabled(False)
            self._update_buttons()

        run_in_background(ctx.client.staff_login, staff_no, pin, on_result=ok,
                          on_error=lambda e: self.message.setText(error_text(e)), name="staff-login")

    def search(self) -> None:
        case_no = self.case_no.text().strip().upper()
        ctx = self.control.ctx
        if not case_no or ctx is None:
            return

        def fetch() -> Any:
            from kiosk.model import parse_case

            return parse_case(ctx.client.get_case(case_no))

        def shown(case: Any) -> None:
            self.case = case
            self.case_label.setText(f"{case.case_no} · {kiosk_text(case.business_type.value)} · {case.property.location}")
            self.parties.setRowCount(len(case.parties))
            for r, p in enumerate(case.parties):
                self.parties.setItem(r, 0, QTableWidgetItem(kiosk_text(p.role)))
                who = mask_name(p.signer_name) + (self.tr("（经办人）") if p.agent else "")
                self.parties.setItem(r, 1, QTableWidgetItem(who))
                for c in range(len(STEPS)):
                    self.parties.setItem(r, 2 + c, QTableWidgetItem("—"))
            self._size_party_columns()
            self._update_buttons()

        run_in_background(fetch, on_result=shown, on_error=lambda e: self.case_label.setText(error_text(e)),
                          name="case-search")

    def start(self) -> None:
        if self.case is None or not self.logged_in:
            return
        self.events.clear()
        self.transcript.clear()
        self.control.start(self.case.case_no)
        self._update_buttons()

    def decide(self, action: str) -> None:
        if self._pending is None or self.staff is None:
            return
        reason = self.reason.currentText().strip()
        if action != "retry" and len(reason) < 2:
            self.message.setText(self.tr("人工判定必须填写原因"))
            return
        rid, _ = self._pending
        self.view.answer_staff(rid, StaffDecision(action, self.control.staff_id,
                                                  reason or self.tr("工作人员要求重试")))
        self.reason.setCurrentText("")

    def pause(self, on: bool) -> None:
        flow = self.control.flow
        if flow is None:
            return
        from kiosk.flow import IllegalTransition

        try:
            if on:
                flow.pause(by=f"staff:{self.control.staff_id}")
                self.pause_button.setText(self.tr("继续"))
            else:
                flow.resume(by=f"staff:{self.control.staff_id}")
                self.pause_button.setText(self.tr("暂停"))
        except IllegalTransition as exc:
            self.message.setText(str(exc))

    def abort(self) -> None:
        reason = self.reason.currentText().strip()
        if len(reason) < 2:
            self.message.setText(self.tr("终止办理必须填写原因"))
            return
        sure = QMessageBox.question(self, self.tr("终止办理"),
                                    self.tr("确定终止本案件的办理吗？所有申请人都需要重新办理。"),
                                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.No)
        if sure != QMessageBox.StandardButton.Yes:
            return
        if self._pending is not None:
            rid, _ = self._pending
            self.view.answer_staff(rid, StaffDecision("abort", self.control.staff_id, reason))
        else:
            self.control.cancel(f"staff_abort: {reason}")
            self.customer.wipe()

    def clear_case(self) -> None:
        """完成并清屏: the next customer starts from an empty case, screen and log."""
        if self.control.busy:
            return
        self.customer.wipe()
        self.camera.clear()
        self.step_label.clear()
        self.case = None
        self.case_no.clear()
        self.case_label.clear()
        self.parties.setRowCount(0)
        self.events.clear()
        self.transcript.clear()
        self.message.clear()
        self.reason.setCurrentText("")
        self._update_buttons()

    # ------------------------------------------------------------------ session → staff
    def _on_step(self, party: str, step: str, title: str, body: str) -> None:
        self.step_label.setText(f"{party} · {title}" if party else title)
        self.transcript.clear()

    def _on_transcript(self, partial: str, matched: Any) -> None:
        self.transcript.setPlainText(partial)

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = str(event.get("kind", ""))
        self.events.addItem(self._event_line(event))
        self.events.scrollToBottom()
        if kind == "step_result" and self.case is not None:
            self._mark(str(event.get("party_id", "")), str(event.get("step", "")), str(event.get("outcome", "")))
        elif kind == "step_skipped" and self.case is not None:
            self._mark(str(event.get("party_id", "")), str(event.get("step", "")), "skipped")
        elif kind == "step_started" and self.case is not None:
            self._mark(str(event.get("party_id", "")), str(event.get("step", "")), "running")

    def _event_line(self, event: dict[str, Any]) -> str:
        """One line of the case log in the staff's words: time, party, step, what happened."""
        kind = str(event.get("kind", ""))
        ts = event.get("ts")
        when = ts[11:19] if isinstance(ts, str) else ""
        words = {"case_loaded": self.tr("案件已载入"), "step_started": self.tr("开始"),
                 "step_result": self.tr("结果"), "step_failed": self.tr("未通过，重试"),
                 "step_skipped": self.tr("无需办理"), "escalated": self.tr("需要工作人员处理"),
                 "staff_retry": self.tr("工作人员要求重试"), "paused": self.tr("已暂停"),
                 "resumed": self.tr("已继续"), "review": self.tr("待客户确认"),
                 "review_confirmed": self.tr("客户已确认"), "done": self.tr("办理完成"),
                 "aborted": self.tr("办理终止"), "touch_answer": self.tr("客户点选答案")}
        outcomes = {"passed": self.tr("通过"), "manual_pass": self.tr("人工通过"),
                    "manual_fail": self.tr("人工不通过"), "failed": self.tr("未通过")}
        steps = {"identity": self.tr("身份核验"), "notice": self.tr("告知"), "statement": self.tr("陈述"),
                 "qa": self.tr("问答"), "signing": self.tr("签字")}
        parts = [when]
        party_id = str(event.get("party_id") or "")
        if party_id and self.case is not None:
            parts += [kiosk_text(p.role) for p in self.case.parties if p.party_id == party_id][:1]
        if event.get("step"):
            parts.append(steps.get(str(event["step"]), str(event["step"])))
        parts.append(words.get(kind, kind))
        if event.get("outcome"):
            parts.append(outcomes.get(str(event["outcome"]), str(event["outcome"])))
        if kind == "touch_answer":
            parts.append(self.tr("是") if event.get("answer") == "yes" else self.tr("否"))
        if event.get("staff"):
            parts.append(self.tr("工号 %1").replace("%1", str(event["staff"])))
        reason = str(event.get("reason") or "")
        if reason and not reason.isascii():
            parts.append(kiosk_text(reason))
        return " ".join(p for p in parts if p)

    def _mark(self, party_id: str, step: str, outcome: str) -> None:
        if step not in STEPS:
            return
        rows = [i for i, p in enumerate(self.case.parties) if p.party_id == party_id]
        if not rows:
            return
        text = self._status_words().get(outcome, outcome)
        item = QTableWidgetItem(text)
        colour = {"passed": theme.OK, "manual_pass": "#8a5a00", "manual_fail": theme.NO, "failed": theme.NO,
                  "running": theme.ACCENT}.get(outcome)
        if colour:
            item.setForeground(Qt.GlobalColor.white)
            item.setBackground(_brush(colour))
        self.parties.setItem(rows[0], 2 + STEPS.index(step), item)

    def _status_words(self) -> dict[str, str]:
        return {"passed": self.tr("通过", "party table"), "manual_pass": self.tr("人工通过", "party table"),
                "manual_fail": self.tr("人工不通过", "party table"), "failed": self.tr("未通过", "party table"),
                "skipped": self.tr("无需", "party table"), "running": self.tr("进行中", "party table")}

    def _size_party_columns(self) -> None:
        """Every column as wide as its widest possible entry (the case's roles, any status), the
        name column taking the rest: nothing is cut off, and nothing jumps while the steps run."""
        header = self.parties.horizontalHeader()
        fm = self.parties.fontMetrics()
        hfm = header.fontMetrics()
        pad = 2 * self.parties.style().pixelMetric(self.parties.style().PixelMetric.PM_FocusFrameHMargin) + 18
        statuses = [*self._status_words().values(), "—"]
        roles = [kiosk_text(p.role) for p in self.case.parties] if self.case is not None else []
        for c in range(self.parties.columnCount()):
            item = self.parties.horizontalHeaderItem(c)
            title = item.text() if item is not None else ""
            words = roles if c == 0 else [] if c == 1 else statuses
            width = max([hfm.horizontalAdvance(title)] + [fm.horizontalAdvance(w) for w in words]) + pad
            if c == 1:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
                header.setMinimumSectionSize(min(width, 60))
            else:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
                self.parties.setColumnWidth(c, width)

    def _on_escalation(self, rid: int, reason: str, options: list[str]) -> None:
        self._pending = (rid, list(options))
        self.escalation_label.setText(self.tr("需要处理：") + reason)
        self._update_buttons()
        self.raise_()

    def _request_closed(self, rid: int) -> None:
        if self._pending is not None and self._pending[0] == rid:
            self._pending = None
            self.escalation_label.setText(self.tr("无待处理事项"))
            self._update_buttons()

    def _countdown(self, seconds: Any) -> None:
        if seconds is not None:
            self.message.setText(self.tr("客户长时间无操作，%1 秒后结束").replace("%1", str(int(seconds))))

    def _ended(self, outcome: Any) -> None:
        self._pending = None
        self.camera.clear()
        self.step_label.clear()
        self.pause_button.setChecked(False)
        self.message.setText(self._outcome_text(outcome))
        if self.customer.current_key != "result":
            self.customer.wipe()
        self._update_buttons()

    def _outcome_text(self, outcome: Any) -> str:
        if outcome is None:
            return self.tr("办理已结束")
        status = getattr(outcome, "status", "")
        if status == "completed":
            return self.tr("办理完成，材料已等待上传（网络恢复后自动上传）") if getattr(outcome, "queued", False) \
                else self.tr("办理完成，材料已上传")
        if status == "aborted":
            return self.tr("办理已终止，已采集的材料已保存")
        return self.tr("办理已结束")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._queue_timer.stop()
        self.customer.close()
        super().closeEvent(event)


def _brush(colour: str) -> Any:
    from PySide6.QtGui import QBrush, QColor

    return QBrush(QColor(colour))
