"""Checking a read-aloud statement against its prompt.

The transcript is aligned to the whole prompt (edit-distance alignment over fuzzy-pinyin
tokens, see `normalize`), then judged per sentence so that only a missing sentence has to
be read again. Coverage alone is not enough: a statement with 不/没有/未 slipped in ("本人
不自愿…") covers the prompt almost fully and means the opposite, so an inserted or
substituted negation fails it, and so does a dropped one. Critical spans (ID numbers, dates,
amounts, the applicant's name, the property address) must each be heard in full.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

from kiosk.speech.normalize import FILLERS, Token, numbers_to_digits, split_sentences, to_halfwidth, tokens

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
_ADDRESS_RE = re.compile(r"(?:位于|坐落于|坐落在|座落于)([^,，。;；]+?)(?=的|[,，。;；])")


@dataclass(frozen=True)
class CriticalSpan:
    """A part of the prompt that must be heard in full."""

    kind: str  # id_number | date | amount | number | name | address | given
    text: str
    sentence: int
    token_range: tuple[int, int]  # indices into the prompt's token list
    exact: bool  # digits must be the same digits, not just sound alike


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


def _critical_spans(sentences: list[str], sent_tokens: list[list[Token]], offsets: list[int],
                    given: Sequence[str]) -> list[CriticalSpan]:
    spans: list[CriticalSpan] = []
    for si, sentence in enumerate(sentences):
        norm = numbers_to_digits(sentence).upper()
        toks = sent_tokens[si]
        taken: dict[bool, list[tuple[int, int]]] = {True: [], False: []}

        def add(kind: str, start: int, end: int, exact: bool, norm: str = norm, toks: list[Token] = toks,
                si: int = si, taken: dict[bool, list[tuple[int, int]]] = taken) -> None:
            # a number inside an address is checked both as a number and as part of the address
            if any(s < end and start < e for s, e in taken[exact]):
                return
            idx = [k for k, t in enumerate(toks) if start <= t.start < end]
            if not idx:
                return
            taken[exact].append((start, end))
            spans.append(CriticalSpan(kind, norm[start:end], si,
                                      (offsets[si] + idx[0], offsets[si] + idx[-1] + 1), exact))

        for m in _ID_RE.finditer(norm):
            add("id_number", m.start(), m.end(), True)
        for m in _DATE_RE.finditer(norm):
            add("date", m.start(), m.end(), True)
        for m in _AMOUNT_RE.finditer(norm):
            add("amount", m.start(), m.end(), True)
        for m in _NUMBER_RE.finditer(norm):
            add("number", m.start(), m.end(), True)
        # names and addresses are found in the written text (张三 is a name, 张3 is not)
        written = to_halfwidth(sentence)
        for kind, regex in (("name", _NAME_RE), ("address", _ADDRESS_RE)):
            for m in regex.finditer(written):
                part = numbers_to_digits(m.group(1)).upper()
                pos = norm.find(part) if part else -1
                if pos >= 0:
                    add(kind, pos, pos + len(part), False)
        for g in given:
            gnorm = numbers_to_digits(g).upper().replace(" ", "")
            if gnorm:
                pos = norm.find(gnorm)
                if pos >= 0:
                    add("given", pos, pos + len(gnorm), any(c.isdigit() for c in gnorm))
    return spans


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
                 critical: Sequence[str] = ()) -> PromptMatch:
    """Align `transcript` (as ASR wrote it) to `prompt` and judge every sentence.

    `critical` adds spans the caller knows must be heard (the applicant's name, the
    property's address) to those found in the prompt itself (ID numbers, dates, amounts,
    numbers, "本人X", "位于…的").
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
    t_toks = [t for t in tokens(transcript) if t.text not in FILLERS]
    ops = Levenshtein.opcodes([t.key for t in p_toks], [t.key for t in t_toks])

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
        problems_by_sentence[si].append(f"多出否定/拒绝：「{word}」")
    # negations of the prompt that were not heard
    for si, st in enumerate(sent_tokens):
        stext = "".join(t.text for t in st)
        for start, end, word in _negations_in(stext):
            if not all(matched[offsets[si] + k] for k in range(start, end)):
                problems_by_sentence[si].append(f"漏读否定：「{word}」")

    for span in _critical_spans(sentences, sent_tokens, offsets, critical):
        a, b = span.token_range
        if span.kind == "address":
            ok = sum(matched[a:b]) >= math.ceil(0.9 * (b - a))
        else:
            ok = all(matched[a:b])
            if ok and span.exact:
                ok = all(t_toks[heard_as[k] or 0].text == p_toks[k].text for k in range(a, b))
        if not ok:
            label = {"id_number": "身份证号", "date": "日期", "amount": "金额", "number": "数字",
                     "name": "姓名", "address": "地址", "given": "关键内容"}[span.kind]
            problems_by_sentence[span.sentence].append(f"{label}未读全：「{span.text}」")

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
                              "heard": heard, "problems": problems_by_sentence[si]})
        if not passed:
            missing.append(si)
    coverage = total_matched / len(p_toks) if p_toks else 0.0
    problems = [p for ps in problems_by_sentence for p in ps]
    passed = bool(sentences) and not missing and bool(t_toks)
    return PromptMatch(prompt, transcript, min_coverage, passed, coverage, out_sentences, missing,
                       problems, alignment)


def match_retry(previous: PromptMatch, transcript: str, *, critical: Sequence[str] = ()) -> PromptMatch:
    """Judge a re-reading of only the sentences `previous` found missing, and merge.

    Sentences that passed before stay passed; the re-read ones take the new verdict.
    """
    if not previous.missing:
        return previous
    retry = match_prompt(previous.retry_text(), transcript, min_coverage=previous.min_coverage,
                         critical=critical)
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
                    free_min_coverage: float = 0.5, critical: Sequence[str] = ()) -> PromptMatch:
    """Judge a reading from both passes of a statement stream.

    The grammar pass decides coverage (it hears the prompt's words well); the free pass can
    hear what the grammar cannot: a negation or refusal is a failure wherever it was heard,
    and a sentence the free pass barely recognises (below `free_min_coverage`) was probably
    replaced by other words that the grammar forced onto the prompt's.
    """
    main = match_prompt(prompt, grammar_text, min_coverage=min_coverage, critical=critical)
    if free_text is None:
        return main
    free = match_prompt(prompt, free_text, min_coverage=min_coverage, critical=critical)
    sentences = [dict(s) for s in main.sentences]
    for s, f in zip(sentences, free.sentences, strict=True):
        extra = [f"自由识别：{p}" for p in f["problems"] if p.startswith("多出否定")]
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
