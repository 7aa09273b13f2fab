"""Identity step: the party's ID card on the reader, the face matched 1:1 against the chip
photo (or the reference photo sealed at intake), a randomised liveness challenge; on a pass
the presence monitor watches the rest of the party's steps."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from devices.base import Frame, IdCardData
from devices.idcard.basemsg import CardTypeRefused
from kiosk.privacy import mask_id, mask_name
from kiosk.session.pumps import FramePump
from kiosk.session.steps.base import PartyRecord, StepEnv, StepOutcome
from kiosk.texts import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


def run(env: StepEnv, rec: PartyRecord) -> StepOutcome:
    from kiosk.identity import IdentityCheck

    party = rec.party
    label = env.party_label(party)
    card = env.take_intake_card()
    if card is not None and card.id_number.upper() != party.signer_id_number.upper():
        card = None  # the card shown at intake is another party's: this one reads their own
    if card is None:
        env.view.show_step(label, "identity", QT_TRANSLATE_NOOP("kiosk", "身份核验"), QT_TRANSLATE_NOOP("kiosk", "请将身份证放在读卡区"))
        env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请将身份证放在读卡区"), voice_key="place_id_card")
        try:
            card = env.hub.read_card(timeout=30.0)
        except TimeoutError:
            return StepOutcome(False, QT_TRANSLATE_NOOP("kiosk", "未读到身份证，请将身份证平放在读卡区"))
        except CardTypeRefused as exc:  # read correctly, but this card type is handled at the counter
            return StepOutcome(False, exc.message, escalate=True, cause="card_type")
    else:
        log.info("identity of %s uses the card read at intake", party.party_id)
    if card.id_number.upper() != party.signer_id_number.upper():
        log.info("card %s does not belong to party %s", mask_id(card.id_number), party.party_id)
        return StepOutcome(False, QT_TRANSLATE_NOOP("kiosk", "身份证与办理人不一致，请使用本人身份证"))
    reference, source = _reference_photo(env, party.party_id, card)
    if reference is None:
        return StepOutcome(False, QT_TRANSLATE_NOOP("kiosk", "无法获取证件照片，请联系工作人员核验"), escalate=True, cause="identity")
    env.view.show_step(label, "identity", QT_TRANSLATE_NOOP("kiosk", "人脸核验"), QT_TRANSLATE_NOOP("kiosk", "请正视摄像头"))
    env.view.guidance(QT_TRANSLATE_NOOP("kiosk", "请正视摄像头"), voice_key="look_at_camera")
    analysis = env.hub.ring.consumer(f"analysis-{party.party_id}")

    def next_frame() -> Frame:
        while True:
            env.check_cancel()
            env.wait_devices()
            frame = analysis.get(timeout=1.0)
            if frame is not None:
                return frame

    pending_voice: list[str | None] = [None]

    def on_prompt(kind: str, text: str) -> None:
        if kind == "action":  # the instruction follows as a guide; speak it with the action's voice
            pending_voice[0] = text
        elif kind in ("guide", "result"):
            env.view.guidance(text, voice_key=pending_voice[0])
            pending_voice[0] = None
        env.flow.touch()

    check = IdentityCheck(env.settings.identity, env.case.policy, env.rng)
    try:
        result = check.run(reference, next_frame, on_prompt, cancel=env.cancel, reference_source=source,
                           on_attempt=audit_attempts(env.flow))
    finally:
        analysis.close()
        keep_photos(rec, reference, check)
    env.check_cancel()
    rec.identity = {"card": {"name": mask_name(card.name), "id_number": mask_id(card.id_number),
                             "valid_to": card.valid_to}, "reference_source": source, **result.evidence}
    if check.last_snapshot_info:  # which frame the live snapshot is: attempt, frame number, time, score
        rec.identity["live_photo"] = dict(check.last_snapshot_info)
    attempts = result.evidence.get("attempts") or [{}]
    last = attempts[-1]
    # the report reads the decisive attempt at the top level; every attempt stays in "attempts"
    rec.identity["liveness"] = last.get("liveness", [])
    match = last.get("match") or {}
    if "median_score" in match:  # engine, model, sha256 and threshold are in result.evidence
        rec.identity["score"] = match["median_score"]
    if result.passed:
        rec.presence_watch = PresenceWatch(env, rec, result)
        return StepOutcome(True, detail={"reference_source": source})
    return StepOutcome(False, result.reason or QT_TRANSLATE_NOOP("kiosk", "身份核验未通过"), escalate=result.escalate, cause="identity")


def audit_attempts(flow: Any) -> Callable[[str, dict[str, Any]], None]:
    """The identity check's attempt hook: every face match and every liveness action becomes an
    `attempt` event of the flow's audit chain as it ends."""
    def on_attempt(what: str, fields: dict[str, Any]) -> None:
        flow.attempt(what, bool(fields.get("passed")), **{k: v for k, v in fields.items() if k != "passed"})
    return on_attempt


def keep_photos(rec: PartyRecord, reference: np.ndarray, check: Any) -> None:
    """The reference photo and the best live frame that decided the match, as small JPEGs for the
    package (kept even when the check was cancelled or failed: an aborted package carries them)."""
    from kiosk.identity.check import face_snapshot

    rec.photos["reference"] = face_snapshot(reference, None)
    if check.last_snapshot is not None:
        rec.photos["live"] = check.last_snapshot
    else:  # a retry that never reached a match decision: no older attempt's frame stands in for it
        rec.photos.pop("live", None)


def _reference_photo(env: StepEnv, party_id: str, card: IdCardData) -> tuple[np.ndarray | None, str]:
    if card.photo_rgb is not None:
        return card.photo_rgb, "chip"
    data = env.reference_photos.get(party_id)
    if data:
        img = read_rgb(data)
        if img is not None:
            # the evidence says when the chip photo was decoded but not usable (no face in it)
            return img, "platform_chip_rejected" if card.photo_source == "chip_rejected" else "platform"
    return None, "none"


def read_rgb(data: bytes) -> np.ndarray | None:
    arr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if arr is None:
        return None
    return cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)


class PresenceWatch:
    """The presence monitor fed from its own ring consumer for the rest of the party's steps."""

    def __init__(self, env: StepEnv, rec: PartyRecord, result: Any) -> None:
        from kiosk.identity import PresenceMonitor

        self.monitor = PresenceMonitor(env.settings.identity, result)
        consumer = env.hub.ring.consumer(f"presence-{rec.party.party_id}")
        self._pump = FramePump(consumer, self.monitor.feed, "presence", 0.5)

    def stop(self) -> dict[str, Any]:
        self._pump.stop()
        return dict(self.monitor.verdict())


def stop_presence(rec: PartyRecord) -> None:
    """End the watch when the party leaves; its verdict goes into the identity evidence."""
    if rec.presence_watch is None:
        return
    rec.presence = rec.presence_watch.stop()
    rec.identity["presence"] = rec.presence
    rec.presence_watch = None
