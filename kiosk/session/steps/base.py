"""What every step module shares: the record a party's steps fill in, what a step returns, and
the session services a step may use (`StepEnv`).

A step is one module with one entry point, `run(env, rec) -> StepOutcome`. It talks to the
person only through `env.view`, to devices only through `env.hub` (the session's device hub),
and never to the platform: everything it needs from there was fetched and sealed at intake.
"""
from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.base import IdCardData
from kiosk.config import Settings
from kiosk.errors import Cancelled
from kiosk.flow import SessionFlow
from kiosk.model import Case, Party
from kiosk.privacy import mask_name
from kiosk.session.capture import DeviceHub
from kiosk.session.view import SessionView, StaffDecision
from kiosk.texts import QT_TRANSLATE_NOOP, fmt


@dataclass
class StepOutcome:
    ok: bool
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    escalate: bool = False
    cause: str = ""  # why staff are needed: "no_speech_model", "identity", "device", … (see runner)
    # the step was decided by staff inside it (each question confirmed by hand): the runner
    # records this as the step's manual decision instead of a pass or a failure
    manual: StaffDecision | None = None


@dataclass
class PartyRecord:
    """Everything one party's steps produce, for the evidence package."""

    party: Party
    identity: dict[str, Any] = field(default_factory=dict)
    recording: Path | None = None
    recording_info: dict[str, Any] = field(default_factory=dict)
    recording_quality: dict[str, Any] = field(default_factory=dict)
    transcript: dict[str, Any] = field(default_factory=dict)
    qa: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[Any] = field(default_factory=list)
    signed_anchors: set[tuple[str, int]] = field(default_factory=set)
    signed_documents: dict[str, bytes] = field(default_factory=dict)  # doc_id → as this party signed it
    presence: dict[str, Any] = field(default_factory=dict)
    last_match: Any = None  # the statement match awaiting a re-read of its missing sentences
    qa_done: dict[int, dict[str, Any]] = field(default_factory=dict)
    presence_watch: Any = None  # identity.PresenceWatch while the party is at the kiosk
    photos: dict[str, bytes] = field(default_factory=dict)  # "live"/"reference" face JPEGs (personal data)


@dataclass
class StepEnv:
    """The session as a step sees it. Built by the runner once the case is sealed."""

    settings: Settings
    view: SessionView
    flow: SessionFlow
    hub: DeviceHub
    case: Case
    documents: dict[str, bytes]  # doc_id → PDF, hash-checked at intake
    reference_photos: dict[str, bytes]  # party_id → the platform's reference photo, fetched at intake
    speech_engine: Any | None  # kiosk.speech.SpeechEngine, None when no Chinese model is installed
    rng: random.Random
    cancel: threading.Event
    wait_devices: Callable[[], None]
    cancel_reason: Callable[[], str] = lambda: "cancelled"
    # the card read at intake as presence proof (self-service): offered once, to the next identity
    # step, which uses it instead of a second read when it is that party's card (see identity.run)
    intake_card: IdCardData | None = None
    # the platform staff session the staff at the kiosk are logged in under ("" when none)
    staff_session: Callable[[], str] = lambda: ""

    def take_intake_card(self) -> IdCardData | None:
        card, self.intake_card = self.intake_card, None
        return card

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled(self.cancel_reason())

    def party_label(self, party: Party) -> str:
        who = mask_name(party.signer_name)
        if party.agent:
            return fmt(QT_TRANSLATE_NOOP("kiosk", "{role} {name}（经办人）"), role=party.role, name=who)
        return fmt(QT_TRANSLATE_NOOP("kiosk", "{role} {name}"), role=party.role, name=who)

    def script(self, party: Party) -> Any:
        script = self.case.script_for(party.party_id)
        assert script is not None, f"no script for {party.party_id}"
        return script
