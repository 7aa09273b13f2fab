"""The base message of a 二代身份证 chip: the 256-byte UCS-2LE text block, decoded and checked.

Every reader (SDT API, termb, serial SAM) hands over the same block; parsing it here means a
garbled read is caught in one place. Layout (characters of UCS-2LE, padded with spaces):
name 15, sex 1, nation 2, birth 8, address 35, ID number 18, issuer 15, valid-from 8,
valid-to 8 (or "长期"), reserved 18 — 128 characters, 256 bytes.

Byte 248 (character 124, inside the reserved tail) is the card type: a space on the 居民身份证,
'J' on the 港澳台居民居住证, 'I' on the 外国人永久居留身份证 (lochyhuang/DKCloudID_UART_Andoird
`IDCardData.java` reads `wordMsgBytes[248]`). The 'J' card keeps the resident layout with an
empty nation, then pass number 9 and issue count 2 characters; it is parsed. The 'I' card has
its own layout (English name first) that no public source we could check spells out field by
field, so it is refused with a message to go to the counter rather than guessed at.

The GB 11643 check character comes from python-stdnum, the implementation `kiosk.idnumber`
uses too (`devices` must not import `kiosk`).
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
from stdnum.cn import ric

from devices.base import DeviceError, IdCardData

TEXT_LEN = 256
PHOTO_LEN = 1024
CARD_TYPE_OFFSET = 248

# (name, characters)
_FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 15), ("sex", 1), ("nation", 2), ("birth", 8), ("address", 35), ("id_number", 18),
    ("issuer", 15), ("valid_from", 8), ("valid_to", 8), ("reserved", 18),
)

SEX_CODES = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# GB/T 3304 民族代码
NATIONS = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
    "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
    "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
NATION_CODES = {f"{i + 1:02d}": n for i, n in enumerate(NATIONS)} | {"97": "其他", "98": "外国血统中国籍人士"}

# 港澳台居民居住证 ('J'): nation left empty, then pass number and issue count
_FIELDS_J: tuple[tuple[str, int], ...] = (
    ("name", 15), ("sex", 1), ("nation", 2), ("birth", 8), ("address", 35), ("id_number", 18),
    ("issuer", 15), ("valid_from", 8), ("valid_to", 8), ("pass_number", 9), ("issue_count", 2),
    ("reserved", 3), ("card_type", 1), ("reserved2", 3),
)


_BAD_READ = "身份证信息读取不完整，请将身份证重新平放在读卡区"


class CardDataError(DeviceError):
    """The text block is not a valid base message (a bad read or not a resident ID card)."""


class CardTypeRefused(CardDataError):
    """A card read correctly that this kiosk does not handle (外国人永久居留身份证): go to the counter."""


REFUSED_FOREIGNER = "本机暂不能办理外国人永久居留身份证，请取回证件到人工窗口办理"


def _date(s: str) -> _dt.date | None:
    if len(s) != 8 or not s.isdigit():
        return None
    try:
        return _dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        return None


def card_type(text: bytes) -> str:
    """'I', 'J', or '' (居民身份证) from byte 248 of the block."""
    if len(text) > CARD_TYPE_OFFSET + 1 and text[CARD_TYPE_OFFSET + 1] == 0:
        c = chr(text[CARD_TYPE_OFFSET])
        if c in ("I", "J"):
            return c
    return ""


def split_text(text: bytes) -> dict[str, str]:
    """The raw fields of the block, stripped of padding; raises on wrong length or encoding."""
    if len(text) != TEXT_LEN:
        raise CardDataError(_BAD_READ, detail=f"base message text is {len(text)} bytes, expected {TEXT_LEN}")
    try:
        chars = text.decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardDataError(_BAD_READ, detail=f"text block is not UCS-2LE: {exc.reason}") from None
    if len(chars) != TEXT_LEN // 2:
        raise CardDataError(_BAD_READ, detail="text block has surrogate pairs")
    out: dict[str, str] = {}
    pos = 0
    for name, width in (_FIELDS_J if card_type(text) == "J" else _FIELDS):
        out[name] = chars[pos:pos + width].replace("\x00", " ").strip()
        pos += width
    return out


def parse_base_text(text: bytes, photo_rgb: np.ndarray | None = None, photo_source: str | None = None) -> IdCardData:
    """Decode and check the block: ID number check digit, birth date, validity dates.

    Expiry is not an error here (the card was read correctly); `validity_problem` says
    whether the card may be used today. `photo_source` overrides "chip"/"none" (e.g.
    "chip_rejected" when the decoded chip photo was not a face).
    """
    kind = card_type(text)
    if kind == "I":
        raise CardTypeRefused(REFUSED_FOREIGNER, detail="card type 'I' (外国人永久居留身份证) at byte 248")
    f = split_text(text)
    idn = f["id_number"].upper()
    if len(idn) != 18 or not idn[:17].isdigit() or not (idn[17].isdigit() or idn[17] == "X"):
        raise CardDataError(_BAD_READ, detail="ID number field malformed")
    if ric.calc_check_digit(idn) != idn[17]:
        raise CardDataError(_BAD_READ, detail="ID number check digit (GB 11643) mismatch")
    birth = _date(f["birth"])
    if birth is None:
        raise CardDataError(_BAD_READ, detail="birth date field malformed")
    if idn[6:14] != f["birth"]:
        raise CardDataError(_BAD_READ, detail="birth date differs from the ID number")
    if f["sex"] not in SEX_CODES:
        raise CardDataError(_BAD_READ, detail="sex code unknown")
    if (int(idn[16]) % 2 == 1) != (f["sex"] == "1") and f["sex"] in ("1", "2"):
        raise CardDataError(_BAD_READ, detail="sex code differs from the ID number")
    nation = NATION_CODES.get(f["nation"]) if kind != "J" else ""
    if nation is None:
        raise CardDataError(_BAD_READ, detail="nation code unknown")
    if kind == "J" and idn[:2] not in ("81", "82", "83"):
        raise CardDataError(_BAD_READ, detail="港澳台居民居住证 number does not start with 81/82/83")
    if not f["name"]:
        raise CardDataError(_BAD_READ, detail="name empty")
    start = _date(f["valid_from"])
    if start is None:
        raise CardDataError(_BAD_READ, detail="valid-from date malformed")
    valid_to = f["valid_to"]
    if valid_to != "长期":
        end = _date(valid_to)
        if end is None or end <= start:
            raise CardDataError(_BAD_READ, detail="valid-to date malformed or before valid-from")
    if start < birth:
        raise CardDataError(_BAD_READ, detail="valid-from before birth")
    photo = photo_rgb if isinstance(photo_rgb, np.ndarray) else None
    return IdCardData(
        name=f["name"], sex=SEX_CODES[f["sex"]], nation=nation, birth=f["birth"], address=f["address"],
        id_number=idn, issuer=f["issuer"], valid_from=f["valid_from"], valid_to=valid_to,
        photo_rgb=photo, photo_source=photo_source or ("chip" if photo is not None else "none"),
        card_type="gat_residence" if kind == "J" else "resident",
    )


def validity_problem(card: IdCardData, today: _dt.date | None = None) -> str | None:
    """None when the card is valid today, else what to tell the applicant."""
    day = today or _dt.date.today()
    start = _date(card.valid_from)
    if start is not None and day < start:
        return "此身份证尚未生效，请使用有效的身份证"
    if card.valid_to != "长期":
        end = _date(card.valid_to)
        if end is not None and day > end:
            return f"此身份证已过有效期（{end:%Y.%m.%d}），请使用有效的身份证或到柜台办理"
    return None


def build_base_text(*, name: str, sex_code: str, nation_code: str, birth: str, address: str, id_number: str,
                    issuer: str, valid_from: str, valid_to: str, card_type: str = "", pass_number: str = "",
                    issue_count: str = "") -> bytes:
    """The 256-byte block for given fields (the simulator's chip and the protocol tests).

    `card_type` "J" builds a 港澳台居民居住证 block, "I" marks the type byte only (the test of
    the refusal); "" is the 居民身份证.
    """
    values = {"name": name, "sex": sex_code, "nation": nation_code, "birth": birth, "address": address,
              "id_number": id_number, "issuer": issuer, "valid_from": valid_from, "valid_to": valid_to,
              "reserved": "", "pass_number": pass_number, "issue_count": issue_count, "card_type": card_type,
              "reserved2": ""}
    out = []
    for field, width in (_FIELDS_J if card_type else _FIELDS):
        v = values[field]
        if len(v) > width:
            raise ValueError(f"{field} longer than {width} characters")
        out.append(v.ljust(width))
    return "".join(out).encode("utf-16-le")
