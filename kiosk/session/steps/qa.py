"""Q&A step: the kiosk asks each question; the recogniser hears the answer and the answer
checker decides affirm / deny / unclear. A failed round asks only the open questions again.

Without a recogniser the member of staff at the kiosk (logged in once for the case) confirms
each answer right after it was given: the question, the expected answer and the 是 / 否 the
applicant tapped are put to them one question at a time (`SessionView.staff_decision`); each
decision is its own audit event (`SessionFlow.manual_answer`) and is kept with the question,
so the evidence says per question who decided. The step is then recorded as decided by staff.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.session.listening import listen
from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome
from kiosk.session.view import StaffDecision
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

NO_MODEL = QT_TRANSLATE_NOOP("kiosk", "语音识别模型未安装，请工作人员现场核听回答后确认")
ALL_CONFIRMED = QT_TRANSLATE_NOOP("kiosk", "每一问的回答均由工作人员现场核听确认")
_EXPECT = {"affirm": QT_TRANSLATE_NOOP("kiosk", "是"), "deny": QT_TRANSLATE_NOOP("kiosk", "否")}
_TOUCH = {"yes": QT_TRANSLATE_NOOP("kiosk", "是"), "no": QT_TRANSLATE_NOOP("kiosk", "否")}


def run(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    from kiosk.speech import answer_grammar, check_answer

    script = env.script(rec.party)
    label = env.party_label(rec.party)
    engine = env.speech_engine
    if engine is None:
        return _staff_confirms(env, rec)
    failed: list[str] = []
    for i, q in enumerate(script.questions):
        if i in rec.qa_done and rec.qa_done[i]["passed"]:
            continue
        env.view.show_step(label, "qa", QT_TRANSLATE_NOOP("kiosk", "请回答"), q.ask)
        env.view.guidance(q.ask)
        transcript = listen(env, max_s=8.0, on_partial=lambda t: env.view.transcript(t),
                            grammar=answer_grammar(engine, q.ask), mute_s=0.25 * len(q.ask))
        verdict = check_answer(q.ask, transcript.text, q.expect)
        touch = env.view.answer_touched()
        rec.qa_done[i] = {"ask": q.ask, "expect": q.expect, "asr": transcript.to_json(), **verdict.to_json(),
                          **({"touch": touch} if touch else {})}
        if not verdict.passed:
            failed.append(q.ask)
    rec.qa = [rec.qa_done[i] for i in sorted(rec.qa_done)]
    if failed:
        return StepOutcome(False, QT_TRANSLATE_NOOP("kiosk", "未能确认您的回答，请再回答一次"), detail={"unanswered": len(failed)})
    return StepOutcome(True, detail={"questions": len(script.questions)})


def staff_question(number: int, ask: str, expect: str, touch: str | None) -> str:
    """What the staff read before deciding one answer."""
    tapped = _TOUCH.get(touch or "", QT_TRANSLATE_NOOP("kiosk", "未点选"))
    return fmt(QT_TRANSLATE_NOOP("kiosk", "第{number}问：{ask}\n应答为：{expect}；申请人触屏作答：{tapped}\n（{no_model}）"),
               no_model=NO_MODEL, number=number, ask=ask, expect=_EXPECT.get(expect, expect), tapped=tapped)


def _staff_confirms(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    script = env.script(rec.party)
    label = env.party_label(rec.party)
    last: StaffDecision | None = None
    for i, q in enumerate(script.questions):
        done = rec.qa_done.get(i)
        if done is not None and done.get("staff_decision", {}).get("outcome") == "manual_pass":
            continue
        while True:
            env.view.show_step(label, "qa", QT_TRANSLATE_NOOP("kiosk", "请回答"), q.ask)
            env.view.guidance(q.ask)
            heard = listen(env, max_s=8.0, mute_s=0.25 * len(q.ask))
            touch = env.view.answer_touched()
            decision = env.view.staff_decision(staff_question(i + 1, q.ask, q.expect, touch),
                                               ["retry", "manual_pass", "manual_fail", "abort"],
                                               cause="no_speech_model")
            env.check_cancel()
            session = env.staff_session()  # read after the decision: the first one may have logged in
            item: dict[str, Any] = {"ask": q.ask, "expect": q.expect, "verdict": None, "passed": None,
                                    "voice": heard, "note": QT_TRANSLATE_NOOP("kiosk", "语音识别模型未安装，由工作人员现场核听"),
                                    **({"touch": touch} if touch else {})}
            if decision.action == "abort":
                return StepOutcome(False, decision.reason, manual=decision, cause="no_speech_model")
            passed = {"manual_pass": True, "manual_fail": False}.get(decision.action)
            env.flow.manual_answer(i + 1, passed, decision.staff_id, decision.reason, staff_session=session)
            item["staff_decision"] = {"outcome": decision.action if passed is not None else "retry",
                                      "staff": decision.staff_id, "reason": decision.reason,
                                      "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                                      **({"staff_session": session} if session else {})}
            if passed is not None:
                item["passed"] = passed
            rec.qa_done[i] = item
            rec.qa = [rec.qa_done[k] for k in sorted(rec.qa_done)]
            last = decision
            if passed is None:
                continue  # staff asked for the question again
            if not passed:
                return StepOutcome(False, decision.reason, manual=decision, cause="no_speech_model")
            break
    # the step's own decision names who confirmed the last answer and why (each answer names its own)
    final: dict[str, Any] = next((d["staff_decision"] for d in reversed(rec.qa) if d.get("staff_decision")), {})
    staff = last.staff_id if last is not None else str(final.get("staff") or "")
    why = (last.reason if last is not None else str(final.get("reason") or "")).split("\n")[0]
    return StepOutcome(True, NO_MODEL, manual=StaffDecision("manual_pass", staff or "?",
                                                            f"{ALL_CONFIRMED}：{why}" if why else ALL_CONFIRMED),
                       cause="no_speech_model", detail={"questions": len(script.questions)})
