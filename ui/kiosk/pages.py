"""The applicant's screens, one widget per step, all big text and big targets.

Each page knows how to show what the session sends it and how to forget it (`wipe`), so that
an aborted or timed-out session leaves nothing personal and no half-finished step on screen.
Texts that come from the session (titles, statements, questions) arrive already in the
applicant's language; the fixed texts of the pages go through Qt's translation.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.widgets.camera_view import CameraView
from ui.widgets.keypad import NumericKeypad, format_case_no
from ui.widgets.qr_image import qr_pixmap

_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


def split_sentences(text: str) -> list[str]:
    """The statement's sentences as shown, in the same places the matcher cuts them."""
    try:
        from kiosk.speech.normalize import split_sentences as kiosk_split
    except ImportError:
        return [m.group(0) for m in _SENTENCE_RE.finditer(text) if m.group(0).strip()]
    return kiosk_split(text)


def _label(text: str = "", name: str = "", wrap: bool = True, center: bool = False) -> QLabel:
    lab = QLabel(text)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    if center:
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


def _icon(name: str, size: int) -> QLabel:
    lab = QLabel()
    lab.setPixmap(theme.svg_pixmap(name, size))
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lab


def _pen(colour: str, width: float, *, dashed: bool = False) -> QPen:
    """A pen built by setters: PySide 6.12 mis-counts references in QPen's many-argument
    constructor when it is called for every ink segment (seen as a crash while painting)."""
    pen = QPen()
    pen.setColor(QColor(colour))
    pen.setWidthF(width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class Page(QWidget):
    """A screen of the applicant flow. `camera` is the page's preview (None when it has none)."""

    step_key = "message"
    camera: CameraView | None = None

    def show_content(self, title: str, body: str) -> None:
        """Show what the session sent with `show_step`."""

    def wipe(self) -> None:
        """Forget everything this page showed."""

    def spoken_text(self) -> str:
        """What to say when the page comes up (voice on every screen)."""
        return ""


# ---------------------------------------------------------------------------- intake
class WelcomePage(Page):
    """Attract screen. Signals: start()."""

    start = Signal()
    step_key = "welcome"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        v.addWidget(_icon("logo", 180))
        v.addWidget(_label(self.tr("不动产登记 双录签名"), "hero", center=True))
        v.addWidget(_label(self.tr("身份核验 · 告知 · 陈述 · 问答 · 签字，全程录音录像"), "muted", center=True))
        v.addSpacing(40)
        self.button = QPushButton(self.tr("请触摸这里开始办理"))
        self.button.setMinimumHeight(int(theme.touch_px() * 1.6))
        self.button.clicked.connect(self.start)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button, 3)
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        # gentle pulse so that the screen invites a touch from across the hall
        self._pulse = 0
        self._timer = QTimer(self)
        self._timer.setInterval(700)
        self._timer.timeout.connect(self._tick)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self._pulse ^= 1
        self.button.setObjectName("" if self._pulse else "secondary")
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)

    def spoken_text(self) -> str:
        return self.tr("您好，请触摸屏幕开始办理")


class CaseEntryPage(Page):
    """受理号 by numeric keypad or by the receipt's QR code. Signals: entered(str), back()."""

    entered = Signal(str)
    back = Signal()
    step_key = "intake"

    def __init__(self, prefix: str = "LH", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix = prefix
        self.digits = ""
        outer = QVBoxLayout(self)
        outer.addWidget(_label(self.tr("请输入受理号，或将受理单上的二维码对准摄像头"), "title"))
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.scanner = CameraView(oval=False)
        self.camera = self.scanner
        scan_head = QHBoxLayout()
        scan_head.addStretch(1)
        scan_head.addWidget(_icon("qr", 48))
        scan_head.addWidget(_label(self.tr("扫描二维码"), "", wrap=False))
        scan_head.addStretch(1)
        left.addLayout(scan_head)
        left.addWidget(self.scanner, 1)
        right = QVBoxLayout()
        self.display = QLineEdit()
        self.display.setObjectName("case_display")
        self.display.setReadOnly(True)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(theme.touch_px() + 20)
        self.problem = _label("", "muted")
        self.keypad = NumericKeypad(accept_label=self.tr("确定"))
        self.keypad.digit.connect(self._digit)
        self.keypad.backspace.connect(self._backspace)
        self.keypad.cleared.connect(self._clear)
        self.keypad.accepted.connect(self._accept)
        right.addWidget(self.display)
        right.addWidget(self.problem)
        right.addWidget(self.keypad, 1)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        self.back_button = QPushButton(self.tr("返回"))
        self.back_button.setObjectName("secondary")
        self.back_button.clicked.connect(self.back)
        left.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._render()

    @property
    def case_no(self) -> str:
        return format_case_no(self.prefix, self.digits)

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)

    def _digit(self, d: str) -> None:
        if len(self.digits) < 12:
            self.digits += d
            self.problem.clear()
            self._render()

    def _backspace(self) -> None:
        self.digits = self.digits[:-1]
        self._render()

    def _clear(self) -> None:
        self.digits = ""
        self._render()

    def _render(self) -> None:
        self.display.setText(self.case_no)

    def _accept(self) -> None:
        if len(self.digits) < 6:
            self.problem.setText(self.tr("受理号位数不够，请核对受理单"))
            return
        self.entered.emit(self.case_no)

    def wipe(self) -> None:
        self.digits = ""
        self.problem.clear()
        self._render()
        self.scanner.clear()

    def spoken_text(self) -> str:
        return self.tr("请输入受理号，或将受理单上的二维码对准摄像头")


class BusyPage(Page):
    """Waiting for the platform or the devices; nothing to do but wait."""

    step_key = "busy"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        self.text = _label(self.tr("正在查询案件，请稍候…"), "title", center=True)
        v.addWidget(self.text)
        v.addStretch(1)

    def show_content(self, title: str, body: str) -> None:
        self.text.setText(title)

    def wipe(self) -> None:
        self.text.setText(self.tr("请稍候…"))


# ---------------------------------------------------------------------------- identity
class CardAnimation(QWidget):
    """An ID card sliding down onto the reader, over and over: "put your card here"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._tick)
        self.setMinimumSize(260, 240)
        self._card = theme.svg_pixmap("idcard", 160)
        self._reader = theme.svg_pixmap("reader", 200)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    def _tick(self) -> None:
        self.phase = (self.phase + 0.02) % 1.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        cx = self.width() / 2
        base = self.height() - 10
        p.drawPixmap(int(cx - 100), int(base - 160), self._reader)
        t = min(1.0, self.phase * 1.6)
        y = 0 + t * max(0.0, base - 160 - 60 - 0)
        p.drawPixmap(int(cx - 80), int(y), self._card)
        p.end()


_ACTION_ICONS = (("眨眼", "blink"), ("张嘴", "mouth"), ("左", "turn_left"), ("右", "turn_right"),
                 ("点头", "nod"), ("blink", "blink"), ("mouth", "mouth"), ("left", "turn_left"),
                 ("right", "turn_right"), ("nod", "nod"))


def action_icon(text: str, voice_key: str = "") -> str | None:
    """The liveness icon for a prompt ("请眨眨眼" → blink), from the voice key or the words."""
    for word, icon_name in _ACTION_ICONS:
        if word in voice_key:
            return icon_name
    for word, icon_name in _ACTION_ICONS:
        if word in text:
            return icon_name
    return None


class IdentityPage(Page):
    """ID card prompt with animation, then the live face check with an oval guide and action icons."""

    step_key = "identity"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = _label(self.tr("身份核验"), "title")
        v.addWidget(self.title)
        row = QHBoxLayout()
        self.card = CardAnimation()
        self.card_text = _label(self.tr("请将身份证放在读卡器上"), "", center=True)
        card_box = QVBoxLayout()
        card_box.addWidget(self.card, 1)
        card_box.addWidget(self.card_text)
        self.card_panel = QWidget()
        self.card_panel.setLayout(card_box)
        self.face = CameraView(oval=True)
        self.camera = self.face
        self.action = QLabel()
        self.action.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.action.setMinimumWidth(220)
        row.addWidget(self.card_panel, 1)
        row.addWidget(self.face, 2)
        row.addWidget(self.action)
        v.addLayout(row, 1)
        self.wipe()

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        if body:
            self.card_text.setText(body)
        # the card prompt only while the card is asked for; the face check gets the whole width
        self.card_panel.setVisible("身份证" in title + body or "card" in body.lower())
        self.action.clear()

    def on_guidance(self, text: str, voice_key: str) -> None:
        name = action_icon(text, voice_key)
        if name:
            self.action.setPixmap(theme.svg_pixmap(name, 200))
        else:
            self.action.clear()
        self.face.oval_ok = "保持" in text or "ok" in voice_key

    def on_preview(self, attached: bool) -> None:
        """The preview runs for the whole party (one recording); the card prompt decides the panel."""

    def wipe(self) -> None:
        self.title.setText(self.tr("身份核验"))
        self.card_text.setText(self.tr("请将身份证放在读卡器上"))
        self.card_panel.show()
        self.action.clear()
        self.face.clear()

    def spoken_text(self) -> str:
        return self.tr("请将身份证放在读卡器上，然后看着摄像头")


# ---------------------------------------------------------------------------- notice / statement / Q&A
class NoticePage(Page):
    step_key = "notice"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = _label(self.tr("告知"), "title")
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        v.addWidget(self.title)
        v.addWidget(self.body, 1)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setPlainText(body)

    def wipe(self) -> None:
        self.title.setText(self.tr("告知"))
        self.body.clear()

    def spoken_text(self) -> str:
        return self.body.toPlainText()


class StatementPage(Page):
    """The statement to read aloud; recognised sentences turn green as the applicant speaks,
    and after an attempt only the sentences still missing are marked to be read again."""

    step_key = "statement"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = _label(self.tr("请大声朗读下面的文字"), "title")
        top.addWidget(_icon("mic", 72))
        top.addWidget(self.title, 1)
        self.rec = _label(self.tr("● 录音录像中"), "muted")
        self.rec.setStyleSheet(f"color: {theme.NO}; font-weight: bold;")
        top.addWidget(self.rec)
        v.addLayout(top)
        self.text = QTextBrowser()
        v.addWidget(self.text, 1)
        self.heard = _label("", "muted")
        v.addWidget(self.heard)
        self.sentences: list[str] = []
        self.matched: list[bool] | None = None

    def show_content(self, title: str, body: str) -> None:
        if title:
            self.title.setText(title)
        self.sentences = split_sentences(body) if body else []
        self.matched = None
        self.heard.clear()
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
        self.sentences, self.matched = [], None
        self.text.clear()
        self.heard.clear()
        self.title.setText(self.tr("请大声朗读下面的文字"))

    def spoken_text(self) -> str:
        return self.tr("请大声朗读屏幕上的文字")


_YES_WORDS = ("是", "对", "同意", "自愿", "确认", "愿意", "yes")
_NO_WORDS = ("不", "否", "没有", "没", "no")


def answer_cue(partial: str) -> str | None:
    """Which big cue to light while the applicant answers: 'yes', 'no' or None.

    Only a cue: the verdict is the session's (the answer checker), this is feedback that the
    kiosk heard something."""
    text = partial.strip().lower()
    if not text:
        return None
    if any(w in text for w in _NO_WORDS):
        return "no"
    if any(w in text for w in _YES_WORDS):
        return "yes"
    return None


class QaPage(Page):
    step_key = "qa"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = _label(self.tr("问答"), "title")
        v.addWidget(self.title)
        self.question = _label("", "hero", center=True)
        v.addWidget(self.question, 1)
        v.addWidget(_label(self.tr("请大声回答"), "", center=True))
        row = QHBoxLayout()
        row.addStretch(1)
        self.yes = _label(self.tr("是"), "dim", wrap=False, center=True)
        self.no = _label(self.tr("否"), "dim", wrap=False, center=True)
        row.addWidget(self.yes)
        row.addSpacing(80)
        row.addWidget(self.no)
        row.addStretch(1)
        v.addLayout(row)
        self.heard = _label("", "muted", center=True)
        v.addWidget(self.heard)
        v.addStretch(1)
        self.cue: str | None = None
        self._set_cue(None)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.question.setText(body)
        self.heard.clear()
        self._set_cue(None)

    def on_guidance(self, text: str, voice_key: str) -> None:
        if text.endswith(("？", "?")):
            self.question.setText(text)
            self.heard.clear()
            self._set_cue(None)

    def on_transcript(self, partial: str, matched: list[bool] | None) -> None:
        self.heard.setText(self.tr("听到：") + partial[-40:] if partial else "")
        self._set_cue(answer_cue(partial))

    def _set_cue(self, cue: str | None) -> None:
        self.cue = cue
        # both cues stay big and coloured until an answer is heard; then the heard one stays lit
        self.yes.setObjectName("big_yes" if cue in (None, "yes") else "dim")
        self.no.setObjectName("big_no" if cue in (None, "no") else "dim")
        for w in (self.yes, self.no):
            w.style().unpolish(w)
            w.style().polish(w)

    def wipe(self) -> None:
        self.question.clear()
        self.heard.clear()
        self.title.setText(self.tr("问答"))
        self._set_cue(None)

    def spoken_text(self) -> str:
        return self.question.text()


# ---------------------------------------------------------------------------- signing
class InkMirror(QWidget):
    """The ink as it arrives from the pad, so the applicant sees the signature take shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[float, float, float]] = []
        self.setMinimumSize(300, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def add(self, points: list[tuple[float, float, float]]) -> None:
        self.points.extend(points)
        self.update()

    def clear(self) -> None:
        self.points = []
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#fffdf3"))
        p.setPen(_pen("#9aa6b8", 2.0, dashed=True))
        p.drawRect(self.rect().adjusted(1, 1, -2, -2))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        prev: QPointF | None = None
        ink = _pen("#000000", 2.0)
        ink.setCapStyle(Qt.PenCapStyle.RoundCap)
        for x, y, pressure in self.points:
            if pressure <= 0:
                prev = None
                continue
            pt = QPointF(x * w, y * h)
            if prev is not None:
                ink.setWidthF(1.5 + 4 * pressure)
                p.setPen(ink)
                p.drawLine(prev, pt)
            prev = pt
        p.end()


class PdfPageView(QWidget):
    """One PDF page as an image with the signature place framed.

    The page image comes from `ui.widgets.pdf_reader` when that widget is there; here it is a
    rendered QImage given by the caller (`set_page`), drawn with the anchor rectangle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: Any = None
        self.page_size: tuple[float, float] = (595.0, 842.0)
        self.rect_pt: tuple[float, float, float, float] | None = None
        self.setMinimumSize(280, 300)

    def set_page(self, image: Any, page_size: tuple[float, float],
                 rect: tuple[float, float, float, float] | None) -> None:
        self.image, self.page_size, self.rect_pt = image, page_size, rect
        self.update()

    def clear(self) -> None:
        self.image, self.rect_pt = None, None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#e6e9ef"))
        pw, ph = self.page_size
        scale = min(self.width() / pw, self.height() / ph)
        w, h = pw * scale, ph * scale
        ox, oy = (self.width() - w) / 2, (self.height() - h) / 2
        page = QRectF(ox, oy, w, h)
        p.fillRect(page, QColor("#ffffff"))
        if self.image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(page, self.image)
        else:
            p.setPen(QColor(theme.MUTED))
            p.drawText(page, Qt.AlignmentFlag.AlignCenter, self.tr("正在打开文书…"))
        if self.rect_pt is not None:
            x, y, rw, rh = self.rect_pt  # PDF points, origin bottom-left
            box = QRectF(ox + x * scale, oy + (ph - y - rh) * scale, rw * scale, rh * scale)
            path = QPainterPath()
            path.addRoundedRect(box.adjusted(-4, -4, 4, 4), 6, 6)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(_pen(theme.NO, 4.0))
            p.drawPath(path)
            p.setPen(QColor(theme.NO))
            f = p.font()
            f.setPointSize(max(12, f.pointSize() - 8))
            f.setBold(True)
            p.setFont(f)
            p.drawText(QRectF(box.left(), box.top() - 44, max(box.width(), 200), 36),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, self.tr("在此签字"))
        p.end()


class SigningPage(Page):
    """The document to sign (page with the signature place marked) and the ink mirror."""

    step_key = "signing"

    def __init__(self, render_page: Callable[[bytes, int], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._render_page = render_page
        v = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(_icon("pen", 72))
        self.title = _label(self.tr("阅读并签字"), "title")
        top.addWidget(self.title, 1)
        v.addLayout(top)
        row = QHBoxLayout()
        self.page = PdfPageView()
        right = QVBoxLayout()
        self.doc_title = _label("", "")
        self.hint = _label(self.tr("请用签字笔在签字板上签署您的姓名，签完按“确认”"), "muted")
        self.ink = InkMirror()
        right.addWidget(self.doc_title)
        right.addWidget(self.hint)
        right.addWidget(self.ink, 1)
        row.addWidget(self.page, 3)
        row.addLayout(right, 2)
        v.addLayout(row, 1)
        self.doc_id = ""
        self.pdf: bytes = b""

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        if body:
            self.hint.setText(body)

    def on_document(self, doc_id: str, title: str, pdf: bytes, page: int,
                    rect: tuple[float, float, float, float]) -> None:
        self.doc_id, self.pdf = doc_id, pdf
        self.doc_title.setText(title)
        self.ink.clear()
        self.page.set_page(None, self.page.page_size, rect)
        if self._render_page is not None:
            self._render_page(pdf, page)

    def on_page_image(self, image: Any, page_size: tuple[float, float]) -> None:
        self.page.set_page(image, page_size, self.page.rect_pt)

    def on_pen(self, points: list[tuple[float, float, float]]) -> None:
        self.ink.add(points)

    def wipe(self) -> None:
        self.doc_id, self.pdf = "", b""
        self.doc_title.clear()
        self.ink.clear()
        self.page.clear()
        self.title.setText(self.tr("阅读并签字"))

    def spoken_text(self) -> str:
        return self.tr("请阅读文书，然后在签字板上签名")


# ---------------------------------------------------------------------------- review / result / message
class ReviewPage(Page):
    step_key = "review"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        self.title = _label(self.tr("请确认办理结果"), "title")
        self.body = QTextBrowser()
        v.addWidget(self.title)
        v.addWidget(self.body, 1)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setPlainText(body)

    def wipe(self) -> None:
        self.body.clear()

    def spoken_text(self) -> str:
        return self.tr("请核对办理内容，确认无误后点击确认")


class ResultPage(Page):
    """The end: tick or cross, the text, the receipt QR and "请取走身份证". Signals: done()."""

    done = Signal()
    step_key = "result"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.mark = QLabel()
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = _label("", "title")
        row.addWidget(self.mark)
        row.addWidget(self.text, 1)
        v.addLayout(row)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_hint = _label(self.tr("扫码查看办理回执"), "muted", center=True)
        v.addWidget(self.qr, 1)
        v.addWidget(self.qr_hint)
        self.take_card = _label(self.tr("请取走身份证"), "take_card", center=True)
        v.addWidget(self.take_card)
        self.button = QPushButton(self.tr("完成"))
        self.button.clicked.connect(self.done)
        v.addWidget(self.button)
        self.ok = False
        self.wipe()

    def show_result(self, ok: bool, text: str, qr_payload: str) -> None:
        self.ok = ok
        self.mark.setPixmap(theme.svg_pixmap("ok" if ok else "fail", 120))
        self.text.setText(text)
        if qr_payload:
            self.qr.setPixmap(qr_pixmap(qr_payload, 240))
            self.qr_hint.show()
        else:
            self.qr.clear()
            self.qr_hint.hide()

    def wipe(self) -> None:
        self.mark.clear()
        self.text.clear()
        self.qr.clear()
        self.qr_hint.hide()

    def spoken_text(self) -> str:
        return self.text.text() + " " + self.tr("请取走身份证")


class MessagePage(Page):
    """Any other screen the session wants (a wait, a problem, a hand-over between parties)."""

    step_key = "message"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        self.title = _label("", "hero", center=True)
        self.body = _label("", "", center=True)
        v.addWidget(self.title)
        v.addWidget(self.body)
        v.addStretch(1)

    def show_content(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setText(body)

    def wipe(self) -> None:
        self.title.clear()
        self.body.clear()

    def spoken_text(self) -> str:
        return self.title.text() + " " + self.body.text()


class EscalationPage(Page):
    """A step could not be passed automatically. In kiosk mode the applicant may try again or
    stop; a manual decision needs staff (staff button → staff login with reason).
    Signals: retry(), stop(), staff()."""

    retry = Signal()
    stop = Signal()
    staff = Signal()
    step_key = "escalation"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addStretch(1)
        v.addWidget(_icon("staff", 110))
        v.addWidget(_label(self.tr("需要工作人员协助"), "hero", center=True))
        self.reason = _label("", "", center=True)
        v.addWidget(self.reason)
        self.waiting = _label(self.tr("工作人员正在处理，请稍候"), "muted", center=True)
        v.addWidget(self.waiting)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("再试一次"))
        self.retry_button.clicked.connect(self.retry)
        self.staff_button = QPushButton(self.tr("工作人员处理"))
        self.staff_button.setObjectName("secondary")
        self.staff_button.clicked.connect(self.staff)
        self.stop_button = QPushButton(self.tr("结束办理"))
        self.stop_button.setObjectName("danger")
        self.stop_button.clicked.connect(self.stop)
        for b in (self.retry_button, self.staff_button, self.stop_button):
            row.addWidget(b)
        self.buttons = QWidget()
        self.buttons.setLayout(row)
        v.addWidget(self.buttons)
        v.addStretch(1)

    def ask(self, reason: str, options: list[str], applicant_may_answer: bool) -> None:
        self.reason.setText(reason)
        self.buttons.setVisible(applicant_may_answer)
        self.waiting.setVisible(not applicant_may_answer)
        self.retry_button.setVisible("retry" in options)
        self.staff_button.setVisible(any(o.startswith("manual") for o in options))

    def wipe(self) -> None:
        self.reason.clear()

    def spoken_text(self) -> str:
        return self.tr("需要工作人员协助")
