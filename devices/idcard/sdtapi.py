"""ID-card readers through the 公安部 SDT API (`sdtapi.dll` / `libsdtapi.so`), via ctypes.

Ports: 1001–1016 are USB readers, 1–16 serial ports. Return codes are SAM status bytes:
0x90 success, 0x9F card found, 0x80 / 0x81 no card (see `samframe.STATUS_TEXT`).
The Windows DLL uses stdcall. Verified only against a stub library built from the API's
function signatures (tests/devices), not against a physical reader.
"""
from __future__ import annotations

import ctypes
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
from devices.idcard.basemsg import PHOTO_LEN, TEXT_LEN, parse_base_text
from devices.idcard.lift import LiftGuard
from devices.idcard.samframe import STATUS_TEXT, SW_FOUND, SW_OK
from devices.idcard.wlt import decode_chip_photo
from devices.vendorlib import load_library_file, load_vendor_library

LIB_STEMS = ["sdtapi", "SDTAPI"]
USB_PORTS = range(1001, 1017)
_NO_CARD = (0x80, 0x81)


def _bind(lib: ctypes.CDLL) -> None:
    u8p = ctypes.POINTER(ctypes.c_ubyte)
    uip = ctypes.POINTER(ctypes.c_uint)
    sigs: dict[str, list[type]] = {
        "SDT_OpenPort": [ctypes.c_int],
        "SDT_ClosePort": [ctypes.c_int],
        "SDT_StartFindIDCard": [ctypes.c_int, u8p, ctypes.c_int],
        "SDT_SelectIDCard": [ctypes.c_int, u8p, ctypes.c_int],
        "SDT_ReadBaseMsg": [ctypes.c_int, u8p, uip, u8p, uip, ctypes.c_int],
    }
    for name, args in sigs.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise DeviceUnavailable("身份证读卡器驱动库版本不对", detail=f"{name} not exported",
                                    fix="安装读卡器厂商提供的 SDT API 驱动库") from None
        fn.argtypes = args
        fn.restype = ctypes.c_int


class SdtApiReader(IdCardReader):
    """A reader through the SDT API; `port=None` tries the USB ports 1001–1016."""

    def __init__(self, port: int | None = None, *, library: str | None = None, poll_s: float = 0.3,
                 lift_hint_s: float = 3.0) -> None:
        self.port = port
        self.poll_s = poll_s
        self.lift = LiftGuard(lift_hint_s)
        self._library = library
        self._lib: ctypes.CDLL | None = None
        self._open_port: int | None = None
        self._stop = threading.Event()
        self.info = DeviceInfo(kind="idcard", name="身份证读卡器（SDT API）", adapter="sdtapi")

    def load_library(self) -> ctypes.CDLL:
        if self._library:
            lib = load_library_file(self._library, "身份证读卡器")
        else:
            lib = load_vendor_library(LIB_STEMS, "身份证读卡器（SDT API）", stdcall=True)
        _bind(lib)
        return lib

    def open(self) -> None:
        lib = self._lib or self.load_library()
        self._lib = lib
        ports = [self.port] if self.port is not None else list(USB_PORTS)
        for port in ports:
            if lib.SDT_OpenPort(port) == SW_OK:
                self._open_port = port
                self._stop.clear()
                return
        raise DeviceUnavailable("未连接身份证读卡器", detail=f"SDT_OpenPort failed on {ports}",
                                fix="检查读卡器USB线；Linux 下确认 udev 规则已安装（读卡器需要读写权限）")

    def read_card(self, timeout: float = 10.0) -> IdCardData:
        lib, port = self._lib, self._open_port
        if lib is None or port is None:
            raise DeviceError("身份证读卡器未打开", detail="read_card() before open()")
        manage = (ctypes.c_ubyte * 8)()
        deadline = time.monotonic() + timeout
        self.lift.start()
        while True:
            rc = lib.SDT_StartFindIDCard(port, manage, 0)
            if rc == SW_FOUND:
                self.lift.card_found()
                rc = lib.SDT_SelectIDCard(port, manage, 0)
                if rc == SW_OK:
                    card = self._read_base(lib, port)
                    self.lift.read_done()
                    return card
            if rc not in _NO_CARD and rc != SW_FOUND:
                raise DeviceError(f"身份证读卡器错误：{STATUS_TEXT.get(rc, '未知错误')}",
                                  detail=f"SDT return code {rc:#x}")
            if rc in _NO_CARD:
                self.lift.no_card()
            if time.monotonic() + self.poll_s > deadline:
                raise TimeoutError("no card on the reader")
            if self._stop.wait(self.poll_s):
                raise TimeoutError("reader closed while waiting for a card")

    def _read_base(self, lib: ctypes.CDLL, port: int) -> IdCardData:
        text = (ctypes.c_ubyte * 512)()
        photo = (ctypes.c_ubyte * 2048)()
        text_len = ctypes.c_uint(0)
        photo_len = ctypes.c_uint(0)
        rc = lib.SDT_ReadBaseMsg(port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0)
        if rc != SW_OK:
            raise DeviceError(f"读取身份证失败：{STATUS_TEXT.get(rc, '未知错误')}，请重新放卡",
                              detail=f"SDT_ReadBaseMsg {rc:#x}")
        if text_len.value != TEXT_LEN:
            raise DeviceError("身份证信息读取不完整，请重新放卡", detail=f"text length {text_len.value}")
        if photo_len.value != PHOTO_LEN:
            return parse_base_text(bytes(text[:TEXT_LEN]))
        chip = decode_chip_photo(bytes(photo[:PHOTO_LEN]))
        return parse_base_text(bytes(text[:TEXT_LEN]), chip.rgb, chip.source)

    def close(self) -> None:
        self._stop.set()
        if self._lib is not None and self._open_port is not None:
            self._lib.SDT_ClosePort(self._open_port)
        self._open_port = None

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self._open_port is not None else DeviceState.CLOSED,
                      counters={"port": self._open_port or 0})
