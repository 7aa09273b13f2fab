"""GB 11643-1999 citizen identity numbers and GB 32100 unified social credit codes: check
characters (python-stdnum, the one implementation kiosk and devices share) and plausibility."""
from __future__ import annotations

import datetime as _dt

from stdnum.cn import ric, uscc

from kiosk.texts import QT_TRANSLATE_NOOP


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return str(ric.calc_check_digit(first17 + "0"))  # stdnum reads the number without its last character


def credit_code_check(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a unified social credit code."""
    return str(uscc.calc_check_digit(first17))


def id_number_problem(s: str) -> str | None:
    """None when `s` is a valid 18-character ID number, else the reason in Chinese."""
    if not isinstance(s, str) or len(s) != 18:
        return QT_TRANSLATE_NOOP("kiosk", "身份证号应为18位")
    if not s[:17].isdigit() or not (s[17].isdigit() or s[17] in "Xx"):
        return QT_TRANSLATE_NOOP("kiosk", "身份证号只能包含数字，最后一位可为X")
    try:
        _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return QT_TRANSLATE_NOOP("kiosk", "身份证号中的出生日期无效")
    if check_digit(s[:17]) != s[17].upper():
        return QT_TRANSLATE_NOOP("kiosk", "身份证号校验位不正确")
    return None


def is_valid_id_number(s: str) -> bool:
    return id_number_problem(s) is None


def make_id_number(region: str, birth: str, seq: str) -> str:
    """Build a valid number from a 6-digit region, YYYYMMDD birth and 3-digit sequence (test data)."""
    first17 = f"{region}{birth}{seq}"
    return first17 + check_digit(first17)
