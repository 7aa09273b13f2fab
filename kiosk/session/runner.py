"""One registration session, from the case number to the evidence in the outbox.

`SessionRunner.run` is blocking and runs in a worker thread (the Qt app) or the main thread
(`simulate`). It keeps the party loop, the media lifecycle (one continuous recording per party,
identity to signing) and the submit; each step is its own module under `kiosk/session/steps/`.
It talks to the person only through a `SessionView` and to the platform only at intake (the
case, every document, every reference photo) and at submit (through the outbox): once intake
is sealed, the session finishes without the network. Personal data lives in memory and in the
session directory (0700) only until the package is sealed in the encrypted outbox; then the
session directory is wiped. See docs/architecture.md.
"""
from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.base import DeviceDisconnected, DeviceError, IdCardData
from kiosk.audit import AuditLog
from kiosk.errors import Cancelled, UserFacingError
from kiosk.flow import Outcome, SessionFlow, State, Step
from kiosk.flow.machine import STEP_LABELS
from kiosk.model import Case, parse_case
from kiosk.privacy import SECRETS
from kiosk.session.capture import KIND_ZH, DeviceHub
from kiosk.session.context import KioskContext
from kiosk.session.pumps import FramePump
from kiosk.session.recovery import party_progress, save_progress, seal_intake
from kiosk.session.steps import STEPS, PartyRecord, StepEnv, StepOutcome
from kiosk.session.steps.identity import stop_presence
from kiosk.session.summary import case_summary
from kiosk.session.view import CARD_READ, CARD_UNREADABLE, CARD_WAIT_S, PLACE_CARD, SessionView, StaffDecision
from kiosk.texts import QT_TRANSLATE_NOOP, fmt, joined

log = logging.getLogger(__name__)

__all__ = ["SessionOutcome", "SessionRunner", "StepOutcome"]

OFFLINE_RESULT = QT_TRANSLATE_NOOP("kiosk", "已保存，网络恢复后自动上传")
INTAKE_OFFLINE = QT_TRANSLATE_NOOP("kiosk", "暂时无法连接中心平台，尚未开始办理。请稍后再试，或到人工窗口办理")
CARD_TIMEOUT = QT_TRANSLATE_NOOP("kiosk", "没有读到身份证，办理尚未开始。如需办理，请重新输入受理号")
_OUTCOME_WORDS = {"passed": QT_TRANSLATE_NOOP("kiosk", "通过"), "manual_pass": QT_TRANSLATE_NOOP("kiosk", "人工确认"),
                  "manual_fail": QT_TRANSLATE_NOOP("kiosk", "人工否决"), "failed": QT_TRANSLATE_NOOP("kiosk", "未通过")}


def _case_no_line(case_no: str) -> str:
    return fmt(QT_TRANSLATE_NOOP("kiosk", "受理号 {case_no}"), case_no=case_no)


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
        self.photos: dict[str, bytes] = {}
        self.records: dict[str, PartyRecord] = {}
        self.session_dir: Path | None = None
        self._rng = random.Random(secrets.randbits(64))
        self._sealed = False
        self._started_at = dt.datetime.now().astimezone()
        self._env: StepEnv | None = None
        self.intake_card: IdCardData | None = None  # self-service: the card that proved presence

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
            self.view.guidance(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}已恢复，继续办理"), device=label))
            if self._hub is None or self._hub.healthy:
                self._device_ok.set()
        else:
            self._device_ok.clear()
            self.view.guidance(fmt(QT_TRANSLATE_NOOP("kiosk", "{device}连接中断，请稍候或联系工作人员（{problem}）"),
                                    device=label, problem=message))

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
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "本机存储空间不足，暂停办理，请联系工作人员"),
                                  detail=f"free {free_mb} MB < {need} MB", code="disk_low")

    # ------------------------------------------------------------------ intake
    def _intake(self, case_no: str) -> None:
        """Everything the session needs from the platform, fetched and checked before the first
        applicant step: the case (with its scripts), every document (hash-checked) and every
        party's reference photo. A network failure here stops the session before it starts,
        with a message; after this no step calls the platform."""
        client = self.ctx.client
        card = None if getattr(client, "staff_token", None) else self._presence_card(case_no)
        self.view.show_step("", "intake", QT_TRANSLATE_NOOP("kiosk", "正在获取案件信息"), _case_no_line(case_no))
        client.card_present(card.id_number if card is not None else None)
        try:
            data, case = self._fetch(case_no)
        except UserFacingError as exc:
            if getattr(exc, "retryable", False):  # the network, not the case: nothing has started yet
                raise UserFacingError(INTAKE_OFFLINE, detail=exc.detail or exc.message,
                                      code="platform_unreachable") from None
            raise
        finally:
            client.card_present(None)  # the proof was for this intake only
        self.case = case
        self.intake_card = card
        self.flow.load_case(case)
        self.flow.audit.append("intake_sealed", documents=len(self.documents), photos=len(self.photos),
                               staff=bool(self.staff_id), presence="staff" if card is None else "card")
        log.info("case %s loaded: %s, %d parties, %d documents, %d reference photos", case.case_no,
                 case.business_type.value, len(case.parties), len(case.documents), len(self.photos))

    def _presence_card(self, case_no: str) -> IdCardData:
        """Self-service: the platform releases a case only to someone who is there, so the
        applicant's ID card is read before the lookup (at the counter the staff session proves it).
        The card is then offered to the next identity step, which skips a second read when it is
        that party's card; the face is matched there as always."""
        assert self._hub is not None
        self.view.show_step("", "card", PLACE_CARD, _case_no_line(case_no))
        self.view.guidance(PLACE_CARD, voice_key="place_id_card")
        # the screen counts CARD_WAIT_S down and cancels; this is the backstop without a screen
        deadline = time.monotonic() + CARD_WAIT_S + 5
        while True:
            self._check_cancel()
            self._wait_devices()  # an unplugged reader: the hub said so on screen; wait for it
            left = deadline - time.monotonic()
            if left <= 0:
                raise UserFacingError(CARD_TIMEOUT, detail="no ID card on the reader for the case lookup",
                                      code="presence_required")
            try:
                # short reads: a cancel on the screen is honoured within seconds
                card = self._hub.read_card(timeout=min(3.0, left))
            except TimeoutError:
                continue
            except DeviceDisconnected:
                continue
            except DeviceError as exc:  # a card that cannot be read: say what to do, keep waiting
                log.warning("ID card read failed at intake: %s", exc.detail or exc.message)
                self.view.guidance(CARD_UNREADABLE)
                continue
            self.view.guidance(CARD_READ)
            return card

    def _fetch(self, case_no: str) -> tuple[dict[str, Any], Case]:
        from kiosk.signing import load_pdf_checked

        client = self.ctx.client
        data = client.get_case(case_no)
        case = parse_case(data)
        for p in case.parties:
            SECRETS.add_name(p.name)
            if p.id_number:
                SECRETS.add_id(p.id_number)
            if p.agent:
                SECRETS.add_name(p.agent.name)
                SECRETS.add_id(p.agent.id_number)
        for doc in case.documents:
            pdf = client.download_document(doc)
            load_pdf_checked(pdf, doc.sha256)
            self.documents[doc.doc_id] = pdf
        for p in case.parties:
            photo = client.download_photo(p)
            if photo:
                self.photos[p.party_id] = photo
        assert self.session_dir is not None
        seal_intake(self.session_dir, self.ctx.keys.cipher(), data, self.documents,
                    self._started_at.isoformat(timespec="seconds"))
        return data, case

    def _step_env(self) -> StepEnv:
        if self._env is None:
            assert self.case is not None and self._hub is not None
            self._env = StepEnv(settings=self.ctx.settings, view=self.view, flow=self.flow, hub=self._hub,
                                case=self.case, documents=self.documents, reference_photos=self.photos,
                                speech_engine=self.ctx.speech_engine, rng=self._rng, cancel=self._cancel,
                                wait_devices=self._wait_devices, cancel_reason=lambda: self._cancel_reason,
                                intake_card=self.intake_card,
                                staff_session=lambda: str(getattr(self.ctx.client, "staff_session_id", None) or ""))
        return self._env

    # ------------------------------------------------------------------ one party
    def _run_party(self, party: Any) -> None:
        from kiosk.recording import Recorder, RecordingSpec, Watermark, check_recording

        assert self.case is not None and self.session_dir is not None and self._hub is not None
        env = self._step_env()
        rec = PartyRecord(party)
        self.records[party.party_id] = rec
        path = self.session_dir / f"{party.party_id}.mp4"
        spec = RecordingSpec.from_settings(self.ctx.settings.recording, self.ctx.settings.devices)
        recorder = Recorder(path, spec, Watermark(self.ctx.settings.kiosk_id, self.case.case_no, party.role))
        recorder.start()
        feed = FramePump(self._hub.ring.consumer(f"recorder-{party.party_id}", lossless=True),
                         recorder.push_video, "recorder-feed", 0.2)
        self._hub.add_audio_listener(recorder.push_audio)
        preview = self._hub.ring.consumer(f"preview-{party.party_id}")
        self.view.attach_preview(lambda: preview.get(timeout=0))
        try:
            while self.flow.party_id == party.party_id and self.flow.state in (State.PARTY_STEP, State.ESCALATED):
                step = self.flow.step
                assert step is not None
                self._attempt(step, env, rec)
        finally:
            self.view.attach_preview(None)
            self._hub.remove_audio_listener(recorder.push_audio)
            feed.stop()
            preview.close()
            stop_presence(rec)
            rec.recording_info = recorder.stop()
            rec.recording_info["dropped_before_encoder"] = feed.consumer.dropped
            rec.recording = path
        quality = check_recording(path, self.ctx.settings.recording)
        rec.recording_quality = quality.to_json()
        if not quality.passed:
            log.warning("recording of %s below policy: %s", party.party_id, "; ".join(quality.problems))

    def _attempt(self, step: Step, env: StepEnv, rec: PartyRecord) -> None:
        """Run the step until it passes, is decided by staff, or the session ends."""
        party_id = rec.party.party_id
        reason, cause = "", ""
        while self.flow.party_id == party_id and self.flow.step is step:
            self._check_cancel()
            self._check_disk(during=True)
            self._wait_devices()
            if self.flow.state is State.ESCALATED:
                self._staff_decides(step, reason or QT_TRANSLATE_NOOP("kiosk", "需要工作人员协助"), cause or "attempts")
                continue
            self._wait_unpaused()
            try:
                out = STEPS[step](env, rec)
            except DeviceDisconnected:
                continue  # the hub reported it: `_wait_devices` pauses until the replug, then the step reruns
            except DeviceError as exc:
                log.warning("device error during %s: %s", step.value, exc.detail or exc.message)
                out = StepOutcome(False, exc.message, cause="device")
            self._wait_unpaused()
            if self.flow.state is not State.PARTY_STEP:
                continue
            self.flow.touch()
            if out.manual is not None:  # staff decided inside the step (each question by hand)
                self._save_progress()
                self._apply_decision(out.manual, out.reason, out.cause)
                continue
            if out.ok:
                self._save_progress()  # before the audit says "passed": the evidence is on disk first
                self.flow.step_passed(out.detail)
                return
            reason, cause = out.reason, out.cause
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
                                signatures=list(rec.signatures), recording_quality=rec.recording_quality,
                                photos=rec.photos)
            for pid, rec in self.records.items()})

    def _wait_unpaused(self) -> None:
        """Staff paused the session (counter mode): hold here until they resume or end it."""
        while self.flow.state is State.PAUSED:
            self._check_cancel()
            time.sleep(0.2)

    def _staff_decides(self, step: Step, reason: str, cause: str) -> None:
        label = STEP_LABELS[step]
        asked = fmt(QT_TRANSLATE_NOOP("kiosk", "{step}：{reason}"), step=label, reason=reason)
        decision = self.view.staff_decision(asked, ["retry", "manual_pass", "manual_fail", "abort"], cause=cause)
        self._check_cancel()
        self._apply_decision(decision, reason, cause)

    def _apply_decision(self, decision: StaffDecision, reason: str, cause: str) -> None:
        basis = {"basis": reason, "cause": cause}
        session = str(getattr(self.ctx.client, "staff_session_id", None) or "")  # logged in to decide
        if decision.action == "retry":
            self.flow.staff_retry(decision.staff_id, decision.reason)
        elif decision.action == "manual_pass":
            self.flow.manual_decision(True, decision.staff_id, decision.reason, basis, staff_session=session)
        elif decision.action == "manual_fail":
            self.flow.manual_decision(False, decision.staff_id, decision.reason, basis, staff_session=session)
        else:
            self.flow.abort(f"staff_abort: {decision.reason}")

    # ------------------------------------------------------------------ end
    def _review_and_submit(self) -> SessionOutcome:
        assert self.case is not None
        lines = []
        for r in self.flow.results:
            if r.outcome is Outcome.SKIPPED:
                continue
            lines.append(fmt(QT_TRANSLATE_NOOP("kiosk", "{role}：{step} — {outcome}"),
                             role=self.case.party(r.party_id).role, step=STEP_LABELS[r.step],
                             outcome=_OUTCOME_WORDS.get(r.outcome.value, "")))
        here = list(self.records.values())[-1] if self.records else None  # the party at the screen
        if here is not None:
            self.view.show_review(case_summary(self.case, here.party.party_id, here.signed_documents,
                                               here.signed_anchors))
        title = QT_TRANSLATE_NOOP("kiosk", "请核对办理结果")
        self.view.show_step("", "review", title, joined("\n", lines))
        if not self.view.confirm(title, joined("\n", lines), ok_label=QT_TRANSLATE_NOOP("kiosk", "确认提交")):
            self.flow.abort("review_declined")
            return self._finish_aborted("review_declined")
        self.flow.review_confirmed()
        return self._submit("completed")

    def _submit(self, status: str) -> SessionOutcome:
        from kiosk.evidence import PackageBuilder, PartyEvidence
        from kiosk.signing.pdf import platform_tsa_url

        assert self.case is not None and self.session_dir is not None
        self.view.show_step("", "result", QT_TRANSLATE_NOOP("kiosk", "正在生成并提交材料"), QT_TRANSLATE_NOOP("kiosk", "请稍候"))
        builder = PackageBuilder(self.session_dir / "package", self.case, self.ctx.settings.kiosk_id,
                                 self.ctx.software_version, self.ctx.keys,
                                 started_at=self._started_at.isoformat(timespec="seconds"),
                                 seal_dir=self.ctx.paths.root / "seals",
                                 tsa_url=platform_tsa_url(self.ctx.platform_url))
        for doc_id, pdf in self.documents.items():
            builder.add_document(doc_id, pdf)
        for rec in self.records.values():
            manual = [r.to_json() for r in self.flow.results_for(rec.party.party_id) if r.manual]
            quality = dict(rec.recording_quality)
            quality["recorder"] = rec.recording_info
            builder.add_party(PartyEvidence(
                rec.party.party_id, identity=rec.identity, recording=rec.recording, recording_quality=quality,
                transcript=rec.transcript, qa=rec.qa, signatures=rec.signatures, manual_decisions=manual,
                photos=dict(rec.photos)))
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
                self.view.result(True, QT_TRANSLATE_NOOP("kiosk", "办理完成，材料已提交。请取走身份证。"), qr_payload=package_id)
                message = "completed and uploaded"
            else:
                self.view.result(True, QT_TRANSLATE_NOOP("kiosk", "已保存，网络恢复后自动上传。请取走身份证。"),
                                 qr_payload=package_id)
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
                self.view.result(False, message or QT_TRANSLATE_NOOP("kiosk", "本次办理已结束，已采集的材料已安全保存。请取走身份证。"))
                return out
            except Exception:
                log.exception("could not package the aborted session")
        if not message:
            self.view.result(False, QT_TRANSLATE_NOOP("kiosk", "本次办理已结束。请取走身份证。"))
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
        self.intake_card = None
        SECRETS.clear()



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
