"""Texts of `kiosk/` that reach a screen, marked for translation without Qt.

`kiosk/` speaks Chinese and never imports Qt. A text that a person sees (a guidance line, an
escalation reason, a role, a business type, a `UserFacingError` message, a setting's name) is
written as `QT_TRANSLATE_NOOP(KIOSK, "…")`: at run time the call returns the text unchanged, and
`pyside6-lupdate`, which finds the call by its name, puts the text into the English catalogue
(`resources/i18n/bdc_kiosk_en.ts`, context "kiosk"). The UI translates at its boundary
(`ui.kiosk_texts.kiosk_text`). The functions live in `devices/texts.py`, so that `devices/`,
below `kiosk/`, marks the messages of its devices the same way.

A text with run-time parts (a name, a number) is built with `fmt(QT_TRANSLATE_NOOP(KIOSK,
"第{page}页"), page=2)`: the result is the formatted Chinese `str` (logs, audit and tests see
exactly that), and it keeps its template and arguments, so the UI translates the template and
formats again (string arguments are translated too when they are marked texts themselves).
"""
from __future__ import annotations

from devices.texts import KIOSK, QT_TRANSLATE_NOOP, Clause, Text, cut_clause, fmt, joined

__all__ = ["KIOSK", "QT_TRANSLATE_NOOP", "Clause", "Text", "cut_clause", "fmt", "joined"]
