"""The people at the kiosk in demo and `simulate` runs.

They act only through the simulated devices, as real people act through real ones: they step
in front of the camera (a `SyntheticApplicant` rendering their photo, performing a liveness
action when the screen asks for it), put their ID card on the reader, speak into the
microphone (speech synthesised with espeak-ng when it is installed) and sign on the pad.
Nothing here tells the analysis what the answer is: the face matcher, the liveness detector,
the recogniser and the signature checks see only pixels, samples and pen points.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path

import cv2
import numpy as np

from devices.audio.sim import SimulatedMicrophone
from devices.base import IdCardData
from devices.camera.actor import SyntheticApplicant
from devices.idcard.sim import SimulatedIdCardReader
from devices.signpad.sim import SimulatedSignaturePad, synth_signature

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


class DemoApplicant:
    def __init__(self, scene: CounterScene, microphone: SimulatedMicrophone, idcard: SimulatedIdCardReader,
                 pad: SimulatedSignaturePad, *, fps: float = 25.0) -> None:
        self.scene = scene
        self.microphone = microphone
        self.idcard = idcard
        self.pad = pad
        self.fps = fps
        self._voice_dir = Path(tempfile.mkdtemp(prefix="bdc-demo-voice-"))
        self.name = ""

    def step_up(self, name: str, card: IdCardData, photo_rgb: np.ndarray | None) -> None:
        """Walk up to the kiosk, show the face and put the ID card on the reader."""
        self.name = name
        seed = zlib.crc32(card.id_number.encode())
        if photo_rgb is not None:
            self.scene.set_actor(SyntheticApplicant(photo_rgb, (self.scene.width, self.scene.height), self.fps,
                                                    seed=seed))
        self.idcard.insert(card)
        self.pad.set_strokes(synth_signature(name, seed))

    def leave(self) -> None:
        self.scene.set_actor(None)
        self.idcard.remove()

    def on_prompt(self, kind: str, text: str) -> None:
        """React to what the screen asks: perform a liveness action."""
        actor = self.scene.actor
        if kind == "action" and actor is not None:
            actor.perform(text)

    def say(self, text: str) -> float:
        """Speak `text` into the microphone. Returns the duration in seconds (0 when no voice)."""
        pcm = synthesize_speech(text, self._voice_dir)
        if pcm is None:
            return 0.0
        self.microphone.append(pcm)
        return len(pcm) / 16000.0

    def close(self) -> None:
        shutil.rmtree(self._voice_dir, ignore_errors=True)


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
    import wave

    with wave.open(str(out), "rb") as wf:
        rate = wf.getframerate()
        raw = np.frombuffer(wf.readframes(wf.getnframes()), dtype=np.int16)
        if wf.getnchannels() > 1:
            raw = raw.reshape(-1, wf.getnchannels())[:, 0]
    if rate != 16000:
        n = int(round(len(raw) * 16000 / rate))
        resampled = cv2.resize(raw.astype(np.float32).reshape(-1, 1), (1, n), interpolation=cv2.INTER_LINEAR).ravel()
        raw = np.clip(resampled, -32768, 32767).astype(np.int16)
    silence = np.zeros(int(0.4 * 16000), np.int16)
    return np.concatenate([silence, raw, silence])
