"""What the headless operator of `simulate` may decide, and how it is recorded."""
from __future__ import annotations

from kiosk.session.view import HeadlessView

OPTIONS = ["retry", "manual_pass", "manual_fail", "abort"]


def test_operator_passes_only_what_this_environment_cannot_check() -> None:
    view = HeadlessView(staff_id="SIM-STAFF")
    speech = view.staff_decision("陈述：语音识别模型未安装", OPTIONS, cause="no_speech_model")
    assert speech.action == "manual_pass" and speech.staff_id == "SIM-STAFF"
    assert "中文语音模型" in speech.reason
    for cause in ("identity", "device", "attempts", ""):
        assert view.staff_decision("身份核验：动作与提示不符", OPTIONS, cause=cause).action == "abort"
    assert [d["action"] for d in view.decisions] == ["manual_pass"] + ["abort"] * 4
    assert any("undecidable here" in line for line in view.lines)


def test_staff_overrides_pass_other_escalations_by_hand() -> None:
    view = HeadlessView(staff_id="SIM-STAFF", staff_overrides=True)
    decision = view.staff_decision("身份核验：动作与提示不符", OPTIONS, cause="identity")
    assert decision.action == "manual_pass" and "--staff-overrides" in decision.reason
    assert view.staff_decision("x", ["retry", "abort"], cause="identity").action == "abort"
