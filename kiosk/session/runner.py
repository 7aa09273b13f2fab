"""One registration session, from the case number to the evidence in the outbox.

`SessionRunner.run` is blocking and runs in a worker thread (the Qt app) or the main thread
(`simulate`). It drives the `SessionFlow` with the services — identity, recording, speech,
signing, evidence — and talks to the person only through a `SessionView`. One continuous
recording per party covers identity to signing. Personal data lives in memory and in the
session directory (0700) only until the package is sealed in the encrypted outbox; then the
session directory is wiped.
"""
from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from devices.base import AudioChunk, DeviceDisconnected, DeviceError, Frame, IdCardData, PadEvent, PenPoint
from devices.idcard.basemsg import CardTypeRefused
from kiosk.errors import Cancelled, UserFacingError
from kiosk.flow import Outcome, SessionFlow, State, Step
from kiosk.flow.audit_log import AuditLog
from kiosk.flow.machine import STEP_LABELS
from kiosk.model import Case, Party, parse_case
from kiosk.privacy import SECRETS, mask_id, mask_name
from kiosk.session.capture import KIND_ZH, DeviceHub
from kiosk.session.context import KioskContext
from kiosk.session.recovery import party_progress, save_progress, seal_intake
from kiosk.session.view import SessionView

log = logging.getLogger(__name__)


@dataclass
class StepOutcome:
    ok: bool
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    escalate: bool = False


@dataclass
class SessionOutcome:
    ok: bool
    status: str  # completed | aborted | failed
    message: str
    case_no: str = ""
    package_id: str = ""
    package_dir: Path | None = None
    queued: bool = False
    receipt: dict[str, Any] | None = None


@dataclass
class _PartyRecord:
    party: Party
    identity: dict[str, Any] = field(default_factory=dict)
    recording: Path | None = None
    recording_info: dict[str, Any] = field(default_factory=dict)
    recording_quality: dict[str, Any] = field(default_factory=dict)
    transcript: dict[str, Any] = field(default_factory=dict)
    qa: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[Any] = field(default_factory=list)
    signed_anchors: set[tuple[str, int]] = field(default_factory=set)
    presence: dict[str, Any] = field(default_factory=dict)
    last_match: Any = None  # the statement match awaiting a re-read of its missing sentences
    qa_done: dict[int, dict[str, Any]] = field(default_factory=dict)


class _VoiceActivity:
    """Knows when the applicant has spoken and then fallen silent (end of an utterance)."""

    def __init__(self, threshold_dbfs: float = -38.0) -> None:
        self.threshold = threshold_dbfs
        self.first_voice: float | None = None
        self.last_voice: float | None = None
        self.last_t = 0.0

    def __call__(self, chunk: AudioChunk) -> None:
        pcm = chunk.pcm.astype(np.float32)
        rms = float(np.sqrt(np.mean(pcm * pcm))) if pcm.size else 0.0
        dbfs = 20 * np.log10(max(rms, 1.0) / 32768.0)
        end = chunk.t + len(chunk.pcm) / chunk.rate
        self.last_t = end
        if dbfs > self.threshold:
            if self.first_voice is None:
                self.first_voice = chunk.t
            self.last_voice = end


class SessionRunner:
    def __init__(self, ctx: KioskContext, view: SessionView, *, staff_id: str = "") -> None:
        self.ctx = ctx
        self.view = view
        self.staff_id = staff_id
        s = ctx.settings.session
        self.flow = SessionFlow(idle_timeout_s=s.idle_timeout_s, idle_countdown_s=s.idle_countdown_s)
        self._cancel = threading.Event()
        self._cancel_reason = ""
        self._hub: DeviceHub | None = None
        self._device_ok = threading.Event()
        self._device_ok.set()
        self.case: Case | None = None
        self.documents: dict[str, bytes] = {}
        self.records: dict[str, _PartyRecord] = {}
        self.session_dir: Path | None = None
        self._rng = random.Random(secrets.randbits(64))
        self._sealed = False
        self._started_at = dt.datetime.now().astimezone()

    # ------------------------------------------------------------------ control
    def cancel(self, reason: str = "cancelled") -> None:
        """Abort from another thread (idle timeout, staff, window closed)."""
        self._cancel_reason = reason
        self._cancel.set()
        self._device_ok.set()

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled(self._cancel_reason)

    def _on_device_problem(self, kind: str, message: str | None) -> None:
        label = KIND_ZH.get(kind, kind)
        if message is None:
            self.view.guidance(f"{label}已恢复，继续办理")
            if self._hub is None or self._hub.healthy:
                self._device_ok.set()
        else:
            self._device_ok.clear()
            self.view.guidance(f"{label}连接中断，请稍候或联系工作人员（{message}）")

    def _wait_devices(self) -> None:
        """Pause the flow while a device is unplugged; resume when it is back."""
        if self._device_ok.is_set():
            return
        paused = self.flow.state in (State.PARTY_STEP, State.ESCALATED, State.REVIEW)
        if paused:
            self.flow.pause(by="device")
        while not self._device_ok.wait(0.2):
            self._check_cancel()
        self._check_cancel()
        if paused and self.flow.state is State.PAUSED:
            self.flow.resume(by="device")

    # ------------------------------------------------------------------ run
    def run(self, case_no: str) -> SessionOutcome:
        ctx = self.ctx
        stamp = time.strftime("%Y%m%d%H%M%S")
        self.session_dir = ctx.paths.sessions / f"{case_no}-{stamp}"
        self.session_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.flow.audit = AuditLog(self.session_dir / "audit.jsonl",
                                   context={"case_no": case_no, "kiosk_id": ctx.settings.kiosk_id})
        self.flow.subscribe(lambda _flow, event: self.view.session_event(event))
        self.flow.subscribe(self._progress_event)
        self._check_disk()
        self._recover_interrupted()
        self._hub = DeviceHub(ctx.devices, on_problem=self._on_device_problem)
        self._hub.start()
        outcome: SessionOutcome
        try:
            self._intake(case_no)
            assert self.case is not None
            for party in self.case.parties:
                if self.flow.state in (State.DONE, State.ABORTED):
                    break
                self._run_party(party)
            if self.flow.state is State.REVIEW:
                outcome = self._review_and_submit()
            else:
                outcome = self._finish_aborted(self.flow.abort_reason or "aborted")
        except Cancelled as exc:
            if self.flow.state not in (State.DONE, State.ABORTED):
                self.flow.abort(str(exc) or "cancelled")
            outcome = self._finish_aborted(str(exc))
        except UserFacingError as exc:
            log.warning("session stopped: %s", exc.detail or exc.message)
            if self.flow.state not in (State.DONE, State.ABORTED):
                self.flow.abort(exc.code)
            self.view.result(False, exc.message)
            outcome = self._finish_aborted(exc.code, message=exc.message)
        finally:
            self._hub.stop()
            self._hub = None
            if self.ctx.applicant is not None:
                self.ctx.applicant.leave()
            self._wipe()
        return outcome

    def _recover_interrupted(self) -> None:
        from kiosk.session.recovery import recover_sessions

        ctx = self.ctx
        try:
            recover_sessions(ctx.paths.sessions, keys=ctx.keys, outbox=ctx.outbox, kiosk_id=ctx.settings.kiosk_id,
                             software_version=ctx.software_version, active=self.session_dir)
        except Exception:  # noqa: BLE001 - a failed recovery must not block today's applicant
            log.exception("recovery of interrupted sessions failed")

    def _check_disk(self, *, during: bool = False) -> None:
        """Before a session the full policy threshold must be free; during one, a quarter of it
        (the session's own recording is what is using the rest)."""
        free_mb = shutil.disk_usage(self.ctx.paths.root).free // (1024 * 1024)
        need = self.ctx.settings.session.min_free_disk_mb // (4 if during else 1)
        if free_mb < need:
            raise UserFacingError("本机存储空间不足，暂停办理，请联系工作人员",
                                  detail=f"free {free_mb} MB < {need} MB", code="disk_low")

    # ------------------------------------------------------------------ intake
    def _intake(self, case_no: str) -> None:
        from kiosk.signing import load_pdf_checked

        self.view.show_step("", "intake", "正在获取案件信息", f"受理号 {case_no}")
        data = self.ctx.client.get_case(case_no)
        case = parse_case(data)
        for p in case.parties:
            SECRETS.add_name(p.name)
            if p.id_number:
                SECRETS.add_id(p.id_number)
            if p.agent:
                SECRETS.add_name(p.agent.name)
                SECRETS.add_id(p.agent.id_number)
        for doc in case.documents:
            pdf = self.ctx.client.download_document(doc)
            load_pdf_checked(pdf, doc.sha256)
            self.documents[doc.doc_id] = pdf
        assert self.session_dir is not None
        seal_intake(self.session_dir, self.ctx.keys.cipher(), data, self.documents,
                    self._started_at.isoformat(timespec="seconds"))
        self.case = case
        self.flow.load_case(case)
        log.info("case %s loaded: %s, %d parties, %d documents", case.case_no, case.business_type.value,
                 len(case.parties), len(case.documents))

    # ------------------------------------------------------------------ one party
    def _party_label(self, party: Party) -> str:
        who = mask_name(party.signer_name)
        return f"{party.role} {who}" + ("（经办人）" if party.agent else "")

    def _run_party(self, party: Party) -> None:
        from kiosk.recording import Recorder, RecordingSpec, Watermark, check_recording

        assert self.case is not None and self.session_dir is not None and self._hub is not None
        rec = _PartyRecord(party)
        self.records[party.party_id] = rec
        self._demo_step_up(party)
        path = self.session_dir / f"{party.party_id}.mp4"
        spec = RecordingSpec.from_settings(self.ctx.settings.recording, self.ctx.settings.devices)
        recorder = Recorder(path, spec, Watermark(self.ctx.settings.kiosk_id, self.case.case_no, party.role))
        recorder.start()
        consumer = self._hub.ring.consumer(f"recorder-{party.party_id}", lossless=True)
        feeding, video_thread = _pump(consumer, recorder.push_video, "recorder-feed", 0.2)
        self._hub.add_audio_listener(recorder.push_audio)
        preview = self._hub.ring.consumer(f"preview-{party.party_id}")
        self.view.attach_preview(lambda: preview.get(timeout=0))
        self._presence: Any = None
        try:
            handlers: dict[Step, Callable[[_PartyRecord], StepOutcome]] = {
                Step.IDENTITY: self._identity, Step.NOTICE: self._notice, Step.STATEMENT: self._statement,
                Step.QA: self._qa, Step.SIGNING: self._signing,
            }
            while self.flow.party_id == party.party_id and self.flow.state in (State.PARTY_STEP, State.ESCALATED):
                step = self.flow.step
                assert step is not None
                self._attempt(step, rec, handlers[step])
        finally:
            self.view.attach_preview(None)
            self._hub.remove_audio_listener(recorder.push_audio)
            feeding.clear()
            video_thread.join(timeout=5)
            consumer.close()
            preview.close()
            self._stop_presence(rec)
            rec.recording_info = recorder.stop()
            rec.recording_info["dropped_before_encoder"] = consumer.dropped
            rec.recording = path
        quality = check_recording(path, self.ctx.settings.recording)
        rec.recording_quality = quality.to_json()
        if not quality.passed:
            log.warning("recording of %s below policy: %s", party.party_id, "; ".join(quality.problems))
        if self.ctx.applicant is not None:
            self.ctx.applicant.leave()

    def _attempt(self, step: Step, rec: _PartyRecord, handler: Callable[[_PartyRecord], StepOutcome]) -> None:
        """Run the step until it passes, is decided by staff, or the session ends."""
        party_id = rec.party.party_id
        reason = ""
        while self.flow.party_id == party_id and self.flow.step is step:
            self._check_cancel()
            self._check_disk(during=True)
            self._wait_devices()
            if self.flow.state is State.ESCALATED:
                self._staff_decides(step, reason or "需要工作人员协助")
                continue
            self._wait_unpaused()
            try:
                out = handler(rec)
            except DeviceDisconnected:
                continue  # the hub reported it: `_wait_devices` pauses until the replug, then the step reruns
            except DeviceError as exc:
                log.warning("device error during %s: %s", step.value, exc.detail or exc.message)
                out = StepOutcome(False, exc.message)
            self._wait_unpaused()
            if self.flow.state is not State.PARTY_STEP:
                continue
            self.flow.touch()
            if out.ok:
                self._save_progress()  # before the audit says "passed": the evidence is on disk first
                self.flow.step_passed(out.detail)
                return
            reason = out.reason
            self.view.guidance(out.reason)
            if out.escalate:
                self.flow.escalate(out.reason)
            else:
                self.flow.step_failed(out.reason, out.detail)

    def _progress_event(self, _flow: SessionFlow, event: dict[str, Any]) -> None:
        if event.get("kind") == "step_result":
            self._save_progress()

    def _save_progress(self) -> None:
        """What was captured so far, sealed into the session directory for `recover_sessions`."""
        if self.session_dir is None or self.case is None:
            return
        save_progress(self.session_dir, self.ctx.keys.cipher(), {
            pid: party_progress(identity=rec.identity, transcript=rec.transcript, qa=rec.qa,
                                signatures=list(rec.signatures), recording_quality=rec.recording_quality)
            for pid, rec in self.records.items()})

    def _wait_unpaused(self) -> None:
        """Staff paused the session (counter mode): hold here until they resume or end it."""
        while self.flow.state is State.PAUSED:
            self._check_cancel()
            time.sleep(0.2)

    def _staff_decides(self, step: Step, reason: str) -> None:
        label = STEP_LABELS[step]
        decision = self.view.staff_decision(f"{label}：{reason}", ["retry", "manual_pass", "manual_fail", "abort"])
        self._check_cancel()
        if decision.action == "retry":
            self.flow.staff_retry(decision.staff_id, decision.reason)
        elif decision.action == "manual_pass":
            self.flow.manual_decision(True, decision.staff_id, decision.reason, {"basis": reason})
        elif decision.action == "manual_fail":
            self.flow.manual_decision(False, decision.staff_id, decision.reason, {"basis": reason})
        else:
            self.flow.abort(f"staff_abort: {decision.reason}")

    # ------------------------------------------------------------------ demo applicant
    def _demo_step_up(self, party: Party) -> None:
        applicant = self.ctx.applicant
        if applicant is None or self.case is None:
            return
        from kiosk.platform.demo import demo_personas

        persona = demo_personas(self.case.case_no)[party.party_id]
        photo = _read_rgb(persona.photo.read_bytes()) if persona.photo else None
        card = IdCardData(name=persona.name, sex=persona.sex, nation=persona.nation,
                          birth=persona.birth.replace("-", ""), address=persona.address,
                          id_number=persona.id_number, issuer=persona.authority,
                          valid_from=persona.valid_from.replace("-", ""), valid_to=persona.valid_to.replace("-", ""))
        applicant.step_up(persona.name, card, photo)

    # ------------------------------------------------------------------ steps
    def _identity(self, rec: _PartyRecord) -> StepOutcome:
        from kiosk.identity import IdentityCheck

        party = rec.party
        assert self.case is not None and self._hub is not None
        label = self._party_label(party)
        self.view.show_step(label, "identity", "身份核验", "请将身份证放在读卡区")
        self.view.guidance("请将身份证放在读卡区", voice_key="place_id_card")
        try:
            card = self._hub.read_card(timeout=30.0)
        except TimeoutError:
            return StepOutcome(False, "未读到身份证，请将身份证平放在读卡区")
        except CardTypeRefused as exc:  # read correctly, but this card type is handled at the counter
            return StepOutcome(False, exc.message, escalate=True)
        if card.id_number.upper() != party.signer_id_number.upper():
            log.info("card %s does not belong to party %s", mask_id(card.id_number), party.party_id)
            return StepOutcome(False, "身份证与办理人不一致，请使用本人身份证")
        reference, source = self._reference_photo(party, card)
        if reference is None:
            return StepOutcome(False, "无法获取证件照片，请联系工作人员核验", escalate=True)
        self.view.show_step(label, "identity", "人脸核验", "请正视摄像头")
        self.view.guidance("请正视摄像头", voice_key="look_at_camera")
        analysis = self._hub.ring.consumer(f"analysis-{party.party_id}")

        def next_frame() -> Frame:
            while True:
                self._check_cancel()
                self._wait_devices()
                frame = analysis.get(timeout=1.0)
                if frame is not None:
                    return frame

        pending_voice: list[str | None] = [None]

        def on_prompt(kind: str, text: str) -> None:
            if kind == "action" and self.ctx.applicant is not None:
                self.ctx.applicant.on_prompt(kind, text)
            if kind == "action":  # the instruction follows as a guide; speak it with the action's voice
                pending_voice[0] = text
            elif kind in ("guide", "result"):
                self.view.guidance(text, voice_key=pending_voice[0])
                pending_voice[0] = None
            self.flow.touch()

        check = IdentityCheck(self.ctx.settings.identity, self.case.policy, self._rng)
        try:
            result = check.run(reference, next_frame, on_prompt, cancel=self._cancel, reference_source=source)
        finally:
            analysis.close()
        self._check_cancel()
        rec.identity = {"card": {"name": mask_name(card.name), "id_number": mask_id(card.id_number),
                                 "valid_to": card.valid_to}, "reference_source": source, **result.evidence}
        attempts = result.evidence.get("attempts") or [{}]
        last = attempts[-1]
        # the report reads the decisive attempt at the top level; every attempt stays in "attempts"
        rec.identity["liveness"] = last.get("liveness", [])
        match = last.get("match") or {}
        if "median_score" in match:  # engine, model, sha256 and threshold are in result.evidence
            rec.identity["score"] = match["median_score"]
        if result.passed:
            self._start_presence(rec, result)
            return StepOutcome(True, detail={"reference_source": source})
        return StepOutcome(False, result.reason or "身份核验未通过", escalate=result.escalate)

    def _reference_photo(self, party: Party, card: IdCardData) -> tuple[np.ndarray | None, str]:
        if card.photo_rgb is not None:
            return card.photo_rgb, "chip"
        data = self.ctx.client.download_photo(party)
        if data:
            img = _read_rgb(data)
            if img is not None:
                # the evidence says when the chip photo was decoded but not usable (no face in it)
                return img, "platform_chip_rejected" if card.photo_source == "chip_rejected" else "platform"
        return None, "none"

    def _start_presence(self, rec: _PartyRecord, result: Any) -> None:
        from kiosk.identity import PresenceMonitor

        assert self._hub is not None
        monitor = PresenceMonitor(self.ctx.settings.identity, result)
        consumer = self._hub.ring.consumer(f"presence-{rec.party.party_id}")
        running, thread = _pump(consumer, monitor.feed, "presence", 0.5)
        self._presence = (monitor, running, thread, consumer)

    def _stop_presence(self, rec: _PartyRecord) -> None:
        if not getattr(self, "_presence", None):
            return
        monitor, running, thread, consumer = self._presence
        running.clear()
        thread.join(timeout=5)
        consumer.close()
        rec.presence = monitor.verdict()
        rec.identity["presence"] = rec.presence
        self._presence = None

    def _notice(self, rec: _PartyRecord) -> StepOutcome:
        assert self.case is not None
        script = self.case.script_for(rec.party.party_id)
        assert script is not None
        self.view.show_step(self._party_label(rec.party), "notice", "告知事项", script.notice)
        self.view.guidance("请仔细阅读告知内容，阅读完毕请点击「我已阅读并知晓」", voice_key="read_notice")
        if self.view.confirm("告知事项", script.notice, ok_label="我已阅读并知晓"):
            return StepOutcome(True, detail={"confirmed": True})
        return StepOutcome(False, "请阅读告知内容后确认")

    def _listen(self, say: str | None, *, max_s: float, tail_silence_s: float = 1.2, mute_key: str | None = None,
                mute_s: float = 0.0,
                on_partial: Callable[[str], None] | None = None, grammar: list[str] | None = None) -> Any:
        """Record one utterance through the ASR worker; returns the speech Transcript."""
        from kiosk.speech.worker import AsrWorker

        assert self._hub is not None
        engine = self.ctx.speech_engine
        worker = None
        if engine is not None:
            worker = AsrWorker(engine, grammar, on_partial=on_partial or (lambda _t: None), on_final=lambda _t: None)
        vad = _VoiceActivity()
        if worker is not None and getattr(self.view, "speaks", False):
            from kiosk.speech import guidance

            # the kiosk's own voice is never taken for the applicant's
            spoken_s = guidance.duration_s(mute_key) if mute_key else 0.0
            worker.mute_until(time.monotonic() + max(spoken_s, mute_s))

        def listener(chunk: AudioChunk) -> None:
            vad(chunk)
            if worker is not None:
                worker.feed(chunk)

        self._hub.add_audio_listener(listener)
        spoken = 0.0
        if say and self.ctx.applicant is not None:
            spoken = self.ctx.applicant.say(say)
        start = time.monotonic()
        try:
            while True:
                self._check_cancel()
                self._wait_devices()
                time.sleep(0.1)
                waited = time.monotonic() - start
                if vad.last_voice is not None and vad.last_t - vad.last_voice >= tail_silence_s and waited > spoken:
                    break
                if waited > max(max_s, spoken + 3.0):
                    break
        finally:
            self._hub.remove_audio_listener(listener)
        if worker is None:  # no recogniser: the speech is in the recording for staff to hear
            return {"voice_s": round((vad.last_voice or 0) - (vad.first_voice or 0), 2) if vad.first_voice else 0.0}
        return worker.stop()

    def _statement(self, rec: _PartyRecord) -> StepOutcome:
        from kiosk.speech import match_retry, match_statement, statement_grammar

        assert self.case is not None
        script = self.case.script_for(rec.party.party_id)
        assert script is not None
        label = self._party_label(rec.party)
        self.view.show_step(label, "statement", "请朗读以下内容", script.statement)
        engine = self.ctx.speech_engine
        if engine is None:
            self.view.guidance("请看着屏幕，大声朗读屏幕上的文字", voice_key="read_statement")
            heard = self._listen(script.statement, max_s=10 + 0.45 * len(script.statement),
                                 mute_key="read_statement")
            rec.transcript = {"prompt": script.statement, "asr": None, "voice": heard,
                              "note": "语音识别模型未安装，陈述由工作人员现场核听"}
            return StepOutcome(False, "语音识别模型未安装，请工作人员现场核听后确认", escalate=True)
        previous = rec.last_match
        if previous is None:
            text, key = script.statement, "read_statement"
            self.view.guidance("请看着屏幕，大声朗读屏幕上的文字", voice_key=key)
        else:
            text, key = previous.retry_text(), "read_again"
            self.view.show_step(label, "statement", "请再读一遍标出的句子", text)
            self.view.guidance("请再读一遍标出的句子", voice_key=key)
        transcript = self._listen(text, max_s=10 + 0.45 * len(text), mute_key=key,
                                  on_partial=lambda t: self.view.transcript(t),
                                  grammar=statement_grammar(engine, text))
        critical = [rec.party.signer_name]
        if previous is None:
            free = transcript.free.text if getattr(transcript, "free", None) else None
            match = match_statement(script.statement, transcript.text, free,
                                    min_coverage=self.ctx.settings.speech.min_coverage, critical=critical)
        else:
            match = match_retry(previous, transcript.text, critical=critical)
        attempts = rec.transcript.setdefault("attempts", [])
        attempts.append({"prompt": text, "asr": transcript.to_json(), "match": match.to_json()})
        rec.transcript["prompt"] = script.statement
        rec.transcript["final"] = match.to_json()
        if match.passed:
            rec.last_match = None
            return StepOutcome(True, detail={"coverage": round(match.coverage, 3)})
        rec.last_match = match if match.missing else None
        self.view.transcript(transcript.text, [bool(x.get("passed")) for x in match.sentences])
        reason = match.problems[0] if getattr(match, "problems", None) else "朗读内容未能完整识别，请再读一次标出的句子"
        return StepOutcome(False, reason, detail={"coverage": round(match.coverage, 3)})

    def _qa(self, rec: _PartyRecord) -> StepOutcome:
        from kiosk.speech import answer_grammar, check_answer

        assert self.case is not None
        script = self.case.script_for(rec.party.party_id)
        assert script is not None
        label = self._party_label(rec.party)
        if self.ctx.speech_engine is None:
            rec.qa = []
            for q in script.questions:
                self.view.show_step(label, "qa", "请回答", q.ask)
                self.view.guidance(q.ask)
                answer = _DEMO_ANSWERS[q.expect] if self.ctx.applicant is not None else None
                heard = self._listen(answer, max_s=8.0)
                rec.qa.append({"ask": q.ask, "expect": q.expect, "verdict": None, "passed": None, "voice": heard,
                               "note": "语音识别模型未安装，由工作人员现场核听"})
            return StepOutcome(False, "语音识别模型未安装，请工作人员现场核听回答后确认", escalate=True)
        failed: list[str] = []
        for i, q in enumerate(script.questions):
            if i in rec.qa_done and rec.qa_done[i]["passed"]:
                continue
            self.view.show_step(label, "qa", "请回答", q.ask)
            self.view.guidance(q.ask)
            answer = _DEMO_ANSWERS[q.expect] if self.ctx.applicant is not None else None
            transcript = self._listen(answer, max_s=8.0, on_partial=lambda t: self.view.transcript(t),
                                      grammar=answer_grammar(self.ctx.speech_engine, q.ask),
                                      mute_s=0.25 * len(q.ask))
            verdict = check_answer(q.ask, transcript.text, q.expect)
            rec.qa_done[i] = {"ask": q.ask, "expect": q.expect, "asr": transcript.to_json(), **verdict.to_json()}
            if not verdict.passed:
                failed.append(q.ask)
        rec.qa = [rec.qa_done[i] for i in sorted(rec.qa_done)]
        if failed:
            return StepOutcome(False, "未能确认您的回答，请再回答一次", detail={"unanswered": len(failed)})
        return StepOutcome(True, detail={"questions": len(script.questions)})

    def _signing(self, rec: _PartyRecord) -> StepOutcome:
        from kiosk.evidence import SignatureEvidence
        from kiosk.signing import PenData, check_signature

        assert self.case is not None
        assert self._hub is not None
        pad_info = self._hub.signpad_info
        width_mm, height_mm = self._hub.signpad_size_mm
        label = self._party_label(rec.party)
        for doc, anchor in self.case.anchors_for(rec.party.party_id):
            index = doc.anchors.index(anchor)
            if anchor.kind != "signature" or (doc.doc_id, index) in rec.signed_anchors:
                continue
            self.view.show_step(label, "signing", f"请在「{doc.title}」上签名", f"第{anchor.page}页")
            self.view.show_document(doc.doc_id, doc.title, self.documents[doc.doc_id], anchor.page, anchor.rect)
            self.view.guidance("请用签字笔在签字板上签写您的姓名，写完点击确认", voice_key="sign_here")
            points = self._collect_pen(self._hub)
            pen = PenData.from_points(points, device=pad_info.adapter, width_mm=width_mm or 100.0,
                                      height_mm=height_mm or 60.0)
            problems = check_signature(pen)
            if problems:
                return StepOutcome(False, problems[0], detail={"doc_id": doc.doc_id})
            rec.signatures.append(SignatureEvidence(doc.doc_id, index, pen))
            rec.signed_anchors.add((doc.doc_id, index))
        return StepOutcome(True, detail={"signatures": len(rec.signatures)})

    def _collect_pen(self, hub: DeviceHub) -> list[PenPoint]:
        stop = threading.Event()
        points: list[PenPoint] = []
        batch: list[tuple[float, float, float]] = []
        for item in hub.pen_points(stop):
            if self._cancel.is_set():
                stop.set()
                break
            if isinstance(item, PadEvent):
                if item is PadEvent.CONFIRM:
                    break
                if item is PadEvent.CLEAR:
                    points.clear()
                    continue
                if item is PadEvent.CANCEL:
                    break
                continue
            points.append(item)
            batch.append((item.x, item.y, item.pressure if item.down else 0.0))
            if len(batch) >= 16:
                self.view.pen_points(batch)
                batch = []
        if batch:
            self.view.pen_points(batch)
        self.flow.touch()
        self._check_cancel()
        return points

    # ------------------------------------------------------------------ end
    def _review_and_submit(self) -> SessionOutcome:
        assert self.case is not None
        lines = []
        for r in self.flow.results:
            if r.outcome is Outcome.SKIPPED:
                continue
            mark = {"passed": "通过", "manual_pass": "人工确认", "manual_fail": "人工否决", "failed": "未通过"}
            lines.append(f"{self.case.party(r.party_id).role}：{STEP_LABELS[r.step]} — {mark.get(r.outcome.value, '')}")
        self.view.show_step("", "review", "请核对办理结果", "\n".join(lines))
        if not self.view.confirm("请核对办理结果", "\n".join(lines), ok_label="确认提交"):
            self.flow.abort("review_declined")
            return self._finish_aborted("review_declined")
        self.flow.review_confirmed()
        return self._submit("completed")

    def _submit(self, status: str) -> SessionOutcome:
        from kiosk.evidence import PackageBuilder, PartyEvidence

        assert self.case is not None and self.session_dir is not None
        self.view.show_step("", "result", "正在生成并提交材料", "请稍候")
        seals: dict[str, bytes] = {}
        if self.ctx.demo:  # demo companies seal with a seal marked 演示专用; real ones come from <state>/seals
            from kiosk.signing.seal import demo_seal_png

            seals = {p.credit_code: demo_seal_png(p.name, 400) for p in self.case.parties
                     if p.kind == "legal" and p.credit_code}
        builder = PackageBuilder(self.session_dir / "package", self.case, self.ctx.settings.kiosk_id,
                                 self.ctx.software_version, self.ctx.keys,
                                 started_at=self._started_at.isoformat(timespec="seconds"),
                                 seals=seals, seal_dir=self.ctx.paths.root / "seals")
        for doc_id, pdf in self.documents.items():
            builder.add_document(doc_id, pdf)
        for rec in self.records.values():
            manual = [r.to_json() for r in self.flow.results_for(rec.party.party_id) if r.manual]
            quality = dict(rec.recording_quality)
            quality["recorder"] = rec.recording_info
            builder.add_party(PartyEvidence(
                rec.party.party_id, identity=rec.identity, recording=rec.recording, recording_quality=quality,
                transcript=rec.transcript, qa=rec.qa, signatures=rec.signatures, manual_decisions=manual))
        builder.set_steps([r.to_json() for r in self.flow.results])
        self.flow.audit.append("package_building", status=status)
        builder.set_audit(list(self.flow.audit.events))
        package_dir = builder.build(status=status)
        package_id = builder.package_id()
        self.ctx.outbox.enqueue(package_dir, package_id, self.case.case_no)
        self._sealed = True
        if self.flow.state is State.SUBMITTING:
            self.flow.submitted(queued=True, package_id=package_id)
        receipt = None
        try:
            for r in self.ctx.uploader.drain_once():
                if _receipt_package(r) == package_id:
                    receipt = _receipt_json(r)
        except UserFacingError as exc:
            log.warning("upload deferred: %s", exc.detail or exc.message)
        if status == "completed":
            if receipt is not None:
                self.view.result(True, "办理完成，材料已提交。请取走身份证。", qr_payload=package_id)
                message = "completed and uploaded"
            else:
                self.view.result(True, "已保存，网络恢复后自动上传。请取走身份证。", qr_payload=package_id)
                message = "completed; queued for upload"
        else:
            message = "aborted; evidence kept and queued"
        return SessionOutcome(status == "completed", status, message, self.case.case_no, package_id, package_dir,
                              queued=receipt is None, receipt=receipt)

    def _finish_aborted(self, reason: str, message: str = "") -> SessionOutcome:
        """Evidence already captured stays: an aborted package goes to the outbox, marked aborted."""
        case_no = self.case.case_no if self.case else ""
        captured = any(r.recording is not None for r in self.records.values())
        if self.case is not None and captured:
            try:
                out = self._submit("aborted")
                out.message = f"aborted ({reason}); evidence queued"
                self.view.result(False, message or "本次办理已结束，已采集的材料已安全保存。请取走身份证。")
                return out
            except Exception:
                log.exception("could not package the aborted session")
        if not message:
            self.view.result(False, "本次办理已结束。请取走身份证。")
        return SessionOutcome(False, "aborted", message or f"aborted ({reason})", case_no)

    def _wipe(self) -> None:
        """Personal data leaves memory and disk once it is sealed in the outbox. A session whose
        evidence could not be sealed (disk full, crash while packaging) keeps its directory for
        `recover_sessions` on the next start."""
        if self.session_dir is not None and self.session_dir.exists():
            from kiosk.session.recovery import INTAKE_FILE

            if self._sealed or not (self.session_dir / INTAKE_FILE).exists():
                shutil.rmtree(self.session_dir, ignore_errors=True)
            else:  # a built package stays too: recovery enqueues it as it is
                log.warning("session %s kept for recovery: its evidence is not in the outbox yet",
                            self.session_dir.name)
        self.documents.clear()
        self.records.clear()
        SECRETS.clear()


_DEMO_ANSWERS = {"affirm": "是的，我确认。", "deny": "没有。"}


def _pump(consumer: Any, sink: Callable[[Frame], object], name: str,
          timeout: float) -> tuple[threading.Event, threading.Thread]:
    """A thread handing every frame a ring consumer gets to `sink` until the event is cleared."""
    running = threading.Event()
    running.set()

    def loop() -> None:
        while running.is_set():
            frame = consumer.get(timeout=timeout)
            if frame is not None:
                sink(frame)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return running, thread


def _read_rgb(data: bytes) -> np.ndarray | None:
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        return None
    return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)


def _receipt_package(receipt: Any) -> str:
    if isinstance(receipt, dict):
        return str(receipt.get("package_id", ""))
    return str(getattr(receipt, "package_id", ""))


def _receipt_json(receipt: Any) -> dict[str, Any]:
    if isinstance(receipt, dict):
        return receipt
    to_json = getattr(receipt, "to_json", None)
    if callable(to_json):
        return dict(to_json())
    return dict(vars(receipt))
