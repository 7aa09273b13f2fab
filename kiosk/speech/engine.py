"""The speech recognition engine: an interface and its Vosk implementation.

One `SpeechEngine` holds the model (large, loaded once, shared by every thread); each
`SpeechStream` holds one recogniser and belongs to the thread that feeds it. Vosk's model is
safe to share and its recognisers are not, which is exactly this split.

For statements, `statement_grammar` restricts the recogniser to the prompt's words: each
word is looked up in the model's vocabulary and, when unknown, split into the longest known
pieces down to single characters. A grammar cannot hear what it does not contain, so a
grammar stream also runs a free (full-vocabulary) recogniser on the same audio: its text is
where an inserted 不/没有 or a substituted word shows up (`Transcript.free`).
"""
from __future__ import annotations

import abc
import json
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from kiosk.errors import UserFacingError
from kiosk.speech.normalize import NEGATIONS, split_sentences, to_halfwidth
from kiosk.texts import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

_MAX_WORD_CHARS = 8
# what the free pass and the grammar always allow besides the prompt: refusals and fillers,
# so that "不同意" is recognised as such instead of being forced onto prompt words
_ALWAYS_ALLOWED = (*NEGATIONS, "嗯", "呃", "啊")


class ModelMissing(UserFacingError):  # noqa: N818 - the name the session runner uses
    """No usable speech model: kiosk mode stops and calls staff; counter staff confirm by listening."""

    def __init__(self, model_dir: Path | str, reason: str) -> None:
        super().__init__(QT_TRANSLATE_NOOP("kiosk", "语音识别模型不可用，请联系工作人员（工作人员可人工听取核对）"),
                         detail=f"model {model_dir}: {reason}", code="model_missing")
        self.model_dir = Path(model_dir)
        self.reason = reason


class Word(NamedTuple):
    """One recognised word with its times (seconds from the stream's first sample)."""

    word: str
    start: float
    end: float
    conf: float


@dataclass
class Transcript:
    """What a stream heard. `free` is the full-vocabulary pass of a grammar stream."""

    text: str
    words: list[Word]
    offset_s: float = 0.0  # capture time (monotonic) of the stream's first sample
    grammar: bool = False
    free: Transcript | None = None
    segments: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text, "grammar": self.grammar, "offset_s": round(self.offset_s, 3),
            "words": [{"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3),
                       "conf": round(w.conf, 3)} for w in self.words]}
        if self.free is not None:
            out["free"] = self.free.to_json()
        return out


class SpeechStream(abc.ABC):
    """One recogniser fed from one thread."""

    offset_s: float = 0.0  # capture time of the first sample, copied into the Transcript

    @abc.abstractmethod
    def accept(self, pcm_int16: np.ndarray) -> str | None:
        """Feed mono int16 samples; return the text heard so far when it changed, else None."""

    @abc.abstractmethod
    def finish(self) -> Transcript:
        """Flush and return the whole transcript; the stream is done afterwards."""

    @abc.abstractmethod
    def heard(self) -> Transcript:
        """What was heard so far (final segments and the current partial, of both passes),
        without ending the stream: enough to judge whether the reader has finished."""


class SpeechEngine(abc.ABC):
    """A loaded model that makes streams."""

    model_dir: Path
    name: str

    @abc.abstractmethod
    def stream(self, rate: int = 16000, grammar: list[str] | None = None, *,
               free_pass: bool = True) -> SpeechStream: ...

    @abc.abstractmethod
    def knows_word(self, word: str) -> bool:
        """Whether `word` is in the model's vocabulary (grammar words outside it are ignored)."""


class _VoskRecognition:
    """One Vosk recogniser and the segments it finalised."""

    def __init__(self, model: Any, rate: int, grammar: list[str] | None) -> None:
        import vosk

        if grammar is None:
            self.rec = vosk.KaldiRecognizer(model, float(rate))
        else:
            self.rec = vosk.KaldiRecognizer(model, float(rate), json.dumps(grammar, ensure_ascii=False))
        self.rec.SetWords(True)
        self.words: list[Word] = []
        self.segments: list[str] = []
        self.partial = ""

    def _take(self, result_json: str) -> None:
        data = json.loads(result_json)
        for w in data.get("result", []):
            if w.get("word") == "[unk]":
                continue
            self.words.append(Word(w["word"], float(w["start"]), float(w["end"]), float(w.get("conf", 1.0))))
        text = data.get("text", "").strip()
        if text:
            self.segments.append(text)

    def accept(self, data: bytes) -> None:
        if self.rec.AcceptWaveform(data):
            self._take(self.rec.Result())
            self.partial = ""
        else:
            self.partial = json.loads(self.rec.PartialResult()).get("partial", "").strip()

    def text(self) -> str:
        return " ".join([*self.segments, self.partial]).strip()

    def finish(self, grammar: bool, offset: float) -> Transcript:
        self._take(self.rec.FinalResult())
        self.partial = ""
        text = " ".join(self.segments).replace("[unk]", "").strip()
        return Transcript(re.sub(r"\s+", " ", text), list(self.words), offset, grammar, None, list(self.segments))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("[unk]", "")).strip()


class VoskStream(SpeechStream):
    def __init__(self, model: Any, rate: int, grammar: list[str] | None, free_pass: bool) -> None:
        self._main = _VoskRecognition(model, rate, grammar)
        self._free = _VoskRecognition(model, rate, None) if grammar is not None and free_pass else None
        self._grammar = grammar is not None
        self._last = ""
        self._owner = threading.get_ident()
        self._done = False
        self.offset_s = 0.0

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            # a Vosk recogniser used from two threads corrupts its state silently
            raise RuntimeError("a SpeechStream is used from one thread only")

    def accept(self, pcm_int16: np.ndarray) -> str | None:
        self._check_thread()
        if self._done:
            raise RuntimeError("stream already finished")
        data = np.ascontiguousarray(pcm_int16, dtype="<i2").tobytes()
        if not data:
            return None
        self._main.accept(data)
        if self._free is not None:
            self._free.accept(data)
        text = self._main.text()
        if text != self._last:
            self._last = text
            return text
        return None

    def heard(self) -> Transcript:
        self._check_thread()
        free = None
        if self._free is not None:
            free = Transcript(_clean(self._free.text()), [], self.offset_s, False)
        return Transcript(_clean(self._main.text()), [], self.offset_s, self._grammar, free)

    def finish(self) -> Transcript:
        self._check_thread()
        self._done = True
        result = self._main.finish(self._grammar, self.offset_s)
        if self._free is not None:
            result.free = self._free.finish(False, self.offset_s)
        return result


class VoskEngine(SpeechEngine):
    def __init__(self, model_dir: Path) -> None:
        import vosk

        vosk.SetLogLevel(-1)
        self.model_dir = Path(model_dir)
        self.name = self.model_dir.name
        try:
            self._model = vosk.Model(str(self.model_dir))
        except Exception as exc:  # noqa: BLE001 - vosk raises a bare Exception on any load failure
            raise ModelMissing(self.model_dir, f"vosk could not load it: {exc}") from None
        self._lock = threading.Lock()
        self._known: dict[str, bool] = {}
        self.has_unk = self.knows_word("[unk]")

    def knows_word(self, word: str) -> bool:
        with self._lock:
            if word not in self._known:
                self._known[word] = self._model.vosk_model_find_word(word) >= 0
            return self._known[word]

    def stream(self, rate: int = 16000, grammar: list[str] | None = None, *,
               free_pass: bool = True) -> VoskStream:
        if grammar is not None:
            grammar = [g for g in grammar if g.strip()]
            if self.has_unk and "[unk]" not in grammar:
                grammar.append("[unk]")
        return VoskStream(self._model, rate, grammar, free_pass)


def _model_files_problem(model_dir: Path) -> str | None:
    if not model_dir.is_dir():
        return "directory does not exist"
    if not (model_dir / "am" / "final.mdl").is_file():
        return "am/final.mdl missing (not a Vosk model directory?)"
    graph = model_dir / "graph"
    if not ((graph / "HCLG.fst").is_file() or (graph / "HCLr.fst").is_file()):
        return "graph/HCLG.fst or graph/HCLr.fst missing"
    return None


_ENGINES: dict[Path, VoskEngine] = {}
_ENGINES_LOCK = threading.Lock()


def load_engine(model_dir: Path) -> SpeechEngine:
    """The engine for `model_dir`, loaded once per process and shared by every stream.

    Raises ModelMissing when the directory is absent or not a loadable Vosk model.
    """
    model_dir = Path(model_dir).resolve()
    problem = _model_files_problem(model_dir)
    if problem:
        raise ModelMissing(model_dir, problem)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(model_dir)
        if engine is None:
            engine = VoskEngine(model_dir)
            _ENGINES[model_dir] = engine
            log.info("speech model loaded", extra={"model": model_dir.name})
        return engine


def split_known(engine: SpeechEngine, chunk: str) -> list[str]:
    """Split `chunk` into vocabulary words, longest first, down to single characters.

    Characters the model does not know at all are dropped: a grammar word outside the
    vocabulary is ignored by Vosk anyway, and saying so here keeps the grammar honest.
    """
    out: list[str] = []
    i = 0
    while i < len(chunk):
        for n in range(min(_MAX_WORD_CHARS, len(chunk) - i), 0, -1):
            piece = chunk[i:i + n]
            if engine.knows_word(piece):
                out.append(piece)
                i += n
                break
        else:
            i += 1
    return out


_CN = "零一二三四五六七八九"


def read_integer(n: int) -> str:
    """How an integer below 10^12 is said positionally: 150 -> 一百五十, 2026 -> 二千零二十六."""
    if n == 0:
        return "零"

    def below_10k(v: int) -> str:
        out = ""
        zero = False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = v // unit % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += _CN[d] + name
        return out

    parts: list[str] = []
    for big, name in ((100_000_000, "亿"), (10_000, "万"), (1, "")):
        v = n // big % 10_000 if big < 100_000_000 else n // big
        if v:
            if parts and v < 1000:
                parts.append("零")
            parts.append(below_10k(v) + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _spoken_forms(text: str) -> tuple[str, list[str]]:
    """`text` with digits as said aloud, and the other reading of each number.

    Years, ID and phone numbers are read digit by digit; amounts, areas and counts by
    position. Vocabulary words of Chinese models are 一…九 and 零, never 1…9.
    """
    text = to_halfwidth(text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    alternatives: list[str] = []

    def say(m: re.Match[str]) -> str:
        digits = m.group(1)
        by_digit = "".join(_CN[int(c)] for c in digits if c.isdigit())
        unit = m.group(2) or ""
        if "." in digits:
            whole, frac = digits.split(".")
            return read_integer(int(whole)) + "点" + "".join(_CN[int(c)] for c in frac) + unit
        if len(digits) > 12:
            return by_digit + unit
        positional = read_integer(int(digits))
        alternatives.extend([by_digit, positional])
        if unit == "年" or len(digits) >= 5 and not unit or digits.startswith("0"):
            return by_digit + unit
        return positional + unit

    return re.sub(r"(\d+(?:\.\d+)?)([年元万亿平号月日层室套栋单]?)", say, text), alternatives


def statement_grammar(engine: SpeechEngine, prompt: str) -> list[str]:
    """The grammar for reading `prompt`: each sentence as a phrase of vocabulary words, each
    word alone (a reader restarts mid-sentence), plus refusals and fillers."""
    phrases: list[str] = []
    words: list[str] = []
    for sentence in split_sentences(prompt):
        sentence_words: list[str] = []
        spoken, alternatives = _spoken_forms(sentence)
        for alt in alternatives:
            words.extend(split_known(engine, alt))
        for chunk in re.split(r"[^\w]+", spoken):
            if not chunk:
                continue
            if engine.knows_word(chunk):
                sentence_words.append(chunk)
            elif engine.knows_word(chunk.lower()):
                sentence_words.append(chunk.lower())
            else:
                sentence_words.extend(split_known(engine, chunk))
        if sentence_words:
            phrases.append(" ".join(sentence_words))
            words.extend(sentence_words)
    extra = [w for w in _ALWAYS_ALLOWED if engine.knows_word(w)]
    seen: set[str] = set()
    out: list[str] = []
    for item in [*phrases, *words, *extra]:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


# what people answer to a yes/no question, and what they say when they did not understand
ANSWER_WORDS = ("是", "是的", "对", "对的", "嗯", "好", "好的", "可以", "行", "同意", "自愿", "愿意", "清楚", "明白",
                "知道", "了解", "确认", "有", "没有", "没", "不", "不是", "不对", "不同意", "不自愿", "不清楚",
                "不明白", "不知道", "不要", "什么", "听不清", "再说一遍", "我", "了", "啊", "呃", "吗")


def answer_grammar(engine: SpeechEngine, question: str) -> list[str]:
    """The grammar for answering `question`: answer words plus the question's own words
    (people echo it: 有没有人强迫您 → 没有人强迫我). Far cheaper than free recognition."""
    out: list[str] = []
    for w in ANSWER_WORDS:
        for piece in ([w] if engine.knows_word(w) else split_known(engine, w)):
            if piece not in out:
                out.append(piece)
    # the question's phrases are already made of vocabulary words
    out += [p for p in statement_grammar(engine, question) if p not in out]
    return out


def grammar_words(grammar: Sequence[str]) -> set[str]:
    """Every single word a grammar allows (for tests and the technician's view)."""
    return {w for phrase in grammar for w in phrase.split()}
