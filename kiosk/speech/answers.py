"""Classifying a spoken answer to a yes/no question.

The verdict is what the person said about the question's proposition: "affirm" when the
answer says the proposition holds, "deny" when it says it does not, "unclear" for silence,
"不知道", a question asked back ("是不是要签字？") or a contradiction. So for "有没有人强迫
您？" the answer "没有" is a deny, and so is "我是自愿的": willingness answers a question
about coercion in the negative. ASR homophones (自愿 heard as 资源, 同意 as 统一) compare
by fuzzy pinyin for words of two characters or more; single characters compare exactly,
because a single syllable has too many homophones (是/事/市/十).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.speech.normalize import Token, tokens

Verdict = Literal["affirm", "deny", "unclear"]

_NEGATORS = ("没有", "不", "没", "未", "非", "无", "别")
# the answer cannot be used: asked back, did not hear, does not know
_UNCLEAR = ("不知道", "不晓得", "不确定", "说不清", "不好说", "不记得", "忘了", "听不清", "没听清", "没听见",
            "没听到", "听不懂", "什么意思", "啥意思", "什么", "啥", "怎么", "为什么", "为啥", "哪个", "哪里",
            "再说一遍", "再说一次", "是不是", "对不对", "要不要", "能不能", "可不可以", "行不行", "好不好",
            "有没有", "是吗", "对吗", "吗", "呢", "可能吧", "也许", "大概", "随便")
# whole-answer idioms whose negator does not negate
_AFFIRM_IDIOMS = ("没问题", "没错", "不错", "没毛病", "那当然", "当然")
_AFFIRM_WORDS = ("是的", "是", "对的", "对", "嗯", "恩", "好的", "好", "可以", "行", "同意", "自愿", "愿意",
                 "清楚", "明白", "知道", "了解", "确认", "确定", "有", "知情", "认可", "接受", "yes", "ok")
_DENY_WORDS = ("不是", "不对", "没有", "不同意", "不自愿", "不愿意", "不清楚", "不明白", "不了解", "不行",
               "不可以", "不要", "不用", "不", "没", "否", "无", "拒绝", "反对", "no")

# word families: an answer with a word of one family answers a question about the other
# family with the opposite polarity (自愿 answers 强迫 in the negative)
_FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "will": (("自愿", "愿意", "情愿", "自己愿意", "同意", "乐意"),
             ("强迫", "胁迫", "被迫", "逼迫", "威胁", "逼", "欺骗", "欺诈", "诱骗", "勉强")),
    "truth": (("真实", "属实", "如实", "真的"),
              ("虚假", "隐瞒", "假的", "伪造", "造假")),
}
_MARKS_RE = re.compile(r"[\s,，。.!！?？、;；:：\"'“”‘’…~～\-—]+")


@dataclass(frozen=True)
class AnswerCheck:
    """The verdict on one answer and why; `to_json` is what goes into the evidence."""

    question: str
    transcript: str
    expect: str
    verdict: Verdict
    passed: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "passed": self.passed, "expect": self.expect, "reason": self.reason,
                "question": self.question, "transcript": self.transcript}


def _clean(text: str) -> str:
    text = _MARKS_RE.sub("", text or "").lower()
    # fillers before and after carry nothing; a lone 嗯 is an answer and stays
    stripped = re.sub(r"^[呃额啊哦噢唉哎诶那个就]+|[呃额啊哦噢唉哎诶吧呀啦嘛]+$", "", text)
    return stripped or ("嗯" if set(text) <= set("嗯恩") and text else "")


def _find(word: str, text: str, keys: list[Token]) -> list[int]:
    """Start positions of `word` in `text`: exact, or by sound for words of 2+ characters."""
    hits = [m.start() for m in re.finditer(re.escape(word), text)]
    if hits or len(word) < 2:
        return hits
    wkeys = [t.key for t in tokens(word)]
    if len(wkeys) != len(word):
        return []
    tkeys = [t.key for t in keys]
    return [i for i in range(len(tkeys) - len(wkeys) + 1) if tkeys[i:i + len(wkeys)] == wkeys]


def _negated(text: str, pos: int) -> bool:
    """Whether the word at `pos` has a negator right before it (不自愿, 没有被强迫, 不是自愿)."""
    before = text[max(0, pos - 4):pos]
    before = re.sub(r"(?:有人|人|谁)?[是被很太都也还我]*$", "", before)  # 不是自愿 / 没有被强迫 / 没人强迫
    return any(before.endswith(n) for n in _NEGATORS)


def _family_verdict(question: str, answer: str, keys: list[Token]) -> tuple[Verdict, str] | None:
    q = re.sub(r"\s+", "", question)
    for name, (pos_words, neg_words) in _FAMILIES.items():
        q_side = None
        for side, words in ((1, pos_words), (-1, neg_words)):
            if any(w in q for w in words):
                q_side = side
                break
        if q_side is None:
            continue
        polarities: set[int] = set()
        for side, words in ((1, pos_words), (-1, neg_words)):
            for w in sorted(words, key=len, reverse=True):
                for pos in _find(w, answer, keys):
                    polarities.add(side * (-1 if _negated(answer, pos) else 1))
        if len(polarities) == 1:
            polarity = polarities.pop() * q_side
            return ("affirm" if polarity > 0 else "deny"), f"回答涉及「{name}」类词语"
        if len(polarities) > 1:
            return "unclear", "回答前后矛盾"
    return None


def _echo_verdict(question: str, answer: str) -> tuple[Verdict, str] | None:
    """Answers that repeat the question's verb: 有没有… → 有/没有; 是否清楚 → 清楚/不清楚."""
    q = re.sub(r"\s+", "", question)
    verbs: list[str] = []
    for m in re.finditer(r"(.{1,2}?)[不没]\1", q):  # A-not-A: 有没有, 是不是, 同不同意
        verbs.append(m.group(1))
    for m in re.finditer(r"(?:是否|能否|可否|有无)(?:已经|已)?(.{2}|.)", q):
        verbs.append(m.group(1))
    for verb in sorted(set(verbs), key=len, reverse=True):
        hits = [m.start() for m in re.finditer(re.escape(verb), answer)]
        if not hits:
            continue
        pols = {not _negated(answer, p) for p in hits}
        if len(pols) == 1:
            return ("affirm" if pols.pop() else "deny"), f"回答重复了问句中的「{verb}」"
    return None


def check_answer(question: str, transcript: str, expect: Literal["affirm", "deny"] | str) -> AnswerCheck:
    """Classify what the person said; `passed` is whether it equals `expect`."""
    if expect not in ("affirm", "deny"):
        raise ValueError(f"expect must be affirm or deny, not {expect!r}")
    verdict, reason = classify_answer(question, transcript)
    return AnswerCheck(question, transcript, expect, verdict, verdict == expect, reason)


def classify_answer(question: str, transcript: str) -> tuple[Verdict, str]:
    """What the person said about the question's proposition, and why (also the screen's cue)."""
    answer = _clean(transcript)
    verdict: Verdict
    if not answer:
        verdict, reason = "unclear", "没有听到回答"
    elif any(answer.startswith(u) for u in _UNCLEAR) or (
            any(u in answer for u in _UNCLEAR) and not answer.startswith(("是的", "对", "没有", "不是"))):
        verdict, reason = "unclear", "回答是疑问或不确定"
    elif any(answer.startswith(i) or answer == i for i in _AFFIRM_IDIOMS):
        verdict, reason = "affirm", "肯定的习惯说法"
    else:
        keys = tokens(answer)
        found = _family_verdict(question, answer, keys) or _echo_verdict(question, answer)
        if found is None:
            found = _generic_verdict(answer, keys)
        verdict, reason = found
    return verdict, reason


def _generic_verdict(answer: str, keys: list[Token]) -> tuple[Verdict, str]:
    deny_at = [p for w in _DENY_WORDS for p in _find(w, answer, keys)]
    # an affirm word inside a deny word (是 in 不是) is part of the deny
    deny_cover = {p + k for w in _DENY_WORDS for p in _find(w, answer, keys) for k in range(len(w))}
    affirm_at = [p for w in _AFFIRM_WORDS for p in _find(w, answer, keys) if p not in deny_cover]
    if deny_at and not affirm_at:
        return "deny", "否定回答"
    if affirm_at and not deny_at:
        return "affirm", "肯定回答"
    if affirm_at and deny_at:
        # "对，没有" / "是的，不同意": the last clause is the answer when the first only acknowledges
        first_affirm, first_deny = min(affirm_at), min(deny_at)
        if answer[first_affirm:first_affirm + 1] in "对是嗯恩好" and first_affirm < first_deny:
            return "deny", "先应答后否定"
        return "unclear", "肯定与否定同时出现"
    return "unclear", "没有听出肯定或否定"
