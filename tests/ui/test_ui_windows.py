"""Counter and technician windows: built as the app builds them, driven, and photographed;
the technician's exports are checked as files (masked zip, PDF read back with poppler)."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from kiosk.session.view import StaffDecision
from ui.counter.staff_window import StaffWindow
from ui.session_bridge import QtSessionView
from ui.session_control import SessionControl
from ui.technician.console import TechnicianConsole
from ui.technician.exports import export_logs, selftest_pdf
from ui.voice import Voice


def test_staff_window_escalation_needs_a_reason(qtbot, state, shots, worker_thread):
    settings, _ = state
    view = QtSessionView()
    control = SessionControl(view, lambda: None)
    w = StaffWindow(control, Voice(enabled=False), settings, demo=True)
    qtbot.addWidget(w)
    qtbot.addWidget(w.customer)
    w.resize(1400, 900)
    w.show()
    w.customer.resize(1280, 800)
    w.customer.show()
    w.staff = {"name": "张敏"}
    control.staff_id = "0001"
    w._update_buttons()
    assert not w.pass_button.isEnabled(), "nothing to decide yet"
    with qtbot.waitSignal(view.staff_decision_requested, timeout=2000):
        worker_thread.call(view.staff_decision, "陈述：语音识别模型未安装", ["retry", "manual_pass", "manual_fail", "abort"])
    assert w.pass_button.isEnabled() and w.customer.current_key == "escalation"
    assert not w.customer.escalation.buttons.isVisible(), "at the counter the applicant does not decide"
    w.grab().save(str(shots / "20_staff_window.png"))
    w.customer.grab().save(str(shots / "21_customer_escalation.png"))
    qtbot.mouseClick(w.pass_button, Qt.MouseButton.LeftButton)
    assert "原因" in w.message.text(), "a manual decision without a reason is refused"
    w.reason.setCurrentText("工作人员现场核听朗读/回答无误")
    with qtbot.waitSignal(view.request_closed, timeout=2000):
        qtbot.mouseClick(w.pass_button, Qt.MouseButton.LeftButton)
    worker_thread.join()
    assert worker_thread.results[-1] == StaffDecision("manual_pass", "0001", "工作人员现场核听朗读/回答无误")
    assert not w.pass_button.isEnabled()


def test_technician_console_tabs_and_exports(qtbot, state, shots):
    settings, paths = state
    control = SimpleNamespace(ctx=None, busy=False)
    c = TechnicianConsole(settings, paths, control=control, demo=True)
    qtbot.addWidget(c)
    c.show()
    for i in range(c.tabs.count()):
        c.tabs.setCurrentIndex(i)
        c.grab().save(str(shots / f"3{i}_technician_tab{i}.png"))
    c.devices.start_camera()
    assert "设备尚未就绪" in c.devices.camera_fps.text()
    # thresholds: the edited value goes through the config schema into config.toml
    c.thresholds.setting_widgets[("identity", "match_threshold")].setValue(0.45)
    c.thresholds.save_settings()
    assert paths.config.exists() and "0.45" in paths.config.read_text()
    # the face engine's calibrated threshold survives a save unrounded
    assert c.thresholds.setting_widgets[("identity", "openvino_threshold")].value() == settings.identity.openvino_threshold


def test_log_export_masks_id_numbers(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.jsonl").write_text('{"msg": "card 411102198001010019 read"}\n', encoding="utf-8")
    out = export_logs(logs, tmp_path / "exports")
    with zipfile.ZipFile(out) as zf:
        text = zf.read("kiosk.jsonl").decode()
    assert "411102198001010019" not in text and "4111**********0019" in text
    assert oct(out.stat().st_mode & 0o777) == "0o600"


@pytest.mark.media
def test_selftest_report_is_a_readable_pdf(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    pdf = selftest_pdf(tmp_path, "LH-KIOSK-0001", "0.1.0",
                       [{"name": "签字板", "ok": True, "detail": "690 个采样点"},
                        {"name": "身份证读卡器", "ok": False, "detail": "411102198001010019 超时"}],
                       [("identity.match_threshold", "0.5")])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "自检报告" in text and "LH-KIOSK-0001" in text and "签字板" in text
    assert "411102198001010019" not in text


def test_counter_speaks_chinese_shows_the_pause_to_the_customer_and_resets_clean(qtbot, state, shots, worker_thread):
    import re

    settings, _ = state
    view = QtSessionView()
    control = SessionControl(view, lambda: None)
    w = StaffWindow(control, Voice(enabled=False), settings, demo=True)
    qtbot.addWidget(w)
    qtbot.addWidget(w.customer)
    w.show()
    w.customer.show()
    w.case = SimpleNamespace(case_no="LH2026-000123", parties=[SimpleNamespace(party_id="p1", role="义务人"),
                                                                SimpleNamespace(party_id="p2", role="权利人")])
    w.case_label.setText(w.case.case_no)
    w.parties.setRowCount(len(w.case.parties))
    p1 = w.case.parties[0].party_id
    events = [{"kind": "case_loaded", "ts": "2026-12-01T10:00:00"},
              {"kind": "step_started", "party_id": p1, "step": "identity", "ts": "2026-12-01T10:00:01"},
              {"kind": "step_result", "party_id": p1, "step": "identity", "outcome": "passed",
               "ts": "2026-12-01T10:00:09"},
              {"kind": "paused", "by": "staff:0001", "ts": "2026-12-01T10:00:10"}]
    with qtbot.waitSignal(view.audit_event, timeout=2000, check_params_cb=lambda e: e["kind"] == "paused"):
        worker_thread.call(lambda: [view.session_event(e) for e in events])
    lines = [w.events.item(i).text() for i in range(w.events.count())]
    assert len(lines) == 4
    for line in lines:
        assert not re.search(r"[a-z_]{4,}", line), f"debug text on the staff screen: {line}"
    assert "身份核验" in lines[2] and "通过" in lines[2]
    assert w.customer.pause_cover.isVisible() and "暂停" in w.customer.pause_cover.text()
    w.grab().save(str(shots / "22_staff_window_log.png"))
    w.customer.grab().save(str(shots / "23_customer_paused.png"))
    with qtbot.waitSignal(view.audit_event, timeout=2000):
        worker_thread.call(view.session_event, {"kind": "resumed", "ts": "2026-12-01T10:00:20"})
    assert not w.customer.pause_cover.isVisible()
    done = SimpleNamespace(status="completed", message="completed and uploaded", queued=False)
    assert w._outcome_text(done) == "办理完成，材料已上传"
    w.clear_case()
    assert w.case is None and w.parties.rowCount() == 0 and w.events.count() == 0 and not w.case_label.text()
    assert not w.start_button.isEnabled(), "no second start of the finished case"


def test_selftest_checks_what_the_kiosk_can_do_now(tmp_path, state):
    """Speech model, platform reachability, disk and outbox are measured when the report is made:
    an unreachable platform (a closed port on loopback) fails, a missing model fails."""
    import socket

    from ui.technician.tabs.export import system_checks

    settings, paths = state
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there

    class Unreachable:
        enrolled = True  # enrolled earlier, unreachable now

        def health(self) -> dict:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return {}

    class Outbox:
        def items(self) -> list:
            return [SimpleNamespace(state="acked"), SimpleNamespace(state="failed")]

    ctx = SimpleNamespace(speech_engine=None, speech_problem="未找到中文语音模型", client=Unreachable(),
                          platform_url=f"https://127.0.0.1:{port}", outbox=Outbox())
    names = {"speech": "中文语音模型", "platform": "平台连通", "disk": "磁盘空间", "outbox": "上传队列",
             "enrolment": "平台注册"}
    checks = {c["name"]: c for c in system_checks(ctx, settings, paths.root, names)}
    assert set(checks) == set(names.values())
    assert not checks["中文语音模型"]["ok"] and "未找到" in checks["中文语音模型"]["detail"]
    assert not checks["平台连通"]["ok"]
    assert checks["平台注册"]["ok"] and "已注册" in checks["平台注册"]["detail"], "an earlier enrolment is reported"
    Unreachable.enrolled = False
    assert not {c["name"]: c for c in system_checks(ctx, settings, paths.root, names)}["平台注册"]["ok"]
    assert checks["磁盘空间"]["ok"] == (int(checks["磁盘空间"]["detail"].split(" ")[0]) >= settings.session.min_free_disk_mb)
    assert not checks["上传队列"]["ok"] and "failed 1" in checks["上传队列"]["detail"]
    assert all(not c["ok"] for c in system_checks(None, settings, paths.root, names))


def test_counter_shows_the_upload_queue(qtbot, state, tmp_path):
    """The clerk sees how many packages still wait to upload (read off the GUI thread)."""
    import sys
    from pathlib import Path

    from kiosk.platform.outbox import Outbox
    from kiosk.security.keys import DeviceKeys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
    from platform_fixtures import make_package

    settings, _ = state
    keys = DeviceKeys(tmp_path / "keys")
    keys.ensure_demo_certificate("LH-KIOSK-0001")
    outbox = Outbox(tmp_path / "outbox", keys.cipher())
    control = SessionControl(QtSessionView(), lambda: None)
    control.ctx = SimpleNamespace(outbox=outbox)
    w = StaffWindow(control, Voice(enabled=False), settings, demo=True)
    qtbot.addWidget(w)
    qtbot.addWidget(w.customer)
    try:
        w.refresh_queue()  # hidden: the outbox is not read
        assert w.queue_label.text() == ""
        w.show()
        w.refresh_queue()
        qtbot.waitUntil(lambda: w.queue_label.text() == "证据包已全部上传", timeout=5000)
        for n in range(2):
            pkg = make_package(keys, tmp_path / f"pkg{n}", f"LH2026-000123-LH-KIOSK-0001-2026120110000{n}-queue")
            outbox.enqueue(pkg, pkg.name, "LH2026-000123")
        w.refresh_queue()
        assert len(outbox.items()) == 2
        qtbot.waitUntil(lambda: w.queue_label.text().startswith("待上传证据包：2 个"), timeout=5000)
    finally:
        outbox.close()
