"""Statement step: the applicant reads the statement aloud; the recogniser checks it sentence
by sentence, and a failed attempt asks for the missing sentences only."""
from __future__ import annotations

from kiosk.session.listening import listen
from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome
from kiosk.texts import QT_TRANSLATE_NOOP

NO_MODEL = QT_TRANSLATE_NOOP("kiosk", "语音识别模型未安装，请工作人员现场核听后确认")


def run(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    from kiosk.speech import match_retry, match_statement, statement_grammar
    from kiosk.speech.matching import statement_done
    from kiosk.speech.spans import spans_from_case

    script = env.script(rec.party)
    label = env.party_label(rec.party)
    env.view.show_step(label, "statement", QT_TRANSLATE_NOOP("kiosk", "请朗读以下内容"), script.statement)
    engine = env.speech_engine
    if engine is None:
        env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请看着屏幕，大声朗读屏幕上的文字"), voice_key="read_statement")
        heard = listen(env, max_s=10 + 0.45 * len(script.statement), mute_key="read_statement")
        rec.transcript = {"prompt": script.statement, "asr": None, "voice": heard,
                          "note": QT_TRANSLATE_NOOP("kiosk", "语音识别模型未安装，陈述由工作人员现场核听")}
        return StepOutcome(False, NO_MODEL, escalate=True, cause="no_speech_model")
    previous = rec.last_match
    if previous is None:
        text, key = script.statement, "read_statement"
        env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请看着屏幕，大声朗读屏幕上的文字"), voice_key=key)
    else:
        text, key = previous.retry_text(), "read_again"
        env.view.show_step(label, "statement", QT_TRANSLATE_NOOP("kiosk", "请再读一遍标出的句子"), text)
        env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请再读一遍标出的句子"), voice_key=key)
    # the case's parties, institutions and roles must be read as written (kiosk.speech.spans)
    critical, spans, min_cov = [rec.party.signer_name], spans_from_case(env.case), env.settings.speech.min_coverage
    transcript = listen(env, max_s=10 + 0.45 * len(text), mute_key=key,
                        on_partial=lambda t: env.view.transcript(t), grammar=statement_grammar(engine, text),
                        is_done=lambda heard: statement_done(text, heard, min_coverage=min_cov, critical=critical,
                                                             spans=spans))
    if previous is None:
        free = transcript.free.text if getattr(transcript, "free", None) else None
        match = match_statement(script.statement, transcript.text, free,
                                min_coverage=min_cov, critical=critical, spans=spans)
    else:
        match = match_retry(previous, transcript.text, critical=critical, spans=spans)
    attempts = rec.transcript.setdefault("attempts", [])
    attempts.append({"prompt": text, "asr": transcript.to_json(), "match": match.to_json()})
    rec.transcript["prompt"] = script.statement
    rec.transcript["final"] = match.to_json()
    if match.passed:
        rec.last_match = None
        return StepOutcome(True, detail={"coverage": round(match.coverage, 3)})
    rec.last_match = match if match.missing else None
    env.view.transcript(transcript.text, [bool(x.get("passed")) for x in match.sentences])
    reason = match.problems[0] if getattr(match, "problems", None) else QT_TRANSLATE_NOOP("kiosk", "朗读内容未能完整识别，请再读一次标出的句子")
    return StepOutcome(False, reason, detail={"coverage": round(match.coverage, 3)})
