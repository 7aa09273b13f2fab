"""ID-card readers through the 华视 (Chinese Vision) termb API (`termb.dll` / `libtermb.so`), via ctypes.

CVR_InitComm → 1, CVR_Authenticate() → 1 when a card is found and selected, then either
CVR_ReadBaseMsg (raw 256-byte block + WLT, newer libraries) or CVR_Read_Content and the
GetPeople* accessors (GBK text, older libraries). Every path ends in `parse_base_text`, so the
same checks apply. stdcall on Windows.

Two signatures exist under the same names, and binding one library with the other's is
undefined behaviour, so the variant is chosen before any call:
- Windows termb: `CVR_InitComm(int port)`, `CVR_ReadBaseMsg(text, *textLen, photo, *photoLen, int nMode)`;
- THID Linux (北京海鑫智圣, tovasLuo/cvr_lib_identify `THID_CVR_IDCard.h`):
  `CVR_InitComm(int Port, char *deviceName)` and
  `CVR_ReadBaseMsg(text, *textLen, photo, *photoLen, unsigned char *finger, int *finger_size, int nMode)`.
  Only that library exports `AutoCheckDevice(char *serial_port)`: its presence selects the THID
  binding; `variant=` in the configuration overrides the detection.
`nMode` is 1–4 (1: UCS-2 text, photo left as WLT — what we use) and the lengths go in as the
buffer sizes (the THID sample passes 256 and 126*102*3+1024); mode 0 and zero lengths are refused
by vendor libraries.

The libraries write WZ.TXT / XP.WLT / ZP.BMP (personal data) into the current directory
("自动在应用程序当前目录产生BMP照片文件", the VB declarations of termb.dll). Each read therefore
runs with the current directory switched to a private work directory (0700; the session's own
directory when the session sets one) under a process-wide lock, and every file there — and any
of those names left in the previous directory or next to the library — is overwritten and
deleted afterwards. Verified against a stub library built from these signatures, not against a
physical reader.
"""
from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

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
from devices.idcard.lift import LiftGuard
from devices.idcard.wlt import RAW_LEN, decode_chip_photo, wipe_file
from devices.vendorlib import load_library_file, load_vendor_library

log = logging.getLogger(__name__)

LIB_STEMS = ["termb", "Termb", "THID_CVR_IDCard"]
USB_PORTS = range(1001, 1017)
THID_DEVICES = ("/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyS0", "/dev/ttyACM0")  # THID sample: ttyS0 / ttyUSB0

VARIANT_TERMB = "termb"
VARIANT_THID = "thid"

READ_MODE = 1  # UCS-2 text, photo not decompressed
TEXT_BUF = 512
PHOTO_BUF = RAW_LEN + 1024  # as the THID sample allocates: room for a decoded photo in modes 3/4
FINGER_BUF = 1024
VENDOR_FILES = ("WZ.TXT", "XP.WLT", "ZP.BMP", "wz.txt", "xp.wlt", "zp.bmp")

_CWD_LOCK = threading.Lock()

_ACCESSORS = {
    "name": "GetPeopleName", "sex": "GetPeopleSex", "nation": "GetPeopleNation",
    "birth": "GetPeopleBirthday", "address": "GetPeopleAddress", "id_number": "GetPeopleIDCode",
    "issuer": "GetDepartment", "valid_from": "GetStartDate", "valid_to": "GetEndDate",
}
_SEX_BY_NAME = {v: k for k, v in SEX_CODES.items()}
_NATION_BY_NAME = {v: k for k, v in NATION_CODES.items()}


def detect_variant(lib: ctypes.CDLL) -> str:
    """THID when the library exports AutoCheckDevice (only the THID Linux library does)."""
    return VARIANT_THID if hasattr(lib, "AutoCheckDevice") else VARIANT_TERMB


def _bind(lib: ctypes.CDLL, variant: str) -> bool:
    """Declare the signatures of `variant`; True when the raw CVR_ReadBaseMsg is exported."""
    u8p = ctypes.POINTER(ctypes.c_ubyte)
    uip = ctypes.POINTER(ctypes.c_uint)
    init_args: list[type] = [ctypes.c_int, ctypes.c_char_p] if variant == VARIANT_THID else [ctypes.c_int]
    required: dict[str, list[type]] = {
        "CVR_InitComm": init_args,
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
        if variant == VARIANT_THID:
            lib.CVR_ReadBaseMsg.argtypes = [u8p, uip, u8p, uip, u8p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        else:
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
    def __init__(self, port: int | None = None, *, library: str | None = None, poll_s: float = 0.3,
                 variant: str | None = None, device: str | None = None, work_dir: str | Path | None = None,
                 lift_hint_s: float = 3.0) -> None:
        self.port = port
        self.poll_s = poll_s
        self.device = device
        self.variant = variant
        self._library = library
        self._lib: ctypes.CDLL | None = None
        self._lib_dir: Path | None = Path(library).resolve().parent if library else None
        self._raw = False
        self._opened = False
        self._stop = threading.Event()
        self._own_dir: Path | None = None
        self.work_dir: Path | None = Path(work_dir) if work_dir else None
        self.lift = LiftGuard(lift_hint_s)
        self.info = DeviceInfo(kind="idcard", name="身份证读卡器（华视 termb）", adapter="termb")

    def set_work_dir(self, path: str | Path | None) -> None:
        """Where the vendor library may write its files for the next reads (the session directory)."""
        self.work_dir = Path(path) if path else None

    def load_library(self) -> ctypes.CDLL:
        if self._library:
            lib = load_library_file(self._library, "华视读卡器")
        else:
            lib = load_vendor_library(LIB_STEMS, "华视身份证读卡器", stdcall=True)
            name = getattr(lib, "_name", "")
            if name and os.path.isabs(name):
                self._lib_dir = Path(name).parent
        return lib

    def open(self) -> None:
        if self._lib is None:
            lib = self.load_library()
            self.variant = self.variant or detect_variant(lib)
            self._raw = _bind(lib, self.variant)
            self._lib = lib
        if self.variant == VARIANT_THID:
            devices = [self.device] if self.device else [d for d in THID_DEVICES if os.path.exists(d)]
            for dev in devices:
                # the THID sample opens port 0 with the serial device named explicitly
                if self._lib.CVR_InitComm(self.port or 0, dev.encode()) == 1:
                    self._opened_ok()
                    return
            raise DeviceUnavailable("未连接华视身份证读卡器", detail=f"THID CVR_InitComm failed on {devices}",
                                    fix="检查读卡器USB线；确认当前用户有串口权限（dialout 组或本软件的 udev 规则）")
        ports = [self.port] if self.port is not None else list(USB_PORTS)
        for port in ports:
            if self._lib.CVR_InitComm(port) == 1:
                self._opened_ok()
                return
        raise DeviceUnavailable("未连接华视身份证读卡器", detail=f"CVR_InitComm failed on {ports}",
                                fix="检查读卡器USB线；Linux 下确认 udev 规则已安装")

    def _opened_ok(self) -> None:
        self._opened = True
        self._stop.clear()
        if self.work_dir is None and self._own_dir is None:
            self._own_dir = Path(tempfile.mkdtemp(prefix="bdc-termb-"))  # 0700

    def _private_dir(self) -> Path:
        d = self.work_dir or self._own_dir
        if d is None:
            self._own_dir = d = Path(tempfile.mkdtemp(prefix="bdc-termb-"))
        d.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            d.chmod(0o700)
        return d

    @contextlib.contextmanager
    def _vendor_files_contained(self) -> Iterator[Path]:
        """Run a vendor call with the current directory in the private dir; wipe what it wrote."""
        work = self._private_dir()
        with _CWD_LOCK:
            previous = Path.cwd()
            os.chdir(work)
            try:
                yield work
            finally:
                os.chdir(previous)
                for p in list(work.iterdir()):
                    if p.is_file():
                        wipe_file(p)
                places = [previous] + ([self._lib_dir] if self._lib_dir and self._lib_dir != previous else [])
                for d in places:
                    for name in VENDOR_FILES:
                        stray = d / name
                        if stray.is_file():
                            log.warning("vendor library wrote %s outside the work directory; wiped", name)
                            wipe_file(stray)

    def read_card(self, timeout: float = 10.0) -> IdCardData:
        lib = self._lib
        if lib is None or not self._opened:
            raise DeviceError("身份证读卡器未打开", detail="read_card() before open()")
        deadline = time.monotonic() + timeout
        self.lift.start()
        while lib.CVR_Authenticate() != 1:
            self.lift.no_card()
            if time.monotonic() + self.poll_s > deadline:
                raise TimeoutError("no card on the reader")
            if self._stop.wait(self.poll_s):
                raise TimeoutError("reader closed while waiting for a card")
        self.lift.card_found()
        card = self._read_raw(lib) if self._raw else self._read_fields(lib)
        self.lift.read_done()
        return card

    def _read_raw(self, lib: ctypes.CDLL) -> IdCardData:
        text = (ctypes.c_ubyte * TEXT_BUF)()
        photo = (ctypes.c_ubyte * PHOTO_BUF)()
        tl, pl = ctypes.c_uint(TEXT_BUF), ctypes.c_uint(PHOTO_BUF)
        with self._vendor_files_contained():
            if self.variant == VARIANT_THID:
                finger = (ctypes.c_ubyte * FINGER_BUF)()
                finger_size = ctypes.c_int(FINGER_BUF)
                rc = lib.CVR_ReadBaseMsg(text, ctypes.byref(tl), photo, ctypes.byref(pl), finger,
                                         ctypes.byref(finger_size), READ_MODE)
                ctypes.memset(finger, 0, FINGER_BUF)  # fingerprints are not ours to keep
            else:
                rc = lib.CVR_ReadBaseMsg(text, ctypes.byref(tl), photo, ctypes.byref(pl), READ_MODE)
        if rc != 1:
            raise DeviceError("读取身份证失败，请重新放卡", detail=f"CVR_ReadBaseMsg returned {rc}")
        if tl.value != TEXT_LEN:
            raise DeviceError("身份证信息读取不完整，请重新放卡", detail=f"text length {tl.value}")
        block = bytes(text[:TEXT_LEN])
        if pl.value != PHOTO_LEN:
            return parse_base_text(block)
        chip = decode_chip_photo(bytes(photo[:PHOTO_LEN]), work_dir=self._private_dir())
        return parse_base_text(block, chip.rgb, chip.source)

    def _read_fields(self, lib: ctypes.CDLL) -> IdCardData:
        raw: dict[str, str] = {}
        wlt = b""
        with self._vendor_files_contained() as work:
            # 2: WZ.TXT and XP.WLT (no decoded ZP.BMP: the photo goes through our checked decoder)
            if lib.CVR_Read_Content(2) != 1:
                raise DeviceError("读取身份证失败，请重新放卡", detail="CVR_Read_Content failed")
            for name in ("XP.WLT", "xp.wlt"):
                if (work / name).is_file():
                    wlt = (work / name).read_bytes()
                    break
            for field, acc in _ACCESSORS.items():
                buf = ctypes.create_string_buffer(256)
                n = ctypes.c_int(256)
                if getattr(lib, acc)(buf, ctypes.byref(n)) != 1:
                    raise DeviceError("读取身份证失败，请重新放卡", detail=f"{acc} failed")
                size = max(0, min(n.value, 256))
                raw[field] = buf.raw[:size].split(b"\0", 1)[0].decode("gbk", errors="replace").strip()
        card = card_from_fields(raw)
        if len(wlt) == PHOTO_LEN:
            chip = decode_chip_photo(wlt, work_dir=self._private_dir())
            card = _with_photo(card, chip.rgb, chip.source)
        return card

    def close(self) -> None:
        self._stop.set()
        if self._lib is not None and self._opened:
            self._lib.CVR_CloseComm()
        self._opened = False
        if self._own_dir is not None:
            for p in self._own_dir.glob("**/*"):
                if p.is_file():
                    wipe_file(p)
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def health(self) -> Health:
        return Health(DeviceState.OPEN if self._opened else DeviceState.CLOSED)


def _with_photo(card: IdCardData, rgb: np.ndarray | None, source: str) -> IdCardData:
    return dataclasses.replace(card, photo_rgb=rgb, photo_source=source)


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
