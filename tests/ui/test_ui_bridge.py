"""QtSessionView and workers: calls from a worker thread reach widgets on the GUI thread,
in order; blocking calls wait for the GUI's answer; release_all frees every waiter and mutes
the cancelled session."""
from __future__ import annotations

import threading

from kiosk.errors import UserFacingError
from kiosk.session.view import StaffDecision
from ui.session_bridge import QtSessionView
from ui.workers import Worker, run_in_background


def test_signals_arrive_on_gui_thread_in_call_order(qtbot, worker_thread):
    view = QtSessionView()
    seen: list[tuple[str, bool]] = []
    gui = threading.current_thread()
    view.step.connect(lambda p, s, t, b: seen.append((s, threading.current_thread() is gui)))
    view.guidance_shown.connect(lambda t, k: seen.append((t, threading.current_thread() is gui)))

    def session() -> None:
        view.show_step("甲", "identity", "身份核验")
        view.guidance("请看摄像头", "look")
        view.show_step("甲", "notice", "告知")

    with qtbot.waitSignals([view.step, view.guidance_shown, view.step], timeout=3000, order="strict"):
        worker_thread.call(session)
    assert seen == [("identity", True), ("请看摄像头", True), ("notice", True)]


def test_confirm_blocks_until_answered(qtbot, worker_thread):
    view = QtSessionView()
    with qtbot.waitSignal(view.confirm_requested, timeout=3000) as sig:
        t = worker_thread.call(view.confirm, "告知", "内容", "我已知晓", "返回")
    rid, title, _text, ok, cancel = sig.args
    assert (title, ok, cancel) == ("告知", "我已知晓", "返回")
    assert t.is_alive(), "confirm must wait for the person"
    assert view.pending_requests() == [(rid, "confirm")]
    with qtbot.waitSignal(view.request_closed, timeout=3000):
        assert view.answer_confirm(rid, False)
    t.join(3)
    assert worker_thread.results == [False]
    assert not view.answer_confirm(rid, True), "a request is answered once"


def test_staff_decision_and_release_all(qtbot, worker_thread):
    view = QtSessionView()
    with qtbot.waitSignal(view.staff_decision_requested, timeout=3000) as sig:
        worker_thread.call(view.staff_decision, "身份核验：比对未通过", ["retry", "manual_pass", "abort"])
    rid = sig.args[0]
    view.answer_staff(rid, StaffDecision("manual_pass", "0001", "现场核验无误"))
    worker_thread.join()
    assert worker_thread.results[0] == StaffDecision("manual_pass", "0001", "现场核验无误")

    # release: a waiting confirm gets the cautious answer, and the muted session no longer paints
    with qtbot.waitSignal(view.confirm_requested, timeout=3000):
        t = worker_thread.call(view.confirm, "确认", "")
    steps: list[str] = []
    view.step.connect(lambda *a: steps.append(a[1]))
    view.release_all()
    t.join(3)
    assert worker_thread.results[-1] is False
    view.show_step("", "notice", "迟到的画面")
    qtbot.wait(50)
    assert steps == []
    assert view.staff_decision("x", ["abort"]).action == "abort"  # returns at once when released
    view.reopen()
    with qtbot.waitSignal(view.step, timeout=3000):
        view.show_step("", "notice", "新会话")


def test_worker_reports_result_progress_and_errors_on_gui_thread(qtbot):
    gui = threading.current_thread()
    where: list[bool] = []

    def work(n: int, progress) -> int:
        for i in range(n):
            progress(i)
        return n * 2

    got: list[object] = []
    w = Worker(work, 3)
    w.progress.connect(lambda v: (got.append(v), where.append(threading.current_thread() is gui)))
    w.result.connect(lambda v: (got.append(("result", v)), where.append(threading.current_thread() is gui)))
    with qtbot.waitSignal(w.finished, timeout=3000):
        w.start()
    assert got == [0, 1, 2, ("result", 6)]
    assert all(where)

    errors: list[BaseException] = []

    def boom() -> None:
        raise UserFacingError("读卡器未连接", detail="test")

    with qtbot.waitSignal(run_in_background(boom, on_error=errors.append).finished, timeout=3000):
        pass
    assert isinstance(errors[0], UserFacingError) and errors[0].message == "读卡器未连接"
