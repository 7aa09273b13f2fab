"""The statement read aloud."""
from __future__ import annotations

import html
import re

from PySide6.QtWidgets import (
    QHBoxLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.kiosk.pages.base import Page, icon, label
from ui.widgets.speaking_bar import SpeakingBar

_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


def split_sentences(text: str) -> list[str]:
    """The statement's sentences as shown, in the same places the matcher cuts them."""
    try:
        from kiosk.speech.normalize import split_sentences as kiosk_split
    except ImportError:
        return [m.group(0) for m in _SENTENCE_RE.finditer(text) if m.group(0).strip()]
    return kiosk_split(text)



class StatementPage(Page):
    """The statement to read aloud; recognised sentences turn green as the applicant speaks,
    and after an attempt only the sentences still missing are marked to be read again."""

    step_key = "statement"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = label(self.tr("请大声朗读下面的文字"), "title")
        top.addWidget(icon("mic", 72))
        top.addWidget(self.title, 1)
        self.rec = label(self.tr("● 录音录像中"), "muted")
        self.rec.setStyleSheet(f"color: {theme.NO}; font-weight: bold;")
        top.addWidget(self.rec)
        v.addLayout(top)
        self.text = QTextBrowser()
        self.text.setObjectName("statement")
        v.addWidget(self.text, 1)
        self.heard = label("", "muted")
        v.addWidget(self.heard)
        self.speaking = SpeakingBar(self.tr("读完了"))
        v.addWidget(self.speaking)
        self.sentences: list[str] = []
        self.matched: list[bool] | None = None

    def show_content(self, title: str, body: str) -> None:
        if title:
            self.title.setText(title)
        self.sentences = split_sentences(body) if body else []
        self.matched = None
        self.heard.clear()
        self.speaking.reset()
        self._render()

    def on_transcript(self, partial: str, matched: list[bool] | None) -> None:
        self.heard.setText(self.tr("听到：") + partial[-60:] if partial else "")
        if matched is not None and len(matched) == len(self.sentences):
            self.matched = list(matched)
            self._render()

    def _render(self) -> None:
        parts = []
        for i, sentence in enumerate(self.sentences):
            style = ""
            if self.matched is not None:
                ok = self.matched[i]
                bg = theme.MATCHED_BG if ok else theme.MISSING_BG
                style = f"background:{bg};" + ("" if ok else "font-weight:bold; text-decoration: underline;")
            parts.append(f'<span style="{style}">{html.escape(sentence)}</span>')
        self.text.setHtml(f'<div style="line-height:160%;">{"".join(parts)}</div>')

    def missing(self) -> list[str]:
        if self.matched is None:
            return list(self.sentences)
        return [s for s, ok in zip(self.sentences, self.matched, strict=False) if not ok]

    def wipe(self) -> None:
        self.speaking.reset()
        self.sentences, self.matched = [], None
        self.text.clear()
        self.heard.clear()
        self.title.setText(self.tr("请大声朗读下面的文字"))

    def spoken_text(self) -> str:
        return self.tr("请大声朗读屏幕上的文字")
