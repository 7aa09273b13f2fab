"""Spoken guidance: the fixed instructions of every step, rendered ahead as WAV files.

Kiosks on Kylin/UOS often have no speech engine for QtTextToSpeech, so every fixed
instruction ships as a WAV in `resources/voice/` (rendered with espeak-ng `-v cmn` by
`render_guidance`), listed in `index.json` with its text, duration and sha256. The UI plays
QtTextToSpeech where an engine exists and these files otherwise; either way it tells the
ASR worker to mute for `duration_s(key)` so the kiosk's own voice is never heard as an answer.
Free text (the notice of a case) is rendered at run time by `synthesize` when espeak-ng is
installed.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import wave
from functools import lru_cache
from pathlib import Path

from kiosk.errors import UserFacingError

VOICE_DIR = Path(__file__).resolve().parents[2] / "resources" / "voice"

GUIDANCE: dict[str, str] = {
    "welcome": "您好，欢迎使用不动产登记双录签名终端。",
    "place_id_card": "请将身份证放在读卡区，不要移动。",
    "remove_id_card": "身份证已读取，请取回您的身份证。",
    "look_at_camera": "请正对摄像头，保持面部在框内。",
    "blink": "请眨眨眼。",
    "nod": "请缓慢点头。",
    "shake_head": "请缓慢左右摇头。",
    "open_mouth": "请张张嘴。",
    "turn_left": "请把头向左转。",
    "turn_right": "请把头向右转。",
    "face_failed": "人脸核验没有通过，请摘下帽子或眼镜后再试一次。",
    "recording_started": "现在开始录音录像，请不要离开。",
    "read_notice": "请仔细阅读屏幕上的告知书。",
    "read_statement": "请看着屏幕，大声朗读屏幕上的文字。",
    "read_again": "请再读一遍标出的句子。",
    "answer_question": "请回答问题，说是或者不是。",
    "answer_again": "没有听清，请再回答一次。",
    "sign_here": "请在签字板上签下您的姓名，写完后点确认。",
    "sign_again": "签名不清楚，请重新签名。",
    "call_staff": "请稍候，工作人员马上为您服务。",
    "done": "办理完成，请带好您的身份证和随身物品。",
    "timeout": "您很久没有操作，本次办理即将结束。",
}


class VoiceUnavailable(UserFacingError):
    def __init__(self, detail: str) -> None:
        super().__init__("语音播报不可用，请按屏幕提示操作", detail=detail, code="tts_unavailable")


def guidance_wav(key: str) -> Path | None:
    """The pre-rendered WAV of a guidance `key`, or None when there is none for it."""
    if key not in GUIDANCE:
        return None
    path = VOICE_DIR / f"{key}.wav"
    return path if path.is_file() else None


def guidance_text(key: str) -> str:
    return GUIDANCE[key]


@lru_cache(maxsize=64)
def duration_s(key: str) -> float:
    """How long the kiosk speaks for `key` (0 when there is no recording)."""
    path = guidance_wav(key)
    if path is None:
        return 0.0
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def synthesize(text: str, out: Path, *, voice: str = "cmn", rate: int = 16000, speed: int = 150) -> Path:
    """Render `text` with espeak-ng into a mono 16-bit WAV at `rate` Hz.

    Slower than espeak's default (150 words per minute) because the listeners are often old.
    """
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise VoiceUnavailable("espeak-ng is not installed")
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = out.with_suffix(".espeak.wav")
    try:
        subprocess.run([exe, "-v", voice, "-s", str(speed), "-w", str(raw), text],
                       check=True, capture_output=True, timeout=60)
        _resample_wav(raw, out, rate)
    except (subprocess.SubprocessError, OSError) as exc:
        raise VoiceUnavailable(f"espeak-ng failed: {exc}") from None
    finally:
        raw.unlink(missing_ok=True)
    return out


def spoken_text_wav(text: str, cache_dir: Path) -> Path:
    """A WAV of free `text` (a case's notice), rendered once and kept by the hash of the text,
    so the notice of the next party of the same case starts speaking at once."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    path = cache_dir / f"tts-{digest}.wav"
    if path.is_file():
        return path
    return synthesize(text, path)


def _resample_wav(src: Path, dst: Path, rate: int) -> None:
    """espeak-ng's WAV brought to `rate` mono (the shared resampler of `devices.audio.pcm`)."""
    from devices.audio.pcm import read_wav

    out = read_wav(src, rate)
    tmp = dst.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(out.tobytes())
    tmp.replace(dst)


def render_guidance(out_dir: Path = VOICE_DIR) -> dict[str, dict[str, object]]:
    """Render every guidance text into `out_dir` and write `index.json`; returns the index."""
    index: dict[str, dict[str, object]] = {}
    for key, text in GUIDANCE.items():
        path = synthesize(text, out_dir / f"{key}.wav")
        with wave.open(str(path), "rb") as w:
            dur = w.getnframes() / float(w.getframerate())
        index[key] = {"text": text, "file": path.name, "duration_s": round(dur, 3),
                      "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    (out_dir / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    duration_s.cache_clear()
    return index


if __name__ == "__main__":  # pragma: no cover - run by hand when GUIDANCE changes
    for k, v in render_guidance().items():
        print(k, v["duration_s"])
