"""Checking a read-aloud statement against its prompt.

The transcript is aligned to the whole prompt (edit-distance alignment over fuzzy-pinyin
tokens, see `normalize`), then judged per sentence so that only a missing sentence has to
be read again. Coverage alone is not enough: a statement with 不/没有/未 slipped in ("本人
不自愿…") covers the prompt almost fully and means the opposite, so an inserted or
substituted negation fails it, and so does a dropped one. Nor does coverage notice a swapped
party: critical spans (every name, institution and role the case holds, see `spans`, and the
ID numbers, dates, amounts and property address of the prompt) must each be heard as written
or as a homophone, never as another name of the same kind; a long institution name may lose
its generic words (建设银行 for 中国建设银行), not its distinctive ones.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Levenshtein

from kiosk.speech.normalize import FILLERS, Token, numbers_to_digits, split_sentences, to_halfwidth, tokens
from kiosk.speech.spans import (
    SPAN_LABELS,
    SpanSource,
    distinctive_mask,
    has_distinct,
    pattern_spans,
    same_kind_names,
)
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

if TYPE_CHECKING:
    from kiosk.speech.engine import Transcript

# single characters that turn a statement into its opposite
_NEGATION_CHARS = frozenset("不没未非否无别")
# expressions with those characters that refuse nothing
_HARMLESS = ("不好意思", "对不起", "不客气", "差不多", "不动产", "无误", "无异议", "没问题")
_REFUSAL_WORDS = ("拒绝", "反对")

_ID_RE = re.compile(r"(?<![0-9A-Z])\d{17}[0-9X](?![0-9A-Z])")
_DATE_RE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年")
_AMOUNT_RE = re.compile(r"(?<!\d)\d+(?:\.\d+)?(?:元|平方米|㎡)")  # (?<!\d): linear time on long digit runs
_NUMBER_RE = re.compile(r"\d{2,}(?:\.\d+)?")
_NAME_RE = re.compile(r"(?:本人|申请人|委托人|代理人|经办人)([\u4e00-\u9fff]{2,4}?)"
                      r"(?=[,，、。(（]|身份证|自愿|同意|承诺|确认|声明|保证|作为|系|是|现|已|将|对|与|在|就)")
# the other side of a transfer, named at the end of its clause: 转让给李四。
_COUNTERPARTY_RE = re.compile(r"(?:转让给|出售给|卖给|过户给|赠与给?)([\u4e00-\u9fff]{2,4})(?=[,，。;；]|$)")
_DIGIT_WORDS = str.maketrans("0123456789", "零一二三四五六七八九")
_ADDRESS_RE = re.compile(r"(?:位于|坐落于|坐落在|座落于)([^,，。;；]+?)(?=的|[,，。;；])")


@dataclass(frozen=True)
class CriticalSpan:
    """A part of the prompt that must be heard in full."""

    kind: str  # a key of spans.SPAN_LABELS
    text: str
    sentence: int
    token_range: tuple[int, int]  # indices into the prompt's token list
    exact: bool  # digits must be the same digits, not just sound alike
    distinct: tuple[bool, ...] = ()  # institutions: per token, whether it may not be dropped
    shown: str = ""  # as written in the prompt (张三, where `text` is normalised: 张3)

    @property
    def expected(self) -> str:
        return self.shown or self.text


@dataclass
class PromptMatch:
    """The verdict on one reading of a statement; `to_json` is what goes into the evidence."""

    prompt: str
    transcript: str
    min_coverage: float
    passed: bool
    coverage: float
    sentences: list[dict[str, Any]]
    missing: list[int]
    problems: list[str] = field(default_factory=list)
    alignment: list[dict[str, str]] = field(default_factory=list)

    def retry_text(self) -> str:
        """The sentences to prompt again: only those that did not pass."""
        return "".join(self.sentences[i]["text"] for i in self.missing)

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "coverage": round(self.coverage, 4), "sentences": self.sentences,
                "missing": self.missing, "problems": self.problems, "min_coverage": self.min_coverage,
                "alignment": self.alignment}


def _institution_distinct(text: str) -> list[bool]:
    """Distinctive characters of an institution name, its head and branch judged apart:
    中国建设银行漯河分行 → 建设, 漯河; 中国银行漯河分行 → 中国银行, 漯河 (a head made only of
    generic words is distinctive in full; a branch made only of them may be dropped)."""
    m = re.search("银行|法院|公司|中心|信用社", text)
    cut = m.end() if m else len(text)
    head, tail = text[:cut], text[cut:]
    tail_mask = distinctive_mask(tail) if has_distinct(tail) else [False] * len(tail)
    return distinctive_mask(head) + tail_mask


def _critical_spans(sentences: list[str], sent_tokens: list[list[Token]], offsets: list[int],
                    given: Sequence[str], sources: Sequence[SpanSource]) -> list[CriticalSpan]:
    spans: list[CriticalSpan] = []
    # longest first, so 中国建设银行漯河分行 is taken before 建设银行 and 委托代理人 before 代理人
    by_kind: dict[str, list[str]] = {}
    for src in sorted(sources, key=lambda x: -len(x.text)):
        by_kind.setdefault(src.kind, []).append(src.text)
    for si, sentence in enumerate(sentences):
        norm = numbers_to_digits(sentence).upper()
        toks = sent_tokens[si]
        taken: dict[bool, list[tuple[int, int]]] = {True: [], False: []}

        def add(kind: str, start: int, end: int, exact: bool, norm: str = norm, toks: list[Token] = toks,
                si: int = si, taken: dict[bool, list[tuple[int, int]]] = taken, shown: str = "") -> None:
            # a number inside an address is checked both as a number and as part of the address
            if any(s < end and start < e for s, e in taken[exact]):
                return
            idx = [k for k, t in enumerate(toks) if start <= t.start < end]
            if not idx:
                return
            taken[exact].append((start, end))
            distinct: tuple[bool, ...] = ()
            if kind == "institution":
                mask = _institution_distinct(norm[start:end])
                distinct = tuple(mask[toks[k].start - start] for k in idx)
            spans.append(CriticalSpan(kind, norm[start:end], si,
                                      (offsets[si] + idx[0], offsets[si] + idx[-1] + 1), exact, distinct, shown))

        def add_text(kind: str, text: str, exact: bool, norm: str = norm) -> None:
            part = numbers_to_digits(text).upper().replace(" ", "")
            if part:
                for m in re.finditer(re.escape(part), norm):
                    add(kind, m.start(), m.end(), exact, shown=to_halfwidth(text).replace(" ", ""))

        for m in _ID_RE.finditer(norm):
            add("id_number", m.start(), m.end(), True)
        for text in by_kind.get("id_number", []):
            add_text("id_number", text, True)
        for m in _DATE_RE.finditer(norm):
            add("date", m.start(), m.end(), True)
        for m in _AMOUNT_RE.finditer(norm):
            add("amount", m.start(), m.end(), True)
        for m in _NUMBER_RE.finditer(norm):
            add("number", m.start(), m.end(), True)
        # names, institutions, roles and addresses are found in the written text (张三 is a
        # name, 张3 is not): the case's own first, then what patterns find
        written = to_halfwidth(sentence)
        found = pattern_spans(written)
        for kind in ("institution", "name", "role", "address"):
            for text in by_kind.get(kind, []):
                add_text(kind, text, False)
            for text in sorted((f.text for f in found if f.kind == kind), key=len, reverse=True):
                add_text(kind, text, False)
            regexes = {"name": (_NAME_RE, _COUNTERPARTY_RE), "address": (_ADDRESS_RE,)}.get(kind, ())
            for regex in regexes:
                for m in regex.finditer(written):
                    add_text(kind, m.group(1), False)
        for g in [*given, *by_kind.get("given", [])]:
            gnorm = numbers_to_digits(g).upper().replace(" ", "")
            if gnorm:
                pos = norm.find(gnorm)
                if pos >= 0:
                    add("given", pos, pos + len(gnorm), any(c.isdigit() for c in gnorm))
    return spans


def _heard(ops: Sequence[Any], token_range: tuple[int, int], matched: list[bool]) -> tuple[list[int], bool]:
    """Transcript tokens heard where the prompt has `token_range`, and whether the reader
    inserted words inside it (中国建设银行 read as 中国建设工商银行)."""
    a, b = token_range
    out: list[int] = []
    inside = False
    for op in ops:
        if op.tag == "insert":
            s = op.src_start
            if a < s < b:
                inside = True
            if a < s < b or (s == a and not matched[a]) or (s == b and not matched[b - 1]):
                out.extend(range(op.dest_start, op.dest_end))
            continue
        lo, hi = max(a, op.src_start), min(b, op.src_end)
        if lo >= hi or op.tag == "delete":
            continue
        src_len, dest_len = op.src_end - op.src_start, op.dest_end - op.dest_start
        d0 = op.dest_start + (lo - op.src_start) * dest_len // src_len
        d1 = op.dest_start + -(-(hi - op.src_start) * dest_len // src_len)
        out.extend(range(d0, d1))
    return sorted(set(out)), inside


def _span_read(span: CriticalSpan, matched: list[bool], heard_as: list[int | None], op_tag: list[str],
               inside: bool, p_toks: list[Token], t_toks: list[Token]) -> bool:
    """Whether the span was heard as written or as a homophone (fuzzy pinyin keys)."""
    a, b = span.token_range
    if span.kind == "address":
        return sum(matched[a:b]) >= math.ceil(0.9 * (b - a))
    if inside and span.kind != "given":
        return False
    if span.kind == "institution":
        # a generic word may be left out (建设银行), never replaced; a distinctive one is needed
        return all(matched[k] or (not span.distinct[k - a] and op_tag[k] == "delete") for k in range(a, b))
    if not all(matched[a:b]):
        return False
    if span.exact:
        return all(t_toks[heard_as[k] or 0].text == p_toks[k].text for k in range(a, b))
    return True


def _substitute(span: CriticalSpan, heard: str, sources: Sequence[SpanSource]) -> str | None:
    """Another name of the same kind written where this one should be (李四 for 张三, 中国工商
    银行 for 中国建设银行, 法定代表人 for 委托代理人), or None.

    A homophone of the right name passes the span check; the other name itself, written
    as such by the recogniser, never does, even if the two happen to sound alike.
    """
    if span.kind not in ("name", "institution", "role") or not heard:
        return None
    expected = span.expected
    for other in same_kind_names(span.kind, sources):
        if other and other not in expected and other in heard:
            return other
    return None


def _negations_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of negation words in a token text string, harmless idioms excluded."""
    out: list[tuple[int, int, str]] = []
    blocked: set[int] = set()
    for idiom in _HARMLESS:
        for m in re.finditer(idiom, text):
            blocked.update(range(m.start(), m.end()))
    for word in _REFUSAL_WORDS:
        for m in re.finditer(word, text):
            if m.start() not in blocked:
                out.append((m.start(), m.end(), word))
                blocked.update(range(m.start(), m.end()))
    for i, ch in enumerate(text):
        if ch in _NEGATION_CHARS and i not in blocked:
            end = i + 1
            # report 不同意 / 没有 / 不自愿 as one word for the person reading the log
            while end < len(text) and end - i < 3 and text[end] not in _NEGATION_CHARS:
                end += 1
            out.append((i, i + 1, text[i:end]))
    return out


def _owner(src: int, p_sent: list[int]) -> int:
    """Sentence that transcript text aligned at prompt token `src` belongs to.

    Text inserted at a sentence boundary belongs to the sentence it follows, since that is
    where a reader adds words ("…转让给李四，我不同意").
    """
    if not p_sent:
        return 0
    if src >= len(p_sent):
        return p_sent[-1]
    if src > 0 and p_sent[src - 1] != p_sent[src]:
        return p_sent[src - 1]
    return p_sent[src]


def match_prompt(prompt: str, transcript: str, *, min_coverage: float = 0.85,
                 critical: Sequence[str] = (), spans: Sequence[SpanSource] = ()) -> PromptMatch:
    """Align `transcript` (as ASR wrote it) to `prompt` and judge every sentence.

    `spans` are what the case names (`spans_from_case`: parties, institutions, roles, ID
    numbers, the property's location); `critical` adds plain texts the caller knows must be
    heard. Both join those found in the prompt itself (ID numbers, dates, amounts, numbers,
    "本人X", "转让给X", banks, courts, roles, "位于…的"). Each sentence's `failed_spans` says
    which of them was misread (kind, expected, heard), so only that sentence is asked again.
    """
    sentences = split_sentences(prompt)
    sent_tokens = [tokens(s) for s in sentences]
    offsets: list[int] = []
    p_toks: list[Token] = []
    p_sent: list[int] = []
    for si, st in enumerate(sent_tokens):
        offsets.append(len(p_toks))
        p_toks.extend(st)
        p_sent.extend([si] * len(st))
    # a filler heard is dropped, unless the prompt itself has that character (as in 啊 of a name)
    in_prompt = {t.text for t in p_toks}
    t_toks = [t for t in tokens(transcript) if t.text not in FILLERS or t.text in in_prompt]
    ops = list(Levenshtein.opcodes([t.key for t in p_toks], [t.key for t in t_toks]))

    matched = [False] * len(p_toks)  # prompt token heard (same sound)
    heard_as: list[int | None] = [None] * len(p_toks)
    t_role = ["insert"] * len(t_toks)  # what each transcript token is in the alignment
    t_owner: list[int] = [0] * len(t_toks)  # sentence each transcript token belongs to
    alignment: list[dict[str, str]] = []
    for op in ops:
        ptext = "".join(t.text for t in p_toks[op.src_start:op.src_end])
        ttext = "".join(t.text for t in t_toks[op.dest_start:op.dest_end])
        alignment.append({"op": op.tag, "prompt": ptext, "heard": ttext})
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                matched[op.src_start + k] = True
                heard_as[op.src_start + k] = op.dest_start + k
                t_role[op.dest_start + k] = "equal"
        elif op.tag == "replace":
            for k in range(op.dest_start, op.dest_end):
                t_role[k] = "replace"
        src_len, dest_len = op.src_end - op.src_start, op.dest_end - op.dest_start
        for k in range(op.dest_start, op.dest_end):
            if op.tag == "insert":
                t_owner[k] = _owner(op.src_start, p_sent)
            else:
                # equal and replace spans may cross sentences: map position by position
                t_owner[k] = p_sent[op.src_start + min(src_len - 1, (k - op.dest_start) * src_len // dest_len)]

    problems_by_sentence: list[list[str]] = [[] for _ in sentences]
    # negations in the transcript that are not a heard prompt character
    t_text = "".join(t.text for t in t_toks)
    for start, end, word in _negations_in(t_text):
        if all(t_role[k] == "equal" for k in range(start, end)):
            continue  # heard where the prompt has the same sound (its own 不, or 全部 heard as 全不)
        if not sentences:
            break  # a prompt with nothing to read: it cannot pass, and there is no sentence to blame
        si = t_owner[start] if t_toks else 0
        problems_by_sentence[si].append(fmt(QT_TRANSLATE_NOOP("kiosk", "多出否定/拒绝：「{word}」"), word=word))
    # negations of the prompt that were not heard
    for si, st in enumerate(sent_tokens):
        stext = "".join(t.text for t in st)
        for start, end, word in _negations_in(stext):
            if not all(matched[offsets[si] + k] for k in range(start, end)):
                problems_by_sentence[si].append(fmt(QT_TRANSLATE_NOOP("kiosk", "漏读否定：「{word}」"), word=word))

    op_tag = [""] * len(p_toks)  # the alignment operation of each prompt token
    for op in ops:
        for k in range(op.src_start, op.src_end):
            op_tag[k] = op.tag
    failed_by_sentence: list[list[dict[str, Any]]] = [[] for _ in sentences]
    for span in _critical_spans(sentences, sent_tokens, offsets, critical, spans):
        heard_idx, inside = _heard(ops, span.token_range, matched)
        heard = "".join(t_toks[i].text for i in heard_idx)
        if not span.exact:
            heard = heard.translate(_DIGIT_WORDS)  # a name heard as 王五 is shown so, not as 王5
        ok = _span_read(span, matched, heard_as, op_tag, inside, p_toks, t_toks)
        other = _substitute(span, heard, spans)
        if ok and other is None:
            continue
        label = SPAN_LABELS[span.kind]
        if heard and other is not None:
            problem = fmt(QT_TRANSLATE_NOOP("kiosk", "{what}读错：「{expected}」听成「{heard}」"),
                          what=label, expected=span.expected, heard=heard)
        elif heard:
            problem = fmt(QT_TRANSLATE_NOOP("kiosk", "{what}未读全：「{expected}」，听到「{heard}」"),
                          what=label, expected=span.expected, heard=heard)
        else:
            problem = fmt(QT_TRANSLATE_NOOP("kiosk", "{what}未读全：「{expected}」"), what=label, expected=span.expected)
        problems_by_sentence[span.sentence].append(problem)
        failed_by_sentence[span.sentence].append(
            {"kind": span.kind, "expected": span.expected, "heard": heard, "substituted": other is not None})

    out_sentences: list[dict[str, Any]] = []
    missing: list[int] = []
    total_matched = 0
    for si, sentence in enumerate(sentences):
        a, b = offsets[si], offsets[si] + len(sent_tokens[si])
        n = b - a
        got = sum(matched[a:b])
        total_matched += got
        cov = got / n if n else 1.0
        allowed = max(1, math.floor(n * (1 - min_coverage) + 1e-9))
        enough = n == 0 or (n - got) <= allowed
        passed = enough and not problems_by_sentence[si]
        heard = "".join(t.text for k, t in enumerate(t_toks) if t_owner[k] == si)
        out_sentences.append({"index": si, "text": sentence, "coverage": round(cov, 4), "passed": passed,
                              "heard": heard, "problems": problems_by_sentence[si],
                              "failed_spans": failed_by_sentence[si]})
        if not passed:
            missing.append(si)
    coverage = total_matched / len(p_toks) if p_toks else 0.0
    problems = [p for ps in problems_by_sentence for p in ps]
    passed = bool(sentences) and not missing and bool(t_toks)
    return PromptMatch(prompt, transcript, min_coverage, passed, coverage, out_sentences, missing,
                       problems, alignment)


def match_retry(previous: PromptMatch, transcript: str, *, critical: Sequence[str] = (),
                spans: Sequence[SpanSource] = ()) -> PromptMatch:
    """Judge a re-reading of only the sentences `previous` found missing, and merge.

    Sentences that passed before stay passed; the re-read ones take the new verdict.
    """
    if not previous.missing:
        return previous
    retry = match_prompt(previous.retry_text(), transcript, min_coverage=previous.min_coverage,
                         critical=critical, spans=spans)
    sentences = [dict(s) for s in previous.sentences]
    for j, si in enumerate(previous.missing):
        new = dict(retry.sentences[j]) if j < len(retry.sentences) else dict(sentences[si])
        new["index"] = si
        new["retried"] = True
        sentences[si] = new
    missing = [s["index"] for s in sentences if not s["passed"]]
    weights = [max(1, len(tokens(s["text"]))) for s in sentences]
    coverage = sum(w * s["coverage"] for w, s in zip(weights, sentences, strict=True)) / sum(weights)
    problems = [p for s in sentences for p in s["problems"]]
    return PromptMatch(previous.prompt, previous.transcript + "\n" + transcript, previous.min_coverage,
                       not missing, coverage, sentences, missing, problems,
                       previous.alignment + [{"op": "retry", "prompt": "", "heard": ""}] + retry.alignment)


def match_statement(prompt: str, grammar_text: str, free_text: str | None, *, min_coverage: float = 0.85,
                    free_min_coverage: float = 0.5, critical: Sequence[str] = (),
                    spans: Sequence[SpanSource] = ()) -> PromptMatch:
    """Judge a reading from both passes of a statement stream.

    The grammar pass decides coverage (it hears the prompt's words well); the free pass can
    hear what the grammar cannot: a negation or refusal is a failure wherever it was heard,
    and a sentence the free pass barely recognises (below `free_min_coverage`) was probably
    replaced by other words that the grammar forced onto the prompt's. The grammar cannot
    write a name it does not hold, so another party, bank or role the free pass heard in a
    span's place fails it too (a stranger's name the free pass merely mishears does not).
    """
    main = match_prompt(prompt, grammar_text, min_coverage=min_coverage, critical=critical, spans=spans)
    if free_text is None:
        return main
    free = match_prompt(prompt, free_text, min_coverage=min_coverage, critical=critical, spans=spans)
    sentences = [dict(s) for s in main.sentences]
    for s, f in zip(sentences, free.sentences, strict=True):
        extra = [f"自由识别：{p}" for p in f["problems"] if p.startswith("多出否定")]
        swapped = [x for x in f["failed_spans"] if x["substituted"]]
        extra += [f"自由识别：{SPAN_LABELS[x['kind']]}读错：「{x['expected']}」听成「{x['heard']}」" for x in swapped]
        if swapped:
            s["failed_spans"] = [*s["failed_spans"], *({**x, "pass": "free"} for x in swapped)]
        if f["coverage"] < free_min_coverage and s["passed"]:
            extra.append(f"自由识别覆盖率过低（{f['coverage']:.0%}），可能读了别的内容")
        s["free_coverage"] = f["coverage"]
        s["free_heard"] = f["heard"]
        if extra:
            s["problems"] = [*s["problems"], *extra]
            s["passed"] = False
    missing = [s["index"] for s in sentences if not s["passed"]]
    problems = [p for s in sentences for p in s["problems"]]
    return PromptMatch(prompt, grammar_text, min_coverage, bool(sentences) and not missing and main.passed,
                       main.coverage, sentences, missing, problems, main.alignment)


def statement_done(prompt: str, heard: Transcript, *, min_coverage: float = 0.85, critical: Sequence[str] = (),
                   spans: Sequence[SpanSource] = ()) -> bool:
    """Whether a reading heard so far is over, for `AsrWorker(is_done=...)` at a pause.

    Over when the last words heard are the statement's last words (the alignment ends on
    an equal run) and the statement as a whole was heard (`min_coverage`): the reader
    reached the end and fell silent, passed or not. A pause between sentences, words added
    after the end ("…我不同意"), or a last word heard with most of the statement missing is
    not the end; such a reading is judged after the session's long silence instead.
    """
    free = heard.free.text if heard.free is not None else None
    pm = match_statement(prompt, heard.text, free, min_coverage=min_coverage, critical=critical, spans=spans)
    return bool(pm.alignment) and pm.alignment[-1]["op"] == "equal" and pm.coverage >= min_coverage
