"""The people at the kiosk in demo and `simulate` runs.

They act only through the simulated devices and on what the screen shows, as real people act
through real ones. `DemoApplicant.attend(view)` wraps the session's `SessionView`: when the
screen asks for a party's ID card, the next person of the case steps up (a `SyntheticApplicant`
rendering their photo, their card on the reader, their signature ready on the pad); when it
asks for a liveness action they perform what they read; they read the statement shown aloud
and answer the question asked (speech synthesised with espeak-ng when it is installed). The
product never tells them anything: the face matcher, the liveness detector, the recogniser and
the signature checks see only pixels, samples and pen points.
"""
from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from devices.audio.pcm import read_wav
from devices.audio.sim import SimulatedMicrophone
from devices.base import IdCardData
from devices.camera.actor import SyntheticApplicant
from devices.idcard.sim import SimulatedIdCardReader
from devices.signpad.sim import SimulatedSignaturePad, synth_signature
from kiosk.privacy import mask_name
from kiosk.session.view import SessionView

log = logging.getLogger(__name__)


class CounterScene:
    """Frame source for the simulated camera: the applicant standing there, or the empty counter."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._lock = threading.Lock()
        self.actor: SyntheticApplicant | None = None
        grad = np.linspace(180, 205, height, dtype=np.float32)[:, None, None]
        self._empty = np.broadcast_to(grad * np.array([1.0, 0.98, 0.92], np.float32),
                                      (height, width, 3)).astype(np.uint8)

    def __iter__(self) -> CounterScene:
        return self

    def __next__(self) -> np.ndarray:
        with self._lock:
            actor = self.actor
        return next(actor) if actor is not None else self._empty

    def set_actor(self, actor: SyntheticApplicant | None) -> None:
        with self._lock:
            self.actor = actor


@dataclass(frozen=True)
class DemoPerson:
    """Someone who comes to the kiosk for a party of a demo case (a legal person's agent for
    the company): their role in the case, their ID card and their face."""

    role: str
    name: str
    card: IdCardData
    photo: Path | None = None


Cast = Callable[[str], list[DemoPerson]]  # case number → the people who come for it, in party order

# How a person understands the liveness instructions on the screen (their own reading, not
# the product's table: a changed wording shows up as a failed demo, as it would with people).
_UNDERSTOOD_ACTIONS = (("眨", "blink"), ("向左", "turn_left"), ("向右", "turn_right"), ("张张嘴", "open_mouth"),
                       ("张嘴", "open_mouth"), ("点点头", "nod"), ("点头", "nod"))
_REFUSALS = ("强迫", "欺骗", "胁迫", "被迫", "有没有人", "是否有人")


def understood_action(text: str) -> str | None:
    for words, action in _UNDERSTOOD_ACTIONS:
        if words in text:
            return action
    return None


def answer_to(question: str) -> str:
    """What a willing applicant says: no to being forced or deceived, yes to the rest."""
    return "没有。" if any(w in question for w in _REFUSALS) else "是的，我确认。"


class DemoApplicant:
    def __init__(self, scene: CounterScene, microphone: SimulatedMicrophone, idcard: SimulatedIdCardReader,
                 pad: SimulatedSignaturePad, cast: Cast, *, fps: float = 25.0) -> None:
        self.scene = scene
        self.microphone = microphone
        self.idcard = idcard
        self.pad = pad
        self.cast = cast
        self.fps = fps
        self._voice_dir = Path(tempfile.mkdtemp(prefix="bdc-demo-voice-"))
        self._queue: list[DemoPerson] = []
        self.present: DemoPerson | None = None
        self.spoken: list[str] = []
        self._prepared: set[Path] = set()

    def attend(self, view: SessionView) -> SessionView:
        """The view the session runner gets: the screen as these people see it."""
        return AttendedView(view, self)

    # ---------------------------------------------------------------- what people do
    def expect_case(self, case_no: str) -> None:
        try:
            self._queue = list(self.cast(case_no))
        except KeyError:
            log.info("no demo people for case %s", case_no)
            self._queue = []

    def prepare(self, case_no: str) -> None:
        """Build the scene of each person of a case before anyone comes: finding the face in a
        photo (dlib's HOG) holds the GIL for 100–150 ms, which a GUI in the same process would
        feel as a stall when the person steps up. Scenes are kept per photo by the actor."""
        try:
            people = list(self.cast(case_no))
        except KeyError:
            return
        for path in dict.fromkeys(p.photo for p in people if p.photo and p.photo not in self._prepared):
            photo = _read_rgb(path)
            if photo is not None:
                SyntheticApplicant(photo, (self.scene.width, self.scene.height), self.fps, noise=0.0)
                self._prepared.add(path)

    def come_up(self, party_label: str) -> None:
        """The person the screen names (role and masked name) walks up and shows face and card."""
        person = next((p for p in self._queue if party_label.split(" ")[0] == p.role
                       and mask_name(p.name) in party_label), None)
        self._step_up(person)

    def come_up_first(self) -> None:
        """Asked for an ID card before any party is named (self-service intake): the first of
        the people who came for the case puts their card down."""
        self._step_up(self._queue[0] if self._queue else None)

    def _step_up(self, person: DemoPerson | None) -> None:
        if person is None or person is self.present:
            return
        self.leave()
        self.present = person
        seed = zlib.crc32(person.card.id_number.encode())
        photo = _read_rgb(person.photo) if person.photo else None
        if photo is not None:
            self.scene.set_actor(SyntheticApplicant(photo, (self.scene.width, self.scene.height), self.fps,
                                                    seed=seed))
        self.idcard.insert(person.card)
        self.pad.set_strokes(synth_signature(person.name, seed))

    def leave(self) -> None:
        self.present = None
        self.scene.set_actor(None)
        self.idcard.remove()

    def perform(self, instruction: str) -> None:
        actor = self.scene.actor
        action = understood_action(instruction)
        if actor is not None and action is not None:
            actor.perform(action)

    def say(self, text: str) -> float:
        """Speak `text` into the microphone. Returns the duration in seconds (0 when no voice)."""
        if self.present is None:
            return 0.0
        self.spoken.append(text)
        pcm = synthesize_speech(text, self._voice_dir)
        if pcm is None:
            return 0.0
        self.microphone.append(pcm)
        return len(pcm) / 16000.0

    def close(self) -> None:
        shutil.rmtree(self._voice_dir, ignore_errors=True)


class AttendedView:
    """A `SessionView` that shows everything to the inner view first and then lets the people
    at the kiosk react to it, on the runner's thread, as they would to the real screen."""

    def __init__(self, inner: SessionView, people: DemoApplicant) -> None:
        self._inner = inner
        self._people = people
        self._screen: tuple[str, str] = ("", "")
        self._answered = True
        self.speaks = bool(getattr(inner, "speaks", False))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def show_step(self, party_label: str, step: str, title: str, body: str = "") -> None:
        self._inner.show_step(party_label, step, title, body)
        self._screen = (step, body)
        self._answered = False
        if step in ("card", "intake"):
            m = re.search(r"受理号\s*(\S+)", body)
            if m:
                self._people.expect_case(m.group(1))
            if step == "card":
                self._people.come_up_first()
        elif step == "identity":
            self._people.come_up(party_label)

    def guidance(self, text: str, voice_key: str | None = None) -> None:
        self._inner.guidance(text, voice_key)
        step, body = self._screen
        if step == "identity":
            self._people.perform(text)
        elif step in ("statement", "qa") and not self._answered:
            self._answered = True
            words = body if step == "statement" else answer_to(body)
            wait = 0.0
            if self.speaks:  # let the kiosk finish speaking first, as a person would
                from kiosk.speech import guidance

                wait = guidance.duration_s(voice_key) if voice_key else 0.25 * len(text)
            if wait > 0:
                threading.Timer(wait, self._people.say, (words,)).start()
            else:
                self._people.say(words)

    def result(self, ok: bool, text: str, qr_payload: str | None = None) -> None:
        self._inner.result(ok, text, qr_payload)
        self._people.leave()


def _read_rgb(path: Path) -> np.ndarray | None:
    arr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if arr is None else cv2.cvtColor(arr, cv2.COLOR_BGR2RGB)


def synthesize_speech(text: str, work_dir: Path, voice: str = "cmn") -> np.ndarray | None:
    """Mandarin speech from espeak-ng as 16 kHz mono int16, or None when espeak-ng is absent."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        log.info("espeak-ng not installed: the simulated applicant stays silent")
        return None
    out = work_dir / f"say-{zlib.crc32(text.encode()):08x}.wav"
    try:
        subprocess.run([exe, "-v", voice, "-s", "150", "-w", str(out), text], check=True,
                       capture_output=True, timeout=30)
    except (subprocess.SubprocessError, OSError) as exc:
        log.info("espeak-ng failed: %s", exc)
        return None
    raw = read_wav(out, 16000)
    silence = np.zeros(int(0.4 * 16000), np.int16)
    return np.concatenate([silence, raw, silence])
