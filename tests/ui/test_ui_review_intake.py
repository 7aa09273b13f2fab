"""The review (case, property, parties, the documents as signed) and the ID-card intake page,
driven through `QtSessionView` from a worker thread as the runner drives them, at 1920×1080.

The case is the demo's two-party 存量房转移登记 with its real PDFs; party 2 (权利人) is at the
screen; its copy of the application form is stamped with real handwriting the way the signing
step stamps it, its contract was not signed.
"""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.session.view import CARD_READ, CARD_UNREADABLE, CARD_WAIT_S, PLACE_CARD, StaffDecision
from ui import theme
from ui.kiosk.applicant_window import ApplicantWindow

SIZE = (1920, 1080)


@pytest.fixture
def window(applicant_window):
    return applicant_window(SIZE)


def _demo_summary() -> tuple[Any, Any, bytes]:
    from kiosk.evidence.package import SignatureEvidence, now_iso, signature_stamp
    from kiosk.model import parse_case
    from kiosk.platform.demo import CASES
    from kiosk.session.summary import case_summary
    from kiosk.signing import PenData
    from kiosk.signing.pdf import stamp_pdf
    from kiosk.signing.sample_pen import handwriting_points
    from refplatform.demo_seed import build_case

    data, pdfs = build_case(CASES[0])
    case = parse_case(data)
    d1 = case.documents[0]
    index = next(i for i, a in enumerate(d1.anchors) if a.party_id == "p2" and a.kind == "signature")
    pen = PenData.from_points(handwriting_points(seed=7, chars=2), device="sim", width_mm=100, height_mm=60)
    signed = stamp_pdf(pdfs["d1"], [signature_stamp(d1.anchors[index], SignatureEvidence("d1", index, pen), now_iso())])
    return case, case_summary(case, "p2", {"d1": signed}, {("d1", index)}), signed


def _play_party_two(w: ApplicantWindow, qtbot, worker_thread, summary: Any) -> None:
    view = w.view

    def session() -> None:
        view.show_step("", "intake", "正在获取案件信息", "受理号 LH2026-000123")
        for step, outcome, staff in (("identity", "passed", ""), ("notice", "passed", ""),
                                     ("statement", "manual_pass", "0001"), ("qa", "manual_pass", "0001"),
                                     ("signing", "passed", "")):
            view.session_event({"kind": "step_started", "party_id": "p2", "step": step})
            view.show_step("权利人 李*", step, "…", "")
            view.session_event({"kind": "step_result", "party_id": "p2", "step": step, "outcome": outcome,
                                "staff": staff})
        view.show_review(summary)
        view.show_step("", "review", "请核对办理结果", "义务人：身份核验 — 通过")

    with qtbot.waitSignal(view.review_shown, timeout=5000):
        worker_thread.call(session)
    qtbot.waitUntil(lambda: w.current_key == "review" and bool(w.review.lines.text()), timeout=5000)


def test_review_shows_the_case_the_property_the_parties_and_the_signed_documents(qtbot, window, shots,
                                                                                  worker_thread):
    w = window
    case, summary, signed = _demo_summary()
    _play_party_two(w, qtbot, worker_thread, summary)
    page = w.review
    assert page.case_box.isVisible()
    assert page.case_line.text() == "LH2026-000123"
    assert page.business.text() == "存量房转移登记"
    assert page.location.text() == case.property.location
    assert page.number_name.text() == "权属证明号" and page.number.text() == case.property.unit_no
    lines = page.parties.text().splitlines()
    assert lines == ["义务人：王**", "权利人：李*（您本人）"]
    for p in case.parties:
        assert p.name not in page.parties.text()  # names masked
    assert "工作人员 0001 现场确认" in page.lines.text()
    # the documents: the application form as party 2 signed it, the contract not signed
    assert len(page.doc_buttons) == 2
    form, contract = page.doc_buttons
    assert form.isEnabled() and "不动产登记申请书" in page.doc_titles[0].text()
    assert not contract.isEnabled()
    notes = [n.text() for n in page.doc_note_labels]
    assert notes[0] == "已签名（第2页）" and notes[1].startswith("未签名")
    with qtbot.waitSignal(w.view.confirm_requested, timeout=5000):
        worker_thread.call(w.view.confirm, "请核对办理结果", "义务人：身份核验 — 通过", "确认提交")
    assert w.confirm_bar.isVisible() and w.confirm_ok.text() == "确认提交"
    w.grab().save(str(shots / "kiosk-review.png"))
    qtbot.mouseClick(form, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    reader = dialog.reader
    assert reader.pdf == signed and reader.pdf != b""  # the signed copy, not the original
    assert reader.page_count == 2
    # opened at this person's signature (page 2, framed), every page reachable
    qtbot.waitUntil(lambda: reader.page == 2 and 2 in reader.images, timeout=20_000)
    assert reader.anchor_page == 2 and "第2页" in dialog.where.text()
    dialog.resize(*SIZE)
    QApplication.processEvents()
    reader.show_signature_place()
    QApplication.processEvents()
    dialog.grab().save(str(shots / "kiosk-review-document.png"))
    # read only: a reader and 关闭, nothing to sign with
    assert not hasattr(dialog, "read_button")
    qtbot.mouseClick(reader.prev_button, Qt.MouseButton.LeftButton)
    assert reader.page == 1
    dialog.accept()
    qtbot.mouseClick(w.confirm_ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: True in worker_thread.results, timeout=5000)  # 确认提交 reached the session
    w.wipe()
    assert page.dialog is None and not page.case_box.isVisible() and page.doc_buttons == []


def test_card_page_says_what_to_do_counts_down_and_reports_the_reader(qtbot, window, shots, worker_thread):
    w = window
    view = w.view
    with qtbot.waitSignal(view.guidance_shown, timeout=5000):
        worker_thread.call(lambda: (view.show_step("", "card", PLACE_CARD, "受理号 LH2026-000123"),
                                    view.guidance(PLACE_CARD, "place_id_card")))
    page = w.card
    assert w.current_key == "card" and not w.step_bar.isVisible()
    assert page.title.text() == PLACE_CARD and page.case_line.text() == "受理号：LH2026-000123"
    assert f"{CARD_WAIT_S} 秒" in page.countdown.text() and page.state == "waiting"
    assert "平放" in page.steps.text() and page.cancel_button.isVisible()
    assert not w.guidance_label.isVisible()  # the page says it, not a second banner
    w.grab().save(str(shots / "kiosk-card.png"))
    with qtbot.waitSignal(view.guidance_shown, timeout=5000):
        worker_thread.call(view.guidance, CARD_UNREADABLE)
    assert page.state == "problem" and page.status.text() == CARD_UNREADABLE
    assert page.status.objectName() == "problem" and page.picture.state == "problem"
    w.grab().save(str(shots / "kiosk-card-problem.png"))
    with qtbot.waitSignal(view.guidance_shown, timeout=5000):
        worker_thread.call(view.guidance, CARD_READ)
    assert page.state == "read" and page.countdown.text() == ""
    # the countdown ends in a cancel, as 取消 does
    with qtbot.waitSignal(view.step, timeout=5000):
        worker_thread.call(view.show_step, "", "card", PLACE_CARD, "受理号 LH2026-000123")
    page.left = 1
    with qtbot.waitSignal(page.cancelled, timeout=2000):
        page._tick()
    with qtbot.waitSignal(page.cancelled, timeout=2000):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    w.wipe()
    assert w.current_key == "welcome" and page.case_line.text() == "" and not page._timer.isActive()


def test_touch_answer_reaches_the_session_and_is_forgotten_on_the_next_screen(qtbot, window, worker_thread):
    view = window.view
    with qtbot.waitSignal(view.step, timeout=5000):
        worker_thread.call(view.show_step, "权利人 李*", "qa", "请回答", "您是否自愿购买该房屋？")
    qtbot.mouseClick(window.qa.yes, Qt.MouseButton.LeftButton)
    view.touched("yes")  # what the session control does on the touch (tested in the shell)
    assert view.answer_touched() == "yes"
    with qtbot.waitSignal(view.step, timeout=5000):
        worker_thread.call(view.show_step, "权利人 李*", "qa", "请回答", "下一问？")
    assert view.answer_touched() is None


def test_staff_window_for_an_answer_has_the_listening_reason_chosen(qtbot, shots):
    from kiosk.session.steps.qa import staff_question
    from ui.dialogs import StaffDecisionDialog

    reason = staff_question(2, "您是否自愿购买该房屋？", "affirm", "yes")
    assert "第2问" in reason and "应答为：是" in reason and "触屏作答：是" in reason
    dialog = StaffDecisionDialog(lambda *_: None, reason, ["retry", "manual_pass", "manual_fail", "abort"],
                                 staff_no="0001")
    qtbot.addWidget(dialog)
    decided: list[StaffDecision] = []
    dialog.decided.connect(decided.append)
    dialog.setStyleSheet(theme.staff_stylesheet())
    dialog.resize(*SIZE)
    dialog.show()
    assert dialog.action_buttons["retry"].text() == "重问本题"
    dialog.grab().save(str(shots / "kiosk-staff-answer.png"))
    qtbot.mouseClick(dialog.action_buttons["manual_pass"], Qt.MouseButton.LeftButton)
    assert decided and decided[0].action == "manual_pass" and decided[0].staff_id == "0001"
    assert decided[0].reason == "工作人员现场核听朗读/回答无误"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_review_fits_a_small_screen_by_scrolling_not_squeezing(qtbot, applicant_window, shots, worker_thread,
                                                               language):
    """At 1280×800 the review keeps the window's size; its lines keep their full height (the
    content scrolls) instead of being cut — in English (longer words) too."""
    from ui.app import install_translation

    app = QApplication.instance()
    assert install_translation(app, language)
    try:
        w = applicant_window((1280, 800))
        _case, summary, _signed = _demo_summary()
        _play_party_two(w, qtbot, worker_thread, summary)
        with qtbot.waitSignal(w.view.confirm_requested, timeout=5000):
            worker_thread.call(w.view.confirm, "请核对办理结果", "义务人：身份核验 — 通过", "确认提交")
        QApplication.processEvents()
        assert w.height() == 800
        page = w.review
        for lab in (page.lines, page.location, page.parties):
            assert lab.height() >= lab.heightForWidth(lab.width()), lab.text()
        for b in page.doc_buttons:
            assert b.width() >= b.sizeHint().width(), b.text()
        for t in (*page.doc_titles, *page.doc_note_labels):
            assert t.height() >= t.heightForWidth(t.width()), t.text()
        w.grab().save(str(shots / f"kiosk-review-1280-{language}.png"))
        qtbot.mouseClick(w.confirm_ok, Qt.MouseButton.LeftButton)
    finally:
        install_translation(app, "zh_CN")


def test_card_page_and_review_in_english_show_no_chinese_of_their_own(qtbot, applicant_window, worker_thread):
    """The pages' own texts and the session's card texts are translated; what stays Chinese is
    the case's data (business type, address, names, roles)."""
    import re

    from ui.app import install_translation

    app = QApplication.instance()
    assert install_translation(app, "en")
    try:
        w = applicant_window(SIZE)
        view = w.view
        with qtbot.waitSignal(view.guidance_shown, timeout=5000):
            worker_thread.call(lambda: (view.show_step("", "card", PLACE_CARD, "受理号 LH2026-000123"),
                                        view.guidance(CARD_UNREADABLE)))
        page = w.card
        cjk = re.compile(r"[\u4e00-\u9fff]")
        texts = [page.title.text(), page.case_line.text(), page.steps.text(), page.status.text(),
                 page.countdown.text(), page.cancel_button.text()]
        assert not [t for t in texts if cjk.search(t)], texts
        assert page.state == "problem"
        _case, summary, _signed = _demo_summary()
        w.review.show_summary(summary)
        own = [w.review.number_name.text(), w.review.docs_title.text(), *[b.text() for b in w.review.doc_buttons],
               *[t.text() for t in w.review.doc_titles]]
        own = [t.replace("不动产登记申请书", "").replace("存量房买卖合同", "") for t in own]
        assert not [t for t in own if cjk.search(t)], own
    finally:
        install_translation(app, "zh_CN")
