"""The questions, answered aloud."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.kiosk.pages.base import Page, label
from ui.widgets.speaking_bar import SpeakingBar


def answer_cue(partial: str, question: str = "") -> str | None:
    """Which big cue to light while the applicant answers: 'yes', 'no' or None.

    Only a cue, read by the session's own answer checker (the verdict in the evidence is the
    session's): feedback that the kiosk heard something."""
    if not partial.strip():
        return None
    from kiosk.speech.answers import classify_answer  # on first use: the speech stack is not light

    verdict, _reason = classify_answer(question, partial)
    return {"affirm": "yes", "deny": "no"}.get(verdict)


class QaPage(Page):
    """The question, the spoken answer as heard, and 是 / 否 as buttons: a tap is recorded as a
    touch answer beside the spoken one (the recording keeps the voice; the answer checker or the
    staff decide). Signals: touched(str question, str answer "yes"/"no")."""

    touched = Signal(str, str)
    step_key = "qa"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = label(self.tr("问答"), "title")
        v.addWidget(self.title)
        self.question = label("", "hero", center=True)
        v.addWidget(self.question, 1)
        v.addWidget(label(self.tr("请大声回答，也可以点下面的“是”或“否”"), "", center=True))
        row = QHBoxLayout()
        row.addStretch(1)
        self.yes = QPushButton(self.tr("是"))
        self.no = QPushButton(self.tr("否"))
        self.yes.clicked.connect(lambda: self._touch("yes"))
        self.no.clicked.connect(lambda: self._touch("no"))
        row.addWidget(self.yes)
        row.addSpacing(80)
        row.addWidget(self.no)
        row.addStretch(1)
        v.addLayout(row)
        self.heard = label("", "muted", center=True)
        v.addWidget(self.heard)
        self.speaking = SpeakingBar(self.tr("答完了"))
        v.addWidget(self.speaking)
        self.touch_answer: str | None = None
        v.addStretch(1)
        self.cue: str | None = None
        self._set_cue(None)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.question.setText(body)
        self.heard.clear()
        self.speaking.reset()
        self.touch_answer = None
        self._set_cue(None)

    def _touch(self, answer: str) -> None:
        self.touch_answer = answer
        self._set_cue(answer)
        self.heard.setText(self.tr("您点了：") + (self.tr("是") if answer == "yes" else self.tr("否"))
                           + self.tr("。请同时大声说出您的回答"))
        self.touched.emit(self.question.text(), answer)

    def on_guidance(self, text: str, voice_key: str) -> None:
        if text.endswith(("？", "?")):
            self.question.setText(text)
            self.heard.clear()
            self._set_cue(None)

    def on_transcript(self, partial: str, matched: list[bool] | None) -> None:
        if self.touch_answer is not None and not partial:
            return
        self.heard.setText(self.tr("听到：") + partial[-40:] if partial else "")
        self._set_cue(answer_cue(partial, self.question.text()) or self.touch_answer)

    def _set_cue(self, cue: str | None) -> None:
        self.cue = cue
        # both cues stay big and coloured until an answer is heard; then the heard one stays lit
        self.yes.setObjectName("big_yes" if cue in (None, "yes") else "dim")
        self.no.setObjectName("big_no" if cue in (None, "no") else "dim")
        for w in (self.yes, self.no):
            w.style().unpolish(w)
            w.style().polish(w)

    def wipe(self) -> None:
        self.speaking.reset()
        self.touch_answer = None
        self.question.clear()
        self.heard.clear()
        self.title.setText(self.tr("问答"))
        self._set_cue(None)

    def spoken_text(self) -> str:
        return self.question.text()
