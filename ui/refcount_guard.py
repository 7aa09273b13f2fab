"""Keeps the app alive on CPython 3.11 with PySide6 6.12.0, which returns `None` from void Qt
methods without taking a reference to it.

Every `painter.setPen(...)`, `widget.update()`… then costs `None` one reference; `None`
starts with a few thousand, and when the count reaches zero CPython aborts ("none_dealloc:
deallocating None"). The technician's pad test crashed the app this way within seconds. From
Python 3.12 on `None` is immortal (PEP 683) and the missing reference is harmless; on 3.11
the guard below measures the loss on a cheap void call and, only when there is one, gives
`None` 2**40 extra references, which outlasts any kiosk uptime at millions of calls a second.
Remove it once the pinned PySide6 fixes the binding (6.11.x does not have the fault).
"""
from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_EXTRA = 1 << 40
_installed = False


def void_call_leak() -> int:
    """References to `None` lost by 100 void Qt calls (0 on a correct binding)."""
    from PySide6.QtCore import QPoint

    point = QPoint()
    before = sys.getrefcount(None)
    for _ in range(100):
        point.setX(1)
    return before - sys.getrefcount(None)


def install() -> bool:
    """Apply the guard when this PySide6 leaks `None` references on a mortal `None`."""
    global _installed
    if _installed or sys.version_info >= (3, 12):
        return False
    if void_call_leak() <= 0:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _EXTRA
    _installed = True
    log.info("PySide6 void calls leak references to None: guard installed")
    return True
