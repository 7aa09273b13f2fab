"""English is complete: no unfinished entry, and the screens show no Chinese in English mode."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTextBrowser, QWidget

from devices.owner import KIND_ZH
from kiosk.identity.liveness import ACTION_PROMPTS
from kiosk.model import ROLES, BusinessType
from kiosk.platform.client import _MESSAGES, PlatformError
from kiosk.security.pin import PinLocked
from kiosk.texts import KIOSK, QT_TRANSLATE_NOOP, fmt, joined
from ui import theme
from ui.app import install_translation
from ui.kiosk.applicant_window import ApplicantWindow
from ui.kiosk_texts import kiosk_text
from ui.session_bridge import QtSessionView
from ui.voice import Voice
from ui.workers import error_text

I18N = theme.RESOURCES / "i18n"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


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


def test_every_source_text_of_ui_kiosk_and_devices_is_in_the_ts(tmp_path):
    """lupdate over ui/, kiosk/ and devices/ finds nothing new: every marked text is under
    translation (`kiosk/` and `devices/` mark theirs with the Qt-free `QT_TRANSLATE_NOOP` of
    `devices.texts`, context "kiosk")."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    ts = tmp_path / "check.ts"
    ts.write_bytes((I18N / "bdc_kiosk_en.ts").read_bytes())
    root = theme.RESOURCES.parent
    files = sorted(str(p) for d in ("ui", "kiosk", "devices") for p in (root / d).rglob("*.py"))
    run = subprocess.run([str(lupdate), *files, "-ts", str(ts), "-source-language", "zh_CN",
                          "-target-language", "en", "-no-obsolete"], check=True, capture_output=True, text=True)
    assert "(0 new" in run.stdout, run.stdout
    # and nothing in the shipped catalogue is left over from texts that no longer exist
    assert ts.read_bytes().count(b"<message") == (I18N / "bdc_kiosk_en.ts").read_bytes().count(b"<message")


def test_every_marked_kiosk_text_is_translated_with_its_placeholders(english):
    """Each text of context "kiosk" comes back in English from the loaded .qm, keeping every
    {placeholder} of a run-time formatted text, so `kiosk_text` can format the translation."""
    root = ET.parse(I18N / "bdc_kiosk_en.ts").getroot()
    kiosk = [c for c in root.iter("context") if c.findtext("name") == KIOSK]
    sources = [m.findtext("source") or "" for c in kiosk for m in c.iter("message")]
    assert len(sources) > 250  # roles, business types, guidance, escalation reasons, errors, settings
    untranslated = [s for s in sources if CJK.search(s) and QCoreApplication.translate(KIOSK, s) == s]
    assert not untranslated, untranslated
    for s in sources:
        assert set(PLACEHOLDER.findall(QCoreApplication.translate(KIOSK, s))) == set(PLACEHOLDER.findall(s)), s
    # the device names `devices/` reports (marked there with `devices.texts`) are among them
    assert set(KIND_ZH.values()) <= set(sources)
    assert set(ROLES) <= set(sources) and {b.value for b in BusinessType} <= set(sources)
    assert set(ACTION_PROMPTS.values()) <= set(sources)


def test_kiosk_texts_reach_the_screen_in_english(english):
    """A formatted text is translated from its template, its marked arguments too; names stay."""
    label = fmt(QT_TRANSLATE_NOOP("kiosk", "{role} {name}（经办人）"), role=ROLES[0], name="王*兰")
    assert label == "权利人 王*兰（经办人）"  # what logs and the audit see
    assert kiosk_text(label) == "Right holder 王*兰 (agent)"
    lost = fmt(QT_TRANSLATE_NOOP("kiosk", "{device}连接中断，请稍候或联系工作人员（{problem}）"),
               device=KIND_ZH["camera"], problem="USB")
    assert kiosk_text(lost) == "The camera connection was lost. Please wait or ask a member of staff (USB)"
    assert kiosk_text(joined("\n", [label, "LH2026-000123"])) == "Right holder 王*兰 (agent)\nLH2026-000123"
    assert kiosk_text(BusinessType.RESALE_TRANSFER.value) == "Transfer registration (resale house)"
    assert kiosk_text(PinLocked(120).message) == "Too many wrong PINs; locked. Please try again in 2 min"
    assert error_text(PlatformError(_MESSAGES["case_not_found"], code="case_not_found")).startswith("No case")
    from devices.idcard.sim import SimulatedIdCardReader

    reader = SimulatedIdCardReader(None)
    reader.disconnect()
    with pytest.raises(Exception) as unplugged:
        reader.open()
    assert error_text(unplugged.value) == "The ID card reader is not connected. Please check the cable"
    assert kiosk_text("王秀兰") == "王秀兰"
    # a device's own message (devices/owner.py), as the session passes it on
    unplugged = fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已断开，请检查连接线"), device=KIND_ZH["idcard"])
    assert kiosk_text(unplugged) == "The ID card reader is disconnected. Please check the cable"


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
        shown = [t for t in texts if CJK.search(t) and t != "中文"]  # the language button, by design
        assert not shown, (key, shown)
    assert w.welcome.button.text() == "Touch here to start"
    # a fixed runner text arrives translated through the bridge
    assert QCoreApplication.translate(KIOSK, "请将身份证放在读卡区") == "Place your ID card on the reader"
    with qtbot.waitSignal(view.guidance_shown, timeout=2000) as sig:
        view.guidance("请正视摄像头", "look_at_camera")
    assert sig.args[0] == "Look straight at the camera"


# fields of the case whose values are texts the kiosk itself translates (kiosk.model marks them)
KIOSK_TRANSLATES = ("role", "business_type", "id_type")


def _case_texts(case_no: str) -> list[str]:
    """The Chinese the platform sends with the demo case (names, addresses, document titles, the
    notice, statement and questions), its sentences, and the masked names shown for its parties."""
    from kiosk.platform.demo import CASES
    from kiosk.privacy import mask_name
    from kiosk.speech.normalize import split_sentences
    from refplatform.demo_seed import build_case

    data, _docs = build_case(next(c for c in CASES if c.case_no == case_no))
    leaves: list[str] = []

    def walk(x: object, key: str = "") -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
        elif isinstance(x, str) and CJK.search(x) and key not in KIOSK_TRANSLATES:
            leaves.append(x)
            if key == "name":
                leaves.append(mask_name(x))
            leaves.extend(split_sentences(x))
    walk(data)
    return sorted(set(leaves), key=len, reverse=True)


def _shown_texts(w: QWidget) -> list[str]:
    texts = [x.text() for x in w.findChildren(QLabel) + w.findChildren(QAbstractButton) if x.isVisible()]
    texts += [x.toPlainText() for x in w.findChildren(QTextBrowser) if x.isVisible()]
    step_bar = getattr(w, "step_bar", None)
    if step_bar is not None and step_bar.isVisible():
        texts.append(step_bar.party)
    return texts


def test_a_two_party_demo_session_in_english_shows_no_chinese(qtbot, state, english, shots):
    """The whole demo case by touch in English: no widget ever shows Chinese except the case
    data the platform sends in Chinese (names, addresses, titles, the texts to read aloud)."""
    from main import embedded_platform
    from ui.app import build_windows, show_windows
    from ui.kiosk.walkthrough import walk_case

    settings, paths = state
    settings.ui.language = "en"
    settings.session.idle_timeout_s = 1800
    (shots / "walk-en").mkdir(exist_ok=True)
    allowed = _case_texts("LH2026-000123")
    windows = build_windows("kiosk", settings, paths, demo=True, windowed=True, platform_factory=embedded_platform)
    shell, control = windows["main"], windows["control"]
    qtbot.addWidget(shell)
    shell.resize(1280, 800)
    show_windows(windows, "kiosk", settings, windowed=True)
    found: dict[str, set[str]] = {}

    def look(page: str) -> None:
        # the one text that is Chinese by design: the language button names 中文 in Chinese
        shown = [t for t in _shown_texts(shell.applicant) if t != "中文"]
        if shell.staff_dialog is not None and shell.staff_dialog.isVisible():
            shown += _shown_texts(shell.staff_dialog)
            if page == "staff_decision" and not (shots / "kiosk-staff-decision-en.png").exists():
                shell.staff_dialog.grab().save(str(shots / "kiosk-staff-decision-en.png"))
        for text in shown:
            rest = text
            for a in allowed:
                rest = rest.replace(a, "")
            if CJK.search(rest):
                found.setdefault(page, set()).add(text)

    try:
        with qtbot.waitSignal(control.ready, timeout=120_000):
            pass
        look("welcome")
        walk = walk_case(shell, "2026000123", click=lambda b: qtbot.mouseClick(b, Qt.MouseButton.LeftButton),
                         wait=qtbot.wait, look=look, shot_dir=shots / "walk-en")
        assert not found, found
        assert shell.applicant.result_page.ok
        assert {"identity", "notice", "statement", "signing", "review"} <= set(walk.pages), walk.pages
        assert walk.manual_decisions >= 2  # the staff dialog was read too
    finally:
        control.cancel("test_end")
        qtbot.waitUntil(lambda: not control.busy, timeout=60_000)
        control.close()
        shell.leave_kiosk()


def test_the_welcome_screen_switches_language_at_run_time(qtbot, shots):
    """中文 / English on the welcome screen: the translation is installed, the pages are built
    again in it, widgets already built retranslate; and back."""
    from ui.app import installed_language

    view = QtSessionView()
    w = ApplicantWindow(view, Voice(enabled=False), intake=True)
    w.setStyleSheet(theme.stylesheet(26))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.go("welcome", speak=False)
    assert w.welcome.button.text() == "请触摸这里开始办理" and w.welcome.language_button.text() == "English"
    w.grab().save(str(shots / "kiosk-welcome-zh.png"))
    try:
        with qtbot.waitSignal(w.language_changed, timeout=2000):
            qtbot.mouseClick(w.welcome.language_button, Qt.MouseButton.LeftButton)
        assert installed_language() == "en" and w.current_key == "welcome"
        assert w.welcome.button.text() == "Touch here to start"
        assert w.welcome.language_button.text() == "中文"
        shown = [t for t in _shown_texts(w.welcome) if t != "中文"]
        assert shown and not [t for t in shown if CJK.search(t)], shown
        # widgets built before retranslate on the LanguageChange event (posted: the next turn)
        qtbot.waitUntil(lambda: not CJK.search(w.pause_cover.text() + w.countdown.button.text()), timeout=2000)
        # the next screens are built in English too
        w.go("intake", speak=False)
        assert not [t for t in _shown_texts(w.pages["intake"]) if CJK.search(t)]
        w.go("welcome", speak=False)
        qtbot.wait(50)
        w.grab().save(str(shots / "kiosk-welcome-en.png"))
        with qtbot.waitSignal(w.language_changed, timeout=2000):
            qtbot.mouseClick(w.welcome.language_button, Qt.MouseButton.LeftButton)
        assert installed_language() == "zh_CN"
        assert w.welcome.button.text() == "请触摸这里开始办理" and w.welcome.language_button.text() == "English"
        qtbot.waitUntil(lambda: w.pause_cover.text() == "工作人员已暂停办理，请稍候", timeout=2000)
    finally:
        install_translation(QApplication.instance(), "zh_CN")


def test_the_self_test_lines_follow_the_ui_language(english, state, tmp_path):
    from types import SimpleNamespace

    from ui.technician.tabs.export import system_checks

    settings, paths = state
    names = {"speech": "speech", "platform": "platform", "disk": "disk", "outbox": "outbox", "enrolment": "enrolment"}
    assert {c["detail"] for c in system_checks(None, settings, paths.root, names)} == {"Devices not ready yet"}

    class Client:
        enrolled = False

        def health(self) -> dict:
            raise PlatformError(_MESSAGES["unknown_device"], code="unknown_device")

    ctx = SimpleNamespace(speech_engine=None, speech_problem="", client=Client(), outbox=SimpleNamespace(items=list))
    lines = {c["name"]: c["detail"] for c in system_checks(ctx, settings, paths.root, names)}
    assert lines["speech"] == "Not installed" and lines["outbox"] == "empty"
    assert lines["platform"].startswith("This kiosk is not registered") and lines["enrolment"].startswith("Not registered")
    assert "MB free (minimum" in lines["disk"]
    assert not any(CJK.search(x) for x in lines.values()), lines


def test_a_refused_setting_is_explained_in_english(english):
    """The config schema's problems (names, bounds, allowed values, the address checks) come
    back in English, the setting's name cut from its translated description."""
    from kiosk.config import ConfigError, Settings, parse_settings

    data = Settings().model_dump(mode="json")
    data["identity"]["frames_for_decision"] = 99
    data["ui"]["language"] = "fr"
    data["platform"]["url"] = "ftp://example.org"
    data["session"]["no_such_thing"] = 1
    with pytest.raises(ConfigError) as err:
        parse_settings(data, "test")
    chinese = "\n".join(err.value.problems)
    assert "判定所用合格帧数（identity.frames_for_decision）: 数值太大" in chinese  # as before, in Chinese
    assert "允许值 'zh_CN'、'en'" in chinese
    lines = [kiosk_text(p) for p in err.value.problems]
    assert not [line for line in lines if CJK.search(line)], lines
    text = "\n".join(lines)
    assert "Good frames needed for a decision (identity.frames_for_decision): value too large (now 99; allowed 1…15)" in text
    assert "allowed values 'zh_CN', 'en'" in text and "must start with https://" in text
    assert "session.no_such_thing: unknown setting" in text
