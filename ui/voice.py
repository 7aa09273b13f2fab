"""Voice on every screen: a pre-rendered WAV when the session names one, else system TTS.

Elderly applicants may not read the screen, so every screen's instruction is also spoken.
Pre-rendered prompts (`resources/voice/<voice_key>.wav`, see `kiosk.speech.guidance`) sound the same on every kiosk;
free text falls back to Qt's text-to-speech where an engine exists (speech-dispatcher on
Kylin/UOS, SAPI on Windows). With neither, the kiosk stays silent and logs that once.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl

log = logging.getLogger(__name__)


class Voice(QObject):
    def __init__(self, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.spoken: list[str] = []  # what was asked to be said, newest last (staff view, tests)
        self._tts: object | None = None
        self._tts_tried = False
        self._effect: object | None = None

    def say(self, text: str, voice_key: str = "") -> None:
        if not text and not voice_key:
            return
        self.spoken = (self.spoken + [text])[-50:]
        if not self.enabled:
            return
        # imported here: kiosk.speech loads pypinyin's dictionaries, half a second the first
        # screen need not wait for
        from kiosk.speech.guidance import guidance_wav

        wav = guidance_wav(voice_key) if voice_key else None
        if wav is not None:
            self._play(wav)
            return
        tts = self._engine()
        if tts is not None:
            tts.say(text)  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()  # type: ignore[attr-defined]
        if self._effect is not None:
            self._effect.stop()  # type: ignore[attr-defined]

    def _play(self, wav: object) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if self._effect is None:
            self._effect = QSoundEffect(self)
        self._effect.setSource(QUrl.fromLocalFile(str(wav)))  # type: ignore[attr-defined]
        self._effect.play()  # type: ignore[attr-defined]

    def _engine(self) -> object | None:
        if self._tts_tried:
            return self._tts
        self._tts_tried = True
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"]
            if not engines:
                log.info("no text-to-speech engine on this system; prompts are shown only")
                return None
            tts = QTextToSpeech(engines[0], self)
            for locale in tts.availableLocales():
                if locale.name().startswith("zh"):
                    tts.setLocale(locale)
                    break
            self._tts = tts
        except ImportError:
            log.info("QtTextToSpeech missing; prompts are shown only")
        return self._tts
