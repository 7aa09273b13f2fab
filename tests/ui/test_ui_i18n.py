"""English is complete: no unfinished entry, and the screens show no Chinese in English mode."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from ui import theme
from ui.app import install_translation
from ui.kiosk.applicant_window import ApplicantWindow
from ui.session_bridge import QtSessionView
from ui.voice import Voice

I18N = theme.RESOURCES / "i18n"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_english_ts_is_complete_and_the_qm_is_current(tmp_path):
    root = ET.parse(I18N / "bdc_kiosk_en.ts").getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 200
    for m in messages:
        tr = m.find("translation")
        assert tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished"), m.find("source").text
        text = "".join(tr.itertext())
        assert text.strip() and not CJK.search(text), m.find("source").text
    # the shipped .qm is what lrelease makes from the .ts today
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    out = tmp_path / "en.qm"
    subprocess.run([str(lrelease), str(I18N / "bdc_kiosk_en.ts"), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (I18N / "bdc_kiosk_en.qm").read_bytes()


def test_every_source_text_of_ui_is_in_the_ts(tmp_path):
    """lupdate over ui/ finds nothing new: every user-visible literal is under translation."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    ts = tmp_path / "check.ts"
    ts.write_bytes((I18N / "bdc_kiosk_en.ts").read_bytes())
    ui_dir = theme.RESOURCES.parent / "ui"
    files = sorted(str(p) for p in ui_dir.rglob("*.py"))
    run = subprocess.run([str(lupdate), *files, "-ts", str(ts), "-source-language", "zh_CN",
                          "-target-language", "en"], check=True, capture_output=True, text=True)
    assert "(0 new" in run.stdout, run.stdout


@pytest.fixture
def english(qapp):
    app = QApplication.instance()
    assert install_translation(app, "en")
    yield
    install_translation(app, "zh_CN")


def test_static_screens_show_no_chinese_in_english(qtbot, english):
    view = QtSessionView()
    w = ApplicantWindow(view, Voice(enabled=False), intake=True)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    for key in ("welcome", "intake"):
        w.go(key, speak=False)
        page = w.pages[key]
        texts = [x.text() for x in page.findChildren(QLabel) + page.findChildren(QAbstractButton)
                 if x.isVisibleTo(page)]
        shown = [t for t in texts if CJK.search(t)]
        assert not shown, (key, shown)
    assert w.welcome.button.text() == "Touch here to start"
    # a fixed runner text arrives translated through the bridge
    assert QCoreApplication.translate("session", "请将身份证放在读卡区") == "Place your ID card on the reader"
    with qtbot.waitSignal(view.guidance_shown, timeout=2000) as sig:
        view.guidance("请正视摄像头", "look_at_camera")
    assert sig.args[0] == "Look straight at the camera"
