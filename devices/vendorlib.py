"""Finding and loading the vendors' native libraries (ID-card readers, WLT photo decoder).

Vendors ship their DLL / .so with the reader rather than through a package manager, so the
places we look are, in order: the directory named by `BDC_VENDOR_LIB_DIR`, `vendor/` next to
the application, the OS library search (`ctypes.util.find_library`). A library that is
missing or does not load becomes a `DeviceUnavailable` with the fix, never a crash.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path

from devices.base import DeviceUnavailable

_APP_VENDOR_DIR = Path(__file__).resolve().parent.parent / "vendor"


def search_dirs() -> list[Path]:
    dirs: list[Path] = []
    env = os.environ.get("BDC_VENDOR_LIB_DIR")
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    dirs.append(_APP_VENDOR_DIR)
    if getattr(sys, "frozen", False):  # PyInstaller: next to the executable
        dirs.append(Path(sys.executable).resolve().parent / "vendor")
    return dirs


def file_names(stem: str) -> list[str]:
    """Candidate file names of library `stem` on this OS (`sdtapi` → libsdtapi.so / sdtapi.dll)."""
    if sys.platform == "win32":
        return [f"{stem}.dll"]
    if sys.platform == "darwin":
        return [f"lib{stem}.dylib"]
    return [f"lib{stem}.so", f"{stem}.so"]


def find_vendor_library(stems: list[str]) -> str | None:
    """Path (or loader name) of the first library found among `stems`, or None."""
    for d in search_dirs():
        for stem in stems:
            for fname in file_names(stem):
                if (d / fname).is_file():
                    return str(d / fname)
    for stem in stems:
        found = ctypes.util.find_library(stem)
        if found:
            return found
    return None


def load_vendor_library(stems: list[str], what: str, *, stdcall: bool = False) -> ctypes.CDLL:
    """Load the first of `stems`; stdcall (WinDLL) on Windows when the vendor API says so."""
    path = find_vendor_library(stems)
    names = " / ".join(n for s in stems for n in file_names(s))
    fix = (f"安装读卡器厂商驱动，或把 {names} 放到 {_APP_VENDOR_DIR} 或 BDC_VENDOR_LIB_DIR 指定的目录")
    if path is None:
        raise DeviceUnavailable(f"未找到{what}的厂商驱动库", detail=f"none of {names} found in "
                                f"{[str(d) for d in search_dirs()]} or the system library path", fix=fix)
    try:
        if stdcall and sys.platform == "win32":
            return ctypes.WinDLL(path)  # type: ignore[attr-defined,no-any-return]
        return ctypes.CDLL(path)
    except OSError as exc:
        raise DeviceUnavailable(f"{what}的厂商驱动库无法加载", detail=f"{path}: {exc}",
                                fix=fix + "；确认库与本机系统位数（32/64位）一致") from None


def load_library_file(path: str, what: str) -> ctypes.CDLL:
    """Load a vendor library the configuration names by path (stdcall on Windows)."""
    try:
        return (ctypes.WinDLL(path) if sys.platform == "win32"  # type: ignore[attr-defined]
                else ctypes.CDLL(path))
    except OSError as exc:
        raise DeviceUnavailable(f"{what}驱动库无法加载", detail=f"{path}: {exc}") from None
