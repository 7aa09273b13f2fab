"""Notice step: the applicant reads (and hears) the notice and confirms it."""
from __future__ import annotations

from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome
from kiosk.texts import QT_TRANSLATE_NOOP


def run(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    script = env.script(rec.party)
    env.view.show_step(env.party_label(rec.party), "notice", QT_TRANSLATE_NOOP("kiosk", "告知事项"), script.notice)
    env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请仔细阅读告知内容，阅读完毕请点击「我已阅读并知晓」"), voice_key="read_notice")
    if env.view.confirm(QT_TRANSLATE_NOOP("kiosk", "告知事项"), script.notice, ok_label=QT_TRANSLATE_NOOP("kiosk", "我已阅读并知晓")):
        return StepOutcome(True, detail={"confirmed": True})
    return StepOutcome(False, QT_TRANSLATE_NOOP("kiosk", "请阅读告知内容后确认"))
