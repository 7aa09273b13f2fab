"""The chip photo (WLT, 1024 bytes) decoded only through the vendor's library, then checked.

The WLT compression is proprietary and licensed with the SAM; we do not reimplement it. Two
library shapes exist in public samples, and both are supported:

- `unpack(char *src, char *dst, int bmpSave)` (Linux `libwlt.so`, Windows `DLL_File.dll`),
  cdecl on every platform. It writes 38,556 raw bytes: 102 × 126 pixels × 3 (B, G, R), no
  header, no row padding — callers wrap them themselves. The Android samples that use the same
  decoder allocate exactly `3 * 102 * 126` bytes and paint the last triplet at the top-right
  corner, i.e. rows bottom-up as in a BMP body (superoctober1213/AppBluetooth
  `WLTService.java`, zkteco `IDPhotoHelper.Bgr2Bitmap` as used in lochyhuang/DKCloudID_UART_Andoird
  `IDCardData.java`).
- `GetBmp(char *wltFile, int intf)` (Windows `WltRS.dll`, Linux `libwltu.so`): reads a `.wlt`
  file and writes a real BMP next to it (same name, `.bmp`); `intf` 1 = USB, 2 = serial.
  stdcall on Windows (the Synjones header declares `Syn_GetBmp` `_stdcall`). Its files hold
  the applicant's photo: they are written to a private directory and wiped.

Because the sources disagree on details (row order; one decoder may be a different build),
the decoded image is accepted only when it looks like a face (dlib's frontal detector, tried
in both row orders) — or, when dlib is missing, at least like a photograph. Otherwise the photo
is "chip_rejected": the flow then uses the platform's case photo and the evidence says so.
"""
from __future__ import annotations

import ctypes
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from devices.vendorlib import find_vendor_library, search_dirs

log = logging.getLogger(__name__)

WLT_LEN = 1024
PHOTO_W, PHOTO_H = 102, 126
RAW_LEN = PHOTO_W * PHOTO_H * 3  # 38,556: what unpack() writes
_DST_LEN = RAW_LEN + 1024  # slack: some builds write past the end (THID sample allocates 126*102*3+1024)

# searched in this order: the unpack() libraries first, GetBmp() ones after
UNPACK_STEMS = ["wlt", "DLL_File"]
GETBMP_STEMS = ["WltRS", "wltrs", "wltu"]

SOURCE_CHIP = "chip"
SOURCE_NONE = "none"
SOURCE_REJECTED = "chip_rejected"


@dataclass(frozen=True)
class ChipPhoto:
    rgb: np.ndarray | None
    source: str  # chip | none | chip_rejected
    detail: str = ""


def _load(path: str, stdcall: bool) -> ctypes.CDLL | None:
    try:
        if stdcall and sys.platform == "win32":
            return ctypes.WinDLL(path)  # type: ignore[attr-defined,no-any-return]
        return ctypes.CDLL(path)
    except OSError as exc:
        log.warning("WLT decoder %s does not load: %s", path, exc)
        return None


_FOUND: dict[tuple[str, ...], list[tuple[str, ctypes.CDLL]]] = {}


def _decoders() -> list[tuple[str, ctypes.CDLL]]:
    """(kind, library) for every decoder found, unpack() ones first; looked up once per search path."""
    key = tuple(str(d) for d in search_dirs())
    if key not in _FOUND:
        _FOUND[key] = _find_decoders()
    return _FOUND[key]


def _find_decoders() -> list[tuple[str, ctypes.CDLL]]:
    out: list[tuple[str, ctypes.CDLL]] = []
    for stem in UNPACK_STEMS:
        path = find_vendor_library([stem])
        lib = _load(path, stdcall=False) if path else None
        if lib is not None and hasattr(lib, "unpack"):
            out.append(("unpack", lib))
    for stem in GETBMP_STEMS:
        path = find_vendor_library([stem])
        lib = _load(path, stdcall=True) if path else None
        if lib is not None and hasattr(lib, "GetBmp"):
            out.append(("getbmp", lib))
    return out


def raw_to_rgb(raw: bytes, *, bottom_up: bool = True) -> np.ndarray:
    """unpack()'s 38,556 bytes (B, G, R, rows bottom-up, no padding) as RGB (126, 102, 3)."""
    if len(raw) < RAW_LEN:
        raise ValueError(f"decoded photo too short: {len(raw)} < {RAW_LEN}")
    bgr = np.frombuffer(raw[:RAW_LEN], np.uint8).reshape(PHOTO_H, PHOTO_W, 3)
    if bottom_up:
        bgr = bgr[::-1]
    return np.ascontiguousarray(bgr[:, :, ::-1])


def _unpack(lib: ctypes.CDLL, wlt: bytes) -> bytes | None:
    fn = lib.unpack
    fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    fn.restype = ctypes.c_int
    src = ctypes.create_string_buffer(bytes(wlt), WLT_LEN)
    dst = ctypes.create_string_buffer(_DST_LEN)
    rc = fn(src, dst, 0)
    if rc != 1:
        log.warning("WLT decode failed (unpack returned %d)", rc)
        return None
    return dst.raw[:RAW_LEN]


def wipe_file(path: Path) -> None:
    """Overwrite then delete a file that held personal data; missing files are fine."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("could not wipe %s: %s", path.name, exc)


def _getbmp(lib: ctypes.CDLL, wlt: bytes, work_dir: Path | None) -> np.ndarray | None:
    import cv2

    fn = lib.GetBmp
    fn.argtypes = [ctypes.c_char_p, ctypes.c_int]
    fn.restype = ctypes.c_int
    with tempfile.TemporaryDirectory(prefix="wlt-", dir=work_dir) as tmp:
        wlt_path = Path(tmp) / "xp.wlt"
        bmp_path = wlt_path.with_suffix(".bmp")
        try:
            wlt_path.write_bytes(wlt)
            rc = fn(str(wlt_path).encode(sys.getfilesystemencoding()), 1)
            if rc != 1 or not bmp_path.is_file():
                log.warning("WLT decode failed (GetBmp returned %d)", rc)
                return None
            bgr = cv2.imread(str(bmp_path), cv2.IMREAD_COLOR)
        finally:
            for p in Path(tmp).iterdir():
                wipe_file(p)
    if bgr is None or bgr.shape[:2] != (PHOTO_H, PHOTO_W):
        log.warning("GetBmp wrote no usable 102x126 bitmap")
        return None
    return np.ascontiguousarray(bgr[:, :, ::-1])


# ---------------------------------------------------------------- does it look like a photo of a face?

_detector: Any = None


def _face_detector() -> Any:
    global _detector
    if _detector is None:
        try:
            import dlib
        except ImportError:
            _detector = False
        else:
            _detector = dlib.get_frontal_face_detector()
    return _detector


def looks_like_photo(rgb: np.ndarray) -> bool:
    """A weak check when no face detector is installed: varied, not noise, not a flat fill."""
    grey = rgb.astype(np.float32).mean(axis=2)
    if grey.std() < 12:
        return False
    # neighbouring pixels of a photograph are alike; noise and scrambled rows are not
    step = np.abs(np.diff(grey, axis=1)).mean()
    return bool(step < 0.5 * grey.std())


def face_found(rgb: np.ndarray) -> bool | None:
    """True/False from dlib's frontal face detector; None when dlib is not installed."""
    det = _face_detector()
    if det is False:
        return None
    return len(det(np.ascontiguousarray(rgb), 2)) > 0


def check_photo(candidates: list[np.ndarray]) -> tuple[np.ndarray | None, str]:
    """The first candidate that holds a face (or, without dlib, looks like a photo)."""
    for rgb in candidates:
        found = face_found(rgb)
        if found:
            return rgb, "face found"
        if found is None and looks_like_photo(rgb):
            return rgb, "no face detector installed; image looks like a photograph"
    return None, "no face in the decoded chip photo"


def decode_chip_photo(wlt: bytes, *, work_dir: Path | None = None) -> ChipPhoto:
    """Decode the chip's WLT with the first vendor decoder found, and check the result."""
    if len(wlt) != WLT_LEN:
        return ChipPhoto(None, SOURCE_NONE, f"WLT block is {len(wlt)} bytes")
    decoders = _decoders()
    if not decoders:
        log.info("WLT decoder not available in %s or the system library path", [str(d) for d in search_dirs()])
        return ChipPhoto(None, SOURCE_NONE, "no WLT decoder library")
    kind, lib = decoders[0]
    if kind == "unpack":
        raw = _unpack(lib, wlt)
        if raw is None:
            return ChipPhoto(None, SOURCE_REJECTED, "decoder refused the WLT block")
        # the row order is the one point the public samples leave open: try both
        candidates = [raw_to_rgb(raw, bottom_up=True), raw_to_rgb(raw, bottom_up=False)]
    else:
        rgb = _getbmp(lib, wlt, work_dir)
        if rgb is None:
            return ChipPhoto(None, SOURCE_REJECTED, "decoder refused the WLT block")
        candidates = [rgb]
    photo, why = check_photo(candidates)
    if photo is None:
        log.warning("chip photo rejected: %s", why)
        return ChipPhoto(None, SOURCE_REJECTED, why)
    return ChipPhoto(photo, SOURCE_CHIP, why)


def decode_wlt(wlt: bytes) -> np.ndarray | None:
    """RGB (126, 102, 3) of a checked chip photo, or None (no decoder, refused, not a face)."""
    return decode_chip_photo(wlt).rgb
