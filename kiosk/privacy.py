"""Masking of personal data for logs, screens and exports.

Names become 张* / 欧阳** (first character kept), ID numbers keep their first 4 and last 4
characters (4111**********1234), phone numbers their first 3 and last 4. `scrub_text` finds
ID numbers in free text; names cannot be found in free text reliably, so code registers the
names of the current session with `SessionSecrets` and the log filter replaces them.
"""
from __future__ import annotations

import re
import threading

_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) > 6 and ("公司" in name or "中心" in name or "银行" in name):
        # legal persons: the registered name is public, but keep logs uniform and short
        return name[:2] + "*" * (len(name) - 4) + name[-2:]
    return name[0] + "*" * max(1, len(name) - 1)


def mask_id(id_number: str) -> str:
    s = (id_number or "").strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def scrub_text(text: str) -> str:
    """Mask ID numbers and mobile numbers found anywhere in `text`."""
    text = _ID_RE.sub(lambda m: mask_id(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class SessionSecrets:
    """Process-wide set of raw personal values to replace in anything logged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, str] = {}

    def add_name(self, name: str) -> None:
        if name and len(name.strip()) >= 2:
            with self._lock:
                self._values[name.strip()] = mask_name(name)

    def add_id(self, id_number: str) -> None:
        if id_number and len(id_number) >= 8:
            with self._lock:
                self._values[id_number.strip()] = mask_id(id_number)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def scrub(self, text: str) -> str:
        with self._lock:
            items = sorted(self._values.items(), key=lambda kv: -len(kv[0]))
        for raw, masked in items:
            if raw in text:
                text = text.replace(raw, masked)
        return scrub_text(text)


SECRETS = SessionSecrets()
