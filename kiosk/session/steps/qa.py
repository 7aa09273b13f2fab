"""Q&A step: the kiosk asks each question; the recogniser hears the answer and the answer
checker decides affirm / deny / unclear. A failed round asks only the open questions again."""
from __future__ import annotations

from kiosk.session.listening import listen
from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome
from kiosk.texts import QT_TRANSLATE_NOOP

NO_MODEL = QT_TRANSLATE_NOOP("kiosk", "语音识别模型未安装，请工作人员现场核听回答后确认")


def run(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    from kiosk.speech import answer_grammar, check_answer

    script = env.script(rec.party)
    label = env.party_label(rec.party)
    engine = env.speech_engine
    if engine is None:
        rec.qa = []
        for q in script.questions:
            env.view.show_step(label, "qa", QT_TRANSLATE_NOOP("kiosk", "请回答"), q.ask)
            env.view.guidance(q.ask)
            heard = listen(env, max_s=8.0, mute_s=0.25 * len(q.ask))
            rec.qa.append({"ask": q.ask, "expect": q.expect, "verdict": None, "passed": None, "voice": heard,
                           "note": QT_TRANSLATE_NOOP("kiosk", "语音识别模型未安装，由工作人员现场核听")})
        return StepOutcome(False, NO_MODEL, escalate=True, cause="no_speech_model")
    failed: list[str] = []
    for i, q in enumerate(script.questions):
        if i in rec.qa_done and rec.qa_done[i]["passed"]:
            continue
        env.view.show_step(label, "qa", QT_TRANSLATE_NOOP("kiosk", "请回答"), q.ask)
        env.view.guidance(q.ask)
        transcript = listen(env, max_s=8.0, on_partial=lambda t: env.view.transcript(t),
                            grammar=answer_grammar(engine, q.ask), mute_s=0.25 * len(q.ask))
        verdict = check_answer(q.ask, transcript.text, q.expect)
        rec.qa_done[i] = {"ask": q.ask, "expect": q.expect, "asr": transcript.to_json(), **verdict.to_json()}
        if not verdict.passed:
            failed.append(q.ask)
    rec.qa = [rec.qa_done[i] for i in sorted(rec.qa_done)]
    if failed:
        return StepOutcome(False, QT_TRANSLATE_NOOP("kiosk", "未能确认您的回答，请再回答一次"), detail={"unanswered": len(failed)})
    return StepOutcome(True, detail={"questions": len(script.questions)})
