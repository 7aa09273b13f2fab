"""The chip photo (WLT, 1024 bytes) decoded only through the vendor's library.

The WLT compression is proprietary and licensed with the SAM; we do not reimplement it. When
the library is present the photo becomes a 102×126 RGB array and `photo_source` is "chip";
otherwise the flow uses the case photo from the platform and the evidence records that.
Linux libraries export `unpack(src, dst, bmp_save)` (libwlt / libwltrs) writing 102×126 BGR
rows bottom-up after a 54-byte BMP header; Windows WltRS.dll is used the same way.
"""
from __future__ import annotations

import ctypes
import logging

import numpy as np

from devices.base import DeviceUnavailable
from devices.vendorlib import load_vendor_library

log = logging.getLogger(__name__)

WLT_LEN = 1024
PHOTO_W, PHOTO_H = 102, 126
_BMP_HEADER = 54
_DST_LEN = 38862  # what the vendor documents as the output buffer size

_STEMS = ["wlt", "wltrs", "WltRS", "DLL_File"]


def _load() -> ctypes.CDLL:
    return load_vendor_library(_STEMS, "身份证照片解码", stdcall=True)


def decode_wlt(wlt: bytes) -> np.ndarray | None:
    """RGB (126, 102, 3) from the chip's WLT bytes, or None when no vendor decoder is here."""
    if len(wlt) != WLT_LEN:
        return None
    try:
        lib = _load()
    except DeviceUnavailable as exc:
        log.info("WLT decoder not available: %s", exc.detail)
        return None
    src = ctypes.create_string_buffer(bytes(wlt), WLT_LEN)
    dst = ctypes.create_string_buffer(_DST_LEN)
    unpack = getattr(lib, "unpack", None)
    if unpack is None:
        log.warning("WLT library has no unpack() export")
        return None
    unpack.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    unpack.restype = ctypes.c_int
    if unpack(src, dst, 0) != 1:
        log.warning("WLT decode failed")
        return None
    return bmp_payload_to_rgb(dst.raw)


def bmp_payload_to_rgb(raw: bytes) -> np.ndarray:
    """The decoder's output (BMP header + bottom-up BGR rows padded to 4 bytes) as RGB."""
    row = (PHOTO_W * 3 + 3) & ~3
    need = _BMP_HEADER + row * PHOTO_H
    if len(raw) < need:
        raise ValueError(f"decoded photo too short: {len(raw)} < {need}")
    rows = np.frombuffer(raw[_BMP_HEADER:need], np.uint8).reshape(PHOTO_H, row)[:, :PHOTO_W * 3]
    bgr = rows.reshape(PHOTO_H, PHOTO_W, 3)[::-1]
    return np.ascontiguousarray(bgr[:, :, ::-1])
