"""ID-card readers through the 华视 (Chinese Vision) termb API (`termb.dll` / `libtermb.so`), via ctypes.

CVR_InitComm(port) → 1, CVR_Authenticate() → 1 when a card is found and selected, then
either CVR_ReadBaseMsg (raw 256-byte block + WLT, newer libraries) or CVR_Read_Content and the
GetPeople* accessors (GBK text, older libraries). Every path ends in `parse_base_text`, so the
same checks apply. stdcall on Windows. Verified only against a stub library built from these
signatures, not against a physical reader.
"""
from __future__ import annotations

import ctypes
import re
import threading
import time

from devices.base import (
    DeviceError,
    DeviceInfo,
    DeviceState,
    DeviceUnavailable,
    Health,
    IdCardData,
    IdCardReader,
)
from devices.idcard.basemsg import (
    NATION_CODES,
    PHOTO_LEN,
    SEX_CODES,
    TEXT_LEN,
    CardDataError,
    build_base_text,
    parse_base_text,
)
from devices.idcard.wlt import decode_wlt
from devices.vendorlib import load_library_file, load_vendor_library

LIB_STEMS = ["termb", "Termb"]
USB_PORTS = range(1001, 1017)

_ACCESSORS = {
    "name": "GetPeopleName", "sex": "GetPeopleSex", "nation": "GetPeopleNation",
    "birth": "GetPeopleBirthday", "address": "GetPeopleAddress", "id_number": "GetPeopleIDCode",
    "issuer": "GetDepartment", "valid_from": "GetStartDate", "valid_to": "GetEndDate",
}
_SEX_BY_NAME = {v: k for k, v in SEX_CODES.items()}
_NATION_BY_NAME = {v: k for k, v in NATION_CODES.items()}


def _bind(lib: ctypes.CDLL) -> bool:
    """Declare the signatures; True when the raw CVR_ReadBaseMsg is exported."""
    u8p = ctypes.POINTER(ctypes.c_ubyte)
    uip = ctypes.POINTER(ctypes.c_uint)
    required: dict[str, list[type]] = {
        "CVR_InitComm": [ctypes.c_int],
        "CVR_Authenticate": [],
        "CVR_CloseComm": [],
    }
    for name, args in required.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise DeviceUnavailable("华视读卡器驱动库版本不对", detail=f"{name} not exported",
                                    fix="安装华视读卡器的 termb 驱动库") from None
        fn.argtypes = args
        fn.restype = ctypes.c_int
    raw = hasattr(lib, "CVR_ReadBaseMsg")
    if raw:
        lib.CVR_ReadBaseMsg.argtypes = [u8p, uip, u8p, uip, ctypes.c_int]
        lib.CVR_ReadBaseMsg.restype = ctypes.c_int
    else:
        lib.CVR_Read_Content.argtypes = [ctypes.c_int]
        lib.CVR_Read_Content.restype = ctypes.c_int
        for acc in _ACCESSORS.values():
            fn = getattr(lib, acc)
            fn.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
            fn.restype = ctypes.c_int
    return raw


class TermbReader(IdCardReader):
    def __init__(self, port: int | None = None, *, library: str | None = None, poll_s: float = 0.3) -> None:
        self.port = port
        self.poll_s = poll_s
        self._library = library
        self._lib: ctypes.CDLL | None = None
        self._raw = False
        self._opened = False
        self._stop = threading.Event()
        self.info = DeviceInfo(kind="idcard", name="身份证读卡器（华视 termb）", adapter="termb")

    def load_library(self) -> ctypes.CDLL:
        if self._library:
            lib = load_library_file(self._library, "华视读卡器")
        else:
            lib = load_vendor_library(LIB_STEMS, "华视身份证读卡器", stdcall=True)
        return lib

    def open(self) -> None:
        if self._lib is None:
            lib = self.load_library()
            self._raw = _bind(lib)
            self._lib = lib
        ports = [self.port] if self.port is not None else list(USB_PORTS)
        for port in ports:
            if self._lib.CVR_InitComm(port) == 1:
                self._opened = True
                self._stop.clear()
                return
        raise DeviceUnavailable("未连接华视身份证读卡器", detail=f"CVR_InitComm failed on {ports}",
                                fix="检查读卡器USB线；Linux 下确认 udev 规则已安装")

    def read_card(self, timeout: float = 10.0) -> IdCardData:
        lib = self._lib
        if lib is None or not self._opened:
            raise DeviceError("身份证读卡器未打开", detail="read_card() before open()")
        deadline = time.monotonic() + timeout
        while lib.CVR_Authenticate() != 1:
            if time.monotonic() + self.poll_s > deadline:
                raise TimeoutError("no card on the reader")
            if self._stop.wait(self.poll_s):
                raise TimeoutError("reader closed while waiting for a card")
        return self._read_raw(lib) if self._raw else self._read_fields(lib)

    def _read_raw(self, lib: ctypes.CDLL) -> IdCardData:
        text = (ctypes.c_ubyte * 512)()
        photo = (ctypes.c_ubyte * 2048)()
        tl, pl = ctypes.c_uint(0), ctypes.c_uint(0)
        if lib.CVR_ReadBaseMsg(text, ctypes.byref(tl), photo, ctypes.byref(pl), 0) != 1:
            raise DeviceError("读取身份证失败，请重新放卡", detail="CVR_ReadBaseMsg failed")
        if tl.value != TEXT_LEN:
            raise DeviceError("身份证信息读取不完整，请重新放卡", detail=f"text length {tl.value}")
        wlt = bytes(photo[:pl.value]) if pl.value == PHOTO_LEN else b""
        return parse_base_text(bytes(text[:TEXT_LEN]), decode_wlt(wlt) if wlt else None)

    def _read_fields(self, lib: ctypes.CDLL) -> IdCardData:
        if lib.CVR_Read_Content(1) != 1:
            raise DeviceError("读取身份证失败，请重新放卡", detail="CVR_Read_Content failed")
        raw: dict[str, str] = {}
        for field, acc in _ACCESSORS.items():
            buf = ctypes.create_string_buffer(256)
            n = ctypes.c_int(256)
            if getattr(lib, acc)(buf, ctypes.byref(n)) != 1:
                raise DeviceError("读取身份证失败，请重新放卡", detail=f"{acc} failed")
            size = max(0, min(n.value, 256))
            raw[field] = buf.raw[:size].split(b"\0", 1)[0].decode("gbk", errors="replace").strip()
        return card_from_fields(raw)

    def close(self) -> None:
        self._stop.set()
        if self._lib is not None and self._opened:
            self._lib.CVR_CloseComm()
        self._opened = False

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self._opened else DeviceState.CLOSED)


def card_from_fields(raw: dict[str, str]) -> IdCardData:
    """Card data from decoded text fields (names for sex/nation, dates with or without dashes)."""
    def digits(s: str) -> str:
        return re.sub(r"\D", "", s)

    sex = _SEX_BY_NAME.get(raw["sex"], raw["sex"])
    nation = raw["nation"].removesuffix("族")
    nation_code = _NATION_BY_NAME.get(nation, nation if nation.isdigit() else "")
    valid_to = raw["valid_to"] if raw["valid_to"] == "长期" else digits(raw["valid_to"])
    try:
        text = build_base_text(name=raw["name"], sex_code=sex, nation_code=nation_code,
                               birth=digits(raw["birth"]), address=raw["address"], id_number=raw["id_number"],
                               issuer=raw["issuer"], valid_from=digits(raw["valid_from"]), valid_to=valid_to)
    except ValueError as exc:
        raise CardDataError("身份证信息读取不完整，请重新放卡", detail=str(exc)) from None
    return parse_base_text(text)
