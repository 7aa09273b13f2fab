"""The counter with the two-party demo case from the embedded reference platform: the party
table fits a 1280 px staff screen in Chinese and in English (no role or status cut off, names
masked), and the case a counter receives greets the customer as a counter, not as a kiosk."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidgetItem

from kiosk.platform.demo import DEMO_CASE_NO, DEMO_STAFF_LOGIN
from main import embedded_platform
from ui.app import build_windows, install_translation

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def counter(qtbot, state, request):
    settings, paths = state
    language = getattr(request, "param", "zh_CN")
    assert install_translation(QApplication.instance(), language)
    windows = build_windows("counter", settings, paths, demo=True, windowed=True, platform_factory=embedded_platform)
    w, control = windows["main"], windows["control"]
    qtbot.addWidget(w)
    qtbot.addWidget(w.customer)
    w.resize(1280, 1024)
    w.show()
    with qtbot.waitSignal(control.ready, timeout=120_000):
        pass
    w.staff_no.setText(DEMO_STAFF_LOGIN[0])
    w.staff_pin.setText(DEMO_STAFF_LOGIN[1])
    qtbot.mouseClick(w.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.staff is not None, timeout=30_000)
    yield w, control
    control.close()
    install_translation(QApplication.instance(), "zh_CN")


def _load_case(qtbot, w):
    w.case_no.setText(DEMO_CASE_NO)
    qtbot.mouseClick(w.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.parties.rowCount() == 2, timeout=30_000)


def _cut_off(w) -> list[str]:
    """Cells (and headers) whose text is wider than their column."""
    t = w.parties
    fm, hfm = t.fontMetrics(), t.horizontalHeader().fontMetrics()
    out = []
    for c in range(t.columnCount()):
        width = t.columnWidth(c)
        if hfm.horizontalAdvance(t.horizontalHeaderItem(c).text()) + 8 > width:
            out.append(t.horizontalHeaderItem(c).text())
        for r in range(t.rowCount()):
            item = t.item(r, c)
            if item is not None and fm.horizontalAdvance(item.text()) + 8 > width:
                out.append(item.text())
    # the table itself fits its box: no horizontal scrolling needed
    if t.horizontalHeader().length() > t.viewport().width() + 1:
        out.append(f"table {t.horizontalHeader().length()} > {t.viewport().width()}")
    return out


@pytest.mark.parametrize("counter", ["zh_CN", "en"], indirect=True)
def test_party_table_fits_and_masks_names(qtbot, counter, shots):
    w, _control = counter
    language = "en" if w.search_button.text() == "Search" else "zh_CN"
    _load_case(qtbot, w)
    names = [w.parties.item(r, 1).text() for r in range(2)]
    assert all("*" in n for n in names), names  # masked
    # the widest status in every step column: nothing may be cut off at 1280 px
    for r in range(2):
        for c, outcome in enumerate(("manual_fail", "manual_pass", "running", "passed", "failed")):
            w._mark(w.case.parties[r].party_id, ("identity", "notice", "statement", "qa", "signing")[c], outcome)
    qtbot.wait(50)
    assert not _cut_off(w), _cut_off(w)
    if language == "en":
        roles = [w.parties.item(r, 0).text() for r in range(2)]
        assert not any(CJK.search(x) for x in roles + [w.case_label.text().split(" · ")[1]]), roles
    # as the table looks in the middle of a case, for the manual
    for c in range(2, w.parties.columnCount()):
        w.parties.setItem(0, c, QTableWidgetItem("—"))
        w.parties.setItem(1, c, QTableWidgetItem("—"))
    p1 = w.case.parties[0].party_id
    for step, outcome in (("identity", "passed"), ("notice", "passed"), ("statement", "manual_pass"), ("qa", "running")):
        w._mark(p1, step, outcome)
    w.grab().save(str(shots / ("counter.png" if language == "zh_CN" else "counter-en.png")))


def test_a_counter_receives_a_notice_that_greets_as_a_counter(qtbot, counter):
    w, control = counter
    _load_case(qtbot, w)
    notices = [s.notice for s in w.case.scripts.values()]
    assert notices and all("窗口工作人员" in n and "自助终端" not in n for n in notices), notices
    # a kiosk, where the applicant is alone, still greets as a kiosk
    from refplatform.demo_seed import COUNTER_GREETING, KIOSK_GREETING, for_counter

    kiosk_case = {"scripts": {"p1": {"notice": f"王*兰您好，{KIOSK_GREETING}。"}}}
    assert for_counter(kiosk_case)["scripts"]["p1"]["notice"] == f"王*兰您好，{COUNTER_GREETING}。"
    assert kiosk_case["scripts"]["p1"]["notice"] == f"王*兰您好，{KIOSK_GREETING}。"
