"""Every applicant screen rendered from the session port, checked and saved as a screenshot.

The session is played from a worker thread through `QtSessionView`, exactly as the runner
calls it; frames are real face photos shipped by packages; the document is a real PDF.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from devices.base import Frame
from ui import theme
from ui.kiosk.applicant_window import ApplicantWindow
from ui.kiosk.pages.identity import action_icon
from ui.kiosk.pages.qa import answer_cue
from ui.session_bridge import QtSessionView
from ui.voice import Voice

SIZE = (1280, 800)


def _astronaut() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


def _pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 760, "Application form page 1")
    c.showPage()
    c.drawString(72, 760, "Application form page 2 - signature below")
    c.rect(350, 100, 180, 60)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def window(applicant_window):
    return applicant_window(SIZE)


def _shot(w, shots, name: str) -> QImage:
    image = w.grab().toImage()
    assert image.save(str(shots / f"{name}.png"))
    return image


def _not_blank(image: QImage) -> None:
    small = image.scaled(64, 40)
    colours = {small.pixel(x, y) for x in range(64) for y in range(40)}
    assert len(colours) > 8, "screen looks empty"


def test_every_applicant_screen(qtbot, window, shots, worker_thread):
    w, view = window, window.view
    assert w.current_key == "welcome"
    _not_blank(_shot(w, shots, "01_welcome"))

    qtbot.mouseClick(w.welcome.button, Qt.MouseButton.LeftButton)
    assert w.current_key == "intake"
    for d in "2026000123":
        qtbot.mouseClick(w.case_entry.keypad.buttons[d], Qt.MouseButton.LeftButton)
    assert w.case_entry.display.text() == "LH2026-000123"
    _shot(w, shots, "02_case_entry")
    with qtbot.waitSignal(w.case_entered, timeout=2000) as sig:
        qtbot.mouseClick(w.case_entry.keypad.buttons["ok"], Qt.MouseButton.LeftButton)
    assert sig.args == ["LH2026-000123"]

    with qtbot.waitSignal(view.step, timeout=2000):
        worker_thread.call(view.show_step, "", "intake", "正在获取案件信息", "受理号 LH2026-000123")
    assert w.current_key == "busy" and not w.step_bar.isVisible()
    _shot(w, shots, "03_busy")

    with qtbot.waitSignal(view.guidance_shown, timeout=2000):
        worker_thread.call(lambda: (view.show_step("义务人 王**", "identity", "身份核验", "请将身份证放在读卡区"),
                                    view.guidance("请将身份证放在读卡区", "place_id_card")))
    assert w.current_key == "identity" and w.identity.card_panel.isVisible()
    assert w.step_bar.current == 0 and w.step_bar.isVisible()
    _shot(w, shots, "04_identity_card")

    face = _astronaut()
    frames = iter(range(10_000))

    def poll() -> Frame:
        return Frame(face, 0.0, next(frames))

    with qtbot.waitSignal(view.guidance_shown, timeout=2000):
        worker_thread.call(lambda: (view.show_step("义务人 王**", "identity", "人脸核验", "请正视摄像头"),
                                    view.attach_preview(poll), view.guidance("请眨眨眼", "action_blink")))
    with qtbot.waitSignal(w.identity.face.frame_shown, timeout=3000):
        pass
    assert not w.identity.card_panel.isVisible()
    assert not w.identity.action.pixmap().isNull()
    _shot(w, shots, "05_identity_face_liveness")

    notice = "一、申请人应如实申报。\n二、提供虚假材料的，依法承担法律责任。\n三、全程录音录像。"
    with qtbot.waitSignal(view.confirm_requested, timeout=2000) as sig:
        worker_thread.call(lambda: (view.show_step("义务人 王**", "notice", "告知事项", notice),
                                    view.confirm("告知事项", notice, "我已阅读并知晓")))
    assert w.current_key == "notice" and w.confirm_bar.isVisible()
    assert w.confirm_ok.text() == "我已阅读并知晓"
    assert not w.identity.face.attached, "the preview stops with the face page"
    _shot(w, shots, "06_notice_confirm")
    with qtbot.waitSignal(view.request_closed, timeout=2000):
        qtbot.mouseClick(w.confirm_ok, Qt.MouseButton.LeftButton)
    worker_thread.join()
    assert worker_thread.results[-1][-1] is True and not w.confirm_bar.isVisible()

    statement = "本人王某，自愿出售位于源汇区的房屋。成交价格为一百万元。所述内容真实。"
    with qtbot.waitSignal(view.transcript_changed, timeout=2000):
        worker_thread.call(lambda: (view.show_step("义务人 王**", "statement", "请朗读以下内容", statement),
                                    view.transcript("本人王某自愿出售", [True, False, True])))
    assert w.statement.missing() == ["成交价格为一百万元。"]
    assert theme.MISSING_BG in w.statement.text.toHtml() or "ffe2a8" in w.statement.text.toHtml()
    _shot(w, shots, "07_statement")

    with qtbot.waitSignal(view.transcript_changed, timeout=2000):
        worker_thread.call(lambda: (view.show_step("义务人 王**", "qa", "请回答", "您是否自愿出售该房屋？"),
                                    view.transcript("是的", None)))
    assert w.qa.cue == "yes" and w.qa.yes.objectName() == "big_yes" and w.qa.no.objectName() == "dim"
    _shot(w, shots, "08_qa")

    # the document: read page by page before the signature is taken (show_document blocks)
    reading = worker_thread.call(lambda: (view.show_step("义务人 王**", "signing", "请在「申请书」上签名", "第2页"),
                                          view.show_document("d1", "不动产登记申请书", _pdf(), 2, (350, 100, 180, 60)),
                                          "read"))
    reader = w.signing.reader
    qtbot.waitUntil(lambda: w.signing.read_request is not None and reader.images.get(1) is not None, timeout=10000)
    assert w.current_key == "signing" and reader.page == 1 and reader.page_count == 2
    assert w.signing.read_button.isVisible() and not w.signing.read_button.isEnabled(), "sign only after the last page"
    assert not w.signing.confirm_button.isVisible()
    _shot(w, shots, "09a_signing_read_page1")
    while reader.zoom_in_button.isEnabled():
        qtbot.mouseClick(reader.zoom_in_button, Qt.MouseButton.LeftButton)
    assert reader.body_pt_on_screen() >= 24, "the largest zoom makes the body text at least 24 pt"
    _shot(w, shots, "09b_signing_zoomed")
    with qtbot.waitSignal(reader.reached_end, timeout=2000):
        qtbot.mouseClick(reader.next_button, Qt.MouseButton.LeftButton)
    assert reader.page == 2 and w.signing.read_button.isEnabled() and reading.is_alive()
    qtbot.mouseClick(w.signing.read_button, Qt.MouseButton.LeftButton)
    reading.join(5)
    assert not reading.is_alive() and worker_thread.results[-1][-1] == "read"
    assert w.signing.confirm_button.isVisible() and w.signing.clear_button.isVisible()
    assert reader.canvas.box_px() is not None, "the signature place is framed on the page shown"
    with qtbot.waitSignal(view.pen, timeout=3000):
        worker_thread.call(view.pen_points, [(0.1 + i / 100, 0.5 + 0.2 * np.sin(i / 5), 0.6) for i in range(60)])
    qtbot.waitUntil(lambda: reader.images.get(2) is not None, timeout=10000)
    assert len(w.signing.ink.points) == 60
    with qtbot.waitSignal(w.pad_button) as pressed:
        qtbot.mouseClick(w.signing.clear_button, Qt.MouseButton.LeftButton)
    assert pressed.args == ["clear"] and w.signing.ink.points == []
    worker_thread.call(view.pen_points, [(0.1 + i / 100, 0.5, 0.6) for i in range(30)])
    qtbot.waitUntil(lambda: len(w.signing.ink.points) == 30, timeout=3000)
    _shot(w, shots, "09_signing")

    lines = "义务人：身份核验 — 通过\n义务人：陈述 — 通过\n权利人：签字 — 人工确认"
    with qtbot.waitSignal(view.confirm_requested, timeout=2000) as sig:
        worker_thread.call(lambda: (view.show_step("", "review", "请核对办理结果", lines),
                                    view.confirm("请核对办理结果", lines, "确认提交")))
    assert w.current_key == "review" and w.step_bar.current == 5
    _shot(w, shots, "10_review")
    qtbot.mouseClick(w.confirm_ok, Qt.MouseButton.LeftButton)
    worker_thread.join()

    with qtbot.waitSignal(view.staff_decision_requested, timeout=2000):
        worker_thread.call(view.staff_decision, "身份核验：人脸比对未通过", ["retry", "manual_pass", "abort"])
    assert w.current_key == "escalation" and w.escalation.retry_button.isVisibleTo(w)
    _shot(w, shots, "11_escalation")
    qtbot.mouseClick(w.escalation.retry_button, Qt.MouseButton.LeftButton)
    worker_thread.join()
    assert worker_thread.results[-1].action == "retry"

    with qtbot.waitSignal(view.result_shown, timeout=2000):
        worker_thread.call(view.result, True, "办理完成，材料已提交。请取走身份证。", "PKG-LH2026-000123-01")
    assert w.current_key == "result" and not w.result_page.qr.pixmap().isNull()
    assert w.result_page.take_card.isVisible()
    _shot(w, shots, "12_result")

    w.show_countdown(9.2)
    assert w.countdown.isVisible() and w.countdown.seconds == 10
    _shot(w, shots, "13_countdown")

    w.wipe()
    assert w.current_key == "welcome" and not w.countdown.isVisible()
    assert w.statement.sentences == [] and w.signing.ink.points == [] and w.result_page.text.text() == ""


def test_touch_targets_and_body_text_are_big_enough(window):
    w = window
    min_px = theme.touch_px()
    assert min_px >= round(15 / 25.4 * 96)
    for b in w.case_entry.keypad.buttons.values():
        assert b.minimumHeight() >= min_px or b.sizeHint().height() >= min_px
    assert theme.body_pt(20) == 24 and theme.body_pt(30) == 30
    assert f"font-size: {theme.body_pt(26)}pt" in theme.stylesheet(26)


def test_cues_from_words():
    assert action_icon("请眨眨眼") == "blink"
    assert action_icon("请向左转头") == "turn_left"
    assert action_icon("", "action_nod") == "nod"
    assert answer_cue("是的 我自愿") == "yes"
    assert answer_cue("不是") == "no"
    assert answer_cue("") is None
    for name in ("blink", "turn_left", "turn_right", "nod", "mouth", "yes", "no", "idcard", "reader", "logo"):
        assert theme.icon_path(name).exists()


def test_wrong_case_number_goes_back_to_the_keypad_with_the_reason(qtbot, window, shots, worker_thread):
    w, view = window, window.view
    qtbot.mouseClick(w.welcome.button, Qt.MouseButton.LeftButton)
    for d in "999999":
        qtbot.mouseClick(w.case_entry.keypad.buttons[d], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.result_shown, timeout=2000):
        worker_thread.call(lambda: (view.show_step("", "intake", "正在获取案件信息", "受理号 LH999999"),
                                    view.result(False, "没有找到这个受理号的案件，请核对受理号或咨询窗口。请取走身份证。")))
    assert w.current_key == "intake", "no result screen for a case that never started"
    assert "没有找到" in w.case_entry.problem.text() and "身份证" not in w.case_entry.problem.text()
    assert w.case_entry.digits == "999999", "the typed number stays to be corrected"
    assert not w.step_bar.isVisible()
    _shot(w, shots, "15_wrong_case_number")


def test_step_bar_ticks_only_what_happened_and_result_after_abort(qtbot, window, shots, worker_thread):
    w, view = window, window.view

    def events() -> None:
        view.show_step("义务人 王**", "identity", "身份核验", "请将身份证放在读卡区")
        view.session_event({"kind": "step_started", "party_id": "p1", "step": "identity"})
        view.session_event({"kind": "step_result", "party_id": "p1", "step": "identity", "outcome": "passed"})
        view.session_event({"kind": "step_started", "party_id": "p1", "step": "notice"})
        view.show_step("义务人 王**", "notice", "告知事项", "告知内容")
        view.session_event({"kind": "aborted", "reason": "staff_abort"})
        view.result(False, "本次办理已结束，已采集的材料已安全保存。请取走身份证。")

    with qtbot.waitSignal(view.result_shown, timeout=2000):
        worker_thread.call(events)
    assert w.current_key == "result" and not w.result_page.ok
    assert w.step_bar.marks == {"identity": "done"}, "nothing but identity happened"
    assert w.result_page.take_card.isVisible(), "a card was asked for: it may still be on the reader"
    _shot(w, shots, "16_result_after_abort")


def test_ending_the_case_asks_once_more(qtbot, window, worker_thread):
    w, view = window, window.view
    with qtbot.waitSignal(view.staff_decision_requested, timeout=2000):
        worker_thread.call(view.staff_decision, "人脸核验：多次未通过", ["retry", "manual_pass", "manual_fail", "abort"])
    qtbot.mouseClick(w.escalation.stop_button, Qt.MouseButton.LeftButton)
    assert w.escalation.stop_confirm.isVisible() and view.pending_requests(), "one tap does not end the case"
    qtbot.mouseClick(w.escalation.keep_button, Qt.MouseButton.LeftButton)
    assert w.escalation.buttons.isVisible() and view.pending_requests()
    qtbot.mouseClick(w.escalation.stop_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.request_closed, timeout=2000):
        qtbot.mouseClick(w.escalation.stop_sure_button, Qt.MouseButton.LeftButton)
    worker_thread.join()
    assert worker_thread.results[-1].action == "abort"


def test_handover_between_parties(qtbot, window, shots, worker_thread):
    w, view = window, window.view
    with qtbot.waitSignal(view.step, timeout=2000) as last:
        worker_thread.call(lambda: (view.show_step("义务人 王**", "identity", "身份核验", "请将身份证放在读卡区"),
                                    view.show_step("义务人 王**", "signing", "请在「合同」上签名", "第1页"),
                                    view.show_step("权利人 李*", "identity", "身份核验", "请将身份证放在读卡区")))
    qtbot.waitUntil(lambda: w.step_bar.party == "权利人 李*", timeout=2000)
    assert last is not None and w.current_key == "identity"
    text = w.identity.handover.text()
    assert w.identity.handover.isVisible()
    assert "第1位已办理完成，请取走身份证" in text and "请第2位 权利人 李* 上前" in text
    _shot(w, shots, "17_handover")
    with qtbot.waitSignal(view.step, timeout=2000):
        worker_thread.call(view.show_step, "权利人 李*", "identity", "人脸核验", "请正视摄像头")
    assert w.identity.handover.isVisible(), "party 1 may still be at the kiosk taking the card"
    with qtbot.waitSignal(view.audit_event, timeout=2000):
        worker_thread.call(view.session_event, {"kind": "step_result", "party_id": "p2", "step": "identity",
                                                "outcome": "passed"})
    assert not w.identity.handover.isVisible()


def test_yes_no_are_buttons_and_a_tap_is_recorded_beside_the_spoken_answer(qtbot, window, tmp_path, worker_thread):
    from types import SimpleNamespace

    from PySide6.QtWidgets import QPushButton

    from kiosk.audit import AuditLog
    from ui.session_control import SessionControl

    w, view = window, window.view
    question = "您是否自愿出售该房屋？"
    with qtbot.waitSignal(view.step, timeout=2000):
        worker_thread.call(view.show_step, "义务人 王**", "qa", "请回答", question)
    assert isinstance(w.qa.yes, QPushButton) and isinstance(w.qa.no, QPushButton)
    control = SessionControl(view, lambda: None)
    audit = AuditLog(tmp_path / "audit.jsonl")
    control.runner = SimpleNamespace(flow=SimpleNamespace(audit=audit, party_id="p1", touch=lambda: None))
    control.worker = SimpleNamespace()  # a session is running
    w.touch_answer.connect(control.record_touch_answer)
    with qtbot.waitSignal(w.touch_answer) as tapped:
        qtbot.mouseClick(w.qa.no, Qt.MouseButton.LeftButton)
    assert tapped.args == [question, "no"] and w.qa.cue == "no"
    qtbot.waitUntil(lambda: bool(audit.events), timeout=3000)
    event = audit.events[-1]
    assert (event["kind"], event["party_id"], event["question"], event["answer"]) == ("touch_answer", "p1", question, "no")
    # a later partial transcript lights the spoken cue; the tap stays recorded
    with qtbot.waitSignal(view.transcript_changed, timeout=2000):
        worker_thread.call(view.transcript, "是的", None)
    assert w.qa.cue == "yes" and len(audit.events) == 1
    control.worker = None


def test_no_speech_model_is_told_in_plain_words_and_retry_is_not_offered(qtbot, window, worker_thread):
    w, view = window, window.view
    with qtbot.waitSignal(view.staff_decision_requested, timeout=2000):
        worker_thread.call(view.staff_decision, "陈述：语音识别模型未安装，请工作人员现场核听后确认",
                           ["retry", "manual_pass", "manual_fail", "abort"])
    text = w.escalation.reason.text()
    assert "模型" not in text and "工作人员会现场核听您的朗读" in text
    assert not w.escalation.retry_button.isVisible(), "another try would fail the same way"
    assert w.escalation.staff_button.isVisible()
    view.release_all()


def test_review_shows_this_partys_own_part_in_plain_words_with_documents_to_open(qtbot, window, shots,
                                                                                  worker_thread):
    w, view = window, window.view

    def session() -> None:
        view.show_step("", "intake", "正在获取案件信息", "受理号 LH2026-000123")
        for pid, label, outcome in (("p1", "义务人 王**", "passed"), ("p2", "权利人 李*", "manual_pass")):
            view.session_event({"kind": "step_started", "party_id": pid, "step": "identity"})
            view.show_step(label, "identity", "身份核验", "请将身份证放在读卡区")
            view.session_event({"kind": "step_result", "party_id": pid, "step": "identity", "outcome": "passed"})
            view.session_event({"kind": "step_result", "party_id": pid, "step": "statement", "outcome": outcome,
                                "staff": "0001" if outcome == "manual_pass" else ""})
        view.session_event({"kind": "review"})
        view.show_step("", "review", "请核对办理结果", "义务人：身份核验 — 通过\n权利人：陈述 — 人工确认")

    with qtbot.waitSignal(view.step, timeout=2000, check_params_cb=lambda *a: a[1] == "review"):
        worker_thread.call(session)
    w.review.show_party(w.case_no, w.records["p2"])
    r = w.review
    assert w.current_key == "review" and "LH2026-000123" in r.case_line.text()
    assert "权利人 李*" in r.who.text() and "王" not in r.who.text() + r.lines.text(), "only this party's part"
    assert "核验了身份证" in r.lines.text() and "工作人员 0001 现场确认" in r.lines.text()
    assert "—" not in r.lines.text(), "plain words, not the process log"
    _shot(w, shots, "18_review")
    # the unsigned originals the signing screen showed are not offered here: only the copies as
    # this party signed them, which come with the session's summary (test_ui_review_intake.py)
    assert r.doc_buttons == [] and not r.docs_title.isVisible()


def test_result_names_the_case_and_counts_down_to_the_start(qtbot, window, worker_thread):
    w, view = window, window.view
    with qtbot.waitSignal(view.result_shown, timeout=2000):
        worker_thread.call(lambda: (view.show_step("", "intake", "正在获取案件信息", "受理号 LH2026-000123"),
                                    view.result(True, "办理完成，材料已提交。请取走身份证。", "PKG-1")))
    page = w.result_page
    assert "LH2026-000123" in page.case_line.text() and page.next_steps.isVisible()
    page.start_countdown(2)
    assert page.back_in.text().startswith("2")
    with qtbot.waitSignal(page._tick.timeout, timeout=3000):
        pass
    assert page.back_in.text().startswith("1")


def test_reading_aloud_shows_level_and_time_left_and_read_done_ends_listening(qtbot, window, worker_thread):
    w, view = window, window.view
    statement = "本人王某，自愿出售位于源汇区的房屋。"
    with qtbot.waitSignal(view.listening_changed, timeout=2000):
        worker_thread.call(lambda: (view.show_step("义务人 王**", "statement", "请朗读以下内容", statement),
                                    view.listening(12.2, -30.0)))
    bar = w.statement.speaking
    assert bar.isVisible() and "12" in bar.left.text() and bar.meter.db == -30.0
    assert worker_thread.results[-1][-1] is False, "nobody pressed 读完了 yet"
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    worker_thread.join()
    worker_thread.call(view.listening, 11.0, -40.0)
    worker_thread.join()
    assert worker_thread.results[-1] is True, "读完了 ends the listening"
    worker_thread.call(view.listening, 10.0, -40.0)
    worker_thread.join()
    assert worker_thread.results[-1] is False, "once"


def test_pages_are_built_on_first_use_and_again_after_a_drop(qtbot):
    """Only the first screen exists before the first paint; the session's signals reach pages
    that are built on demand; dropped pages come back (in the language of the moment)."""
    from ui.kiosk.applicant_window import PAGES

    view = QtSessionView()
    w = ApplicantWindow(view, Voice(enabled=False), intake=True)
    qtbot.addWidget(w)
    assert set(w.pages) == {"welcome"} and w.current_key == "welcome"
    counter = ApplicantWindow(QtSessionView(), Voice(enabled=False), intake=False)
    qtbot.addWidget(counter)
    assert set(counter.pages) == {"waiting"}
    # a document sent before its page exists builds the page and lands on it
    view.document.emit("d1", "申请书", _pdf(), 2, (350.0, 100.0, 180.0, 60.0))
    qtbot.waitUntil(lambda: w.signing.reader.page_count == 2, timeout=5000)
    built: list[int] = []
    w.build_all_pages(then=lambda: built.append(1))
    assert len(w.pages) < len(PAGES), "one page per event-loop turn, not all at once"
    qtbot.waitUntil(lambda: bool(built), timeout=10000)
    assert set(w.pages) == set(PAGES)
    assert w.stack.count() == len(PAGES)
    signing = w.signing
    w.drop_pages()
    assert set(w.pages) == {"welcome"} and w.current_key == "welcome"
    assert w.signing is not signing and w.stack.count() == 2
    with qtbot.waitSignal(w.case_entered, timeout=2000):
        w.case_entry.entered.emit("LH2026-000123")  # a rebuilt page is wired again
