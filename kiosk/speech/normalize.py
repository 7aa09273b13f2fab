"""Chinese text normalisation for comparing what was prompted with what ASR heard.

ASR writes numbers as words ("二 零 二 六 年", "一百五十万", "幺三八"), puts spaces between
words, and confuses homophones; prompts are written with Arabic digits, full-width
punctuation and exact characters. Both sides are brought to one token sequence here:
numbers become their digit strings (one token per digit, so a misheard digit costs one
token, not the whole number), every Han character becomes a fuzzy pinyin key, so that
homophones and the usual dialect mergers (zh/z, ch/c, sh/s, n/l, f/h, -ng/-n) compare equal.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

# place names of the service area that pypinyin reads wrongly (漯河 is Luòhé, not Tàhé);
# ASR writes them by sound, so a wrong reading here would fail every correct statement
load_phrases_dict({"漯河": [["luò"], ["hé"]], "召陵": [["shào"], ["líng"]]})

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4,
              "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_NUM_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "点"
# a run of Chinese numerals, optionally with a decimal part and a 万/亿 multiplier
_CN_NUM_RE = re.compile(f"[{_NUM_CHARS}{''.join(_CN_BIG)}]+")
_AR_NUM_RE = re.compile(r"\d+(?:\.\d+)?")
# how ASR writes the check character X of an ID number
_X_WORDS = ("艾克斯", "爱克斯", "埃克斯", "叉", "差", "插", "x", "X")
_DIGIT_KEYS = ("lin", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu")
_SENTENCE_END = "。！？；!?;\n"
FILLERS = frozenset("呃额嗯啊哦噢唉哎诶")
NEGATIONS = ("不同意", "不自愿", "不愿意", "没有", "不是", "拒绝", "不", "没", "未", "非", "否", "无")


@dataclass(frozen=True)
class Token:
    """One comparable unit: a Han character, a digit or a letter of another script.

    `key` is what comparisons use (fuzzy pinyin for Han, the sound of a digit, the letter
    itself otherwise);
    `text` is what is shown; `start` is the index in the normalised text of its source.
    """

    text: str
    key: str
    start: int


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (NFKC), keeping 。、."""
    return unicodedata.normalize("NFKC", text)


def split_sentences(text: str) -> list[str]:
    """Sentences of a prompt, each with its closing punctuation; empty pieces dropped."""
    out: list[str] = []
    cur = ""
    for i, ch in enumerate(text):
        cur += ch
        # a full stop ends a sentence unless it is a decimal point (89.5)
        stop = ch == "." and not (i + 1 < len(text) and text[i + 1].isdigit())
        if ch in _SENTENCE_END or stop:
            if cur.strip(_SENTENCE_END + ". \t"):
                out.append(cur.strip())
            cur = ""
    if cur.strip():
        out.append(cur.strip())
    return out


def _cn_int(s: str) -> int | None:
    """Value of a Chinese integer without 万/亿 ("一百五十" -> 150, "二零二六" -> 2026)."""
    if not s:
        return None
    if not any(c in _CN_UNITS for c in s):
        # read digit by digit: 二零二六, 幺三八
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total = 0
    digit: int | None = None
    last_unit = 1
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            unit = _CN_UNITS[c]
            total += (1 if digit is None else digit) * unit
            last_unit = unit
            digit = None
    if digit is not None:
        # "一百二" means 120: a trailing digit after a unit counts one unit lower
        total += digit * (last_unit // 10 if last_unit >= 100 and s[-2] in _CN_UNITS else 1)
    return total


def _cn_section(s: str) -> Decimal | None:
    """Value of a numeral run without 万/亿, with an optional decimal part after 点."""
    whole, dot, frac = s.partition("点")
    if any(c not in _CN_DIGITS and c not in _CN_UNITS for c in whole):
        return None
    if dot and (not frac or any(c not in _CN_DIGITS for c in frac)):
        return None
    wv = _cn_int(whole) if whole else 0
    if wv is None:
        return None
    if dot:
        return Decimal(f"{wv}.{''.join(str(_CN_DIGITS[c]) for c in frac)}")
    return Decimal(wv)


def _cn_number(s: str) -> str | None:
    """Digit string of a Chinese numeral run with optional 点 and 万/亿; None if not a number."""
    if not any(c in _CN_BIG or c in _CN_UNITS or c == "点" for c in s):
        # digit by digit keeps leading zeros (phone and ID numbers: 零三九五)
        return "".join(str(_CN_DIGITS[c]) for c in s) if all(c in _CN_DIGITS for c in s) else None
    total = Decimal(0)
    section = ""
    for c in s:
        if c in _CN_BIG:
            value = _cn_section(section) if section else Decimal(1)
            if value is None:
                return None
            if c == "亿":
                total = (total + value) * _CN_BIG[c]
            else:
                total += value * _CN_BIG[c]
            section = ""
        else:
            section += c
    if section:
        value = _cn_section(section)
        if value is None:
            return None
        total += value
    return _format(total)


def _format(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def numbers_to_digits(text: str) -> str:
    """Write every number, Arabic or Chinese, as plain digits (with 万/亿 multiplied out).

    "150万元" and "一百五十万元" both become "1500000元"; "二零二六年三月五号" becomes
    "2026年3月5日"; an 18-character ID number read digit by digit, with X as 叉 or 艾克斯,
    comes back as the number itself.
    """
    text = to_halfwidth(text)
    text = re.sub(r"(?<=\d)[,，](?=\d{3})", "", text)
    # (?<!\d): start only at the first digit of a run; without it a long run of digits with no
    # "%" after it is retried from every digit, quadratic time (a minute for 60 000 digits)
    text = re.sub(r"(?<!\d)(\d+(?:\.\d+)?)%", r"百分之\1", text)
    text = re.sub(r"\s+", "", text)

    def ar_big(m: re.Match[str]) -> str:
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            return m.group(0)
        for c in m.group(2):
            value *= _CN_BIG[c]
        return _format(value)

    text = re.sub(r"(?<!\d)(\d+(?:\.\d+)?)([万亿]+)", ar_big, text)

    def cn(m: re.Match[str]) -> str:
        run = m.group(0)
        # a lone 万/亿 or a word like 一致/统一 keeps its characters when it is not a number
        if all(c in _CN_BIG for c in run):
            return run
        value = _cn_number(run)
        if value is None:
            # split off a trailing 点 (一点 = a little) or odd forms and convert the parts
            parts = re.split("(点)", run)
            return "".join(_cn_number(p) or p for p in parts)
        return value

    text = _CN_NUM_RE.sub(cn, text)
    text = re.sub(r"(月\d{1,2})号", r"\1日", text)
    text = re.sub(r"(?<=\d)(?:月份)", "月", text)
    # X read aloud after 17 digits of an ID number
    return re.sub(r"(?<!\d)(\d{17})(" + "|".join(_X_WORDS) + ")", lambda m: m.group(1) + "X", text)


@lru_cache(maxsize=4096)
def fuzzy_key(syllable: str) -> str:
    """Merge initials and finals that ASR and dialect speakers confuse."""
    s = syllable.lower()
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[len(a):]
    if s.startswith("n"):
        s = "l" + s[1:]
    if s.startswith("f"):
        s = "h" + s[1:]
    if s.startswith("r"):
        s = "l" + s[1:]
    for a, b in (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in")):
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def tokens(text: str, *, drop_fillers: bool = False) -> list[Token]:
    """Normalised comparable tokens of `text` (numbers as digits, Han as fuzzy pinyin)."""
    norm = numbers_to_digits(text).upper()
    han_idx = [i for i, ch in enumerate(norm) if _is_han(ch)]
    pinyin = lazy_pinyin([norm[i] for i in han_idx], style=Style.NORMAL, errors="default") if han_idx else []
    # lazy_pinyin on single characters loses phrase context: redo it on the joined Han text
    joined = "".join(norm[i] for i in han_idx)
    if joined:
        ctx = lazy_pinyin(joined, style=Style.NORMAL)
        if len(ctx) == len(han_idx):
            pinyin = ctx
    py_of = dict(zip(han_idx, pinyin, strict=False))
    out: list[Token] = []
    for i, ch in enumerate(norm):
        if i in py_of:
            if drop_fillers and ch in FILLERS:
                continue
            out.append(Token(ch, fuzzy_key(py_of[i]), i))
        elif ch.isdigit():
            # a digit compares by its sound, so 张三 heard as 张山 still matches; digits of other
            # scripts and superscripts ('²', Tai Lue '᧚') are digits to `isdigit` but not to `int`
            value = unicodedata.digit(ch, None)
            if value is not None:
                out.append(Token(ch, _DIGIT_KEYS[value], i))
        elif ch == "." and out and out[-1].text.isdigit():
            out.append(Token(ch, "dian", i))
        elif ch.isalpha():
            # Latin letters and other scripts (Hangul in the engine's tests) compare as written
            out.append(Token(ch, ch.lower(), i))
    return out


def plain(text: str) -> str:
    """The normalised text without spaces or punctuation: what tokens are made of."""
    return "".join(t.text for t in tokens(text))
