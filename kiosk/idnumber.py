"""GB 11643-1999 citizen identity numbers: check digit and plausibility."""
from __future__ import annotations

import datetime as _dt

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_number_problem(s: str) -> str | None:
    """None when `s` is a valid 18-character ID number, else the reason in Chinese."""
    if not isinstance(s, str) or len(s) != 18:
        return "身份证号应为18位"
    if not s[:17].isdigit() or not (s[17].isdigit() or s[17] in "Xx"):
        return "身份证号只能包含数字，最后一位可为X"
    try:
        _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if check_digit(s[:17]) != s[17].upper():
        return "身份证号校验位不正确"
    return None


def is_valid_id_number(s: str) -> bool:
    return id_number_problem(s) is None


def make_id_number(region: str, birth: str, seq: str) -> str:
    """Build a valid number from a 6-digit region, YYYYMMDD birth and 3-digit sequence (test data)."""
    first17 = f"{region}{birth}{seq}"
    return first17 + check_digit(first17)
