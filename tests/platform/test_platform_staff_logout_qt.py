"""A clerk who logs out at the counter takes the platform staff session with them: the next case
lookup from that counter carries no staff token and is refused for lack of presence."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from platform_fixtures import make_kiosk
from PySide6.QtCore import Qt

from kiosk.config import load_config
from kiosk.platform import PlatformError
from kiosk.platform.demo import DEMO_CASE_NO, DEMO_STAFF_LOGIN
from refplatform import ReferencePlatform
from ui.counter.staff_window import StaffWindow
from ui.session_bridge import QtSessionView
from ui.session_control import SessionControl
from ui.voice import Voice


def test_counter_logout_ends_the_staff_session_for_case_lookups(qtbot, tmp_path: Path) -> None:
    srv = ReferencePlatform(tmp_path / "pf", demo=True, require_presence=True)
    srv.start()
    k = make_kiosk(tmp_path / "k", srv.url)
    try:
        settings, _ = load_config(tmp_path / "state", None)
        control = SessionControl(QtSessionView(), lambda: None)
        control.ctx = SimpleNamespace(client=k.client)
        w = StaffWindow(control, Voice(enabled=False), settings, demo=True)
        qtbot.addWidget(w)
        qtbot.addWidget(w.customer)
        info = k.client.staff_login(*DEMO_STAFF_LOGIN)
        w.staff, control.staff_id = dict(info), DEMO_STAFF_LOGIN[0]
        w._update_buttons()
        assert k.client.get_case(DEMO_CASE_NO)["case_no"] == DEMO_CASE_NO  # the counter's session is the proof
        assert w.logout_button.isEnabled()
        qtbot.mouseClick(w.logout_button, Qt.MouseButton.LeftButton)
        assert k.client.staff_token is None and k.client.staff_session_id is None
        assert not w.logged_in and w.login_box.isEnabled() and not w.search_button.isEnabled()
        with pytest.raises(PlatformError) as exc:
            k.client.get_case(DEMO_CASE_NO)
        assert exc.value.code == "presence_required" and exc.value.message == "请先将身份证放在读卡区"
    finally:
        k.close()
        srv.close()
