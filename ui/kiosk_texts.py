"""The texts of `kiosk/` in the UI language.

`kiosk/` marks every text it shows with `QT_TRANSLATE_NOOP("kiosk", …)` (`kiosk.texts`), so the
texts sit in the English catalogue under context "kiosk". Everything that takes a text from
`kiosk/` to a screen (the session bridge, error messages, the consoles) passes it through
`kiosk_text`: a marked text comes back translated, a `kiosk.texts.Text` is formatted again from
its translated template and arguments, anything else (a name, a case number) comes back as is.
Translation happens when the text is shown, in the language installed at that moment.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.texts import KIOSK, Clause, Text, cut_clause


def kiosk_text(text: Any) -> str:
    """`text` in the UI language (a `Text` formatted from its translated template)."""
    if isinstance(text, Clause):
        return cut_clause(kiosk_text(text.args["text"]))
    if isinstance(text, Text):
        args = {k: kiosk_text(v) if isinstance(v, str) else v for k, v in text.args.items()}
        if text.sep is not None:  # a list: its separator translated on its own
            return QCoreApplication.translate(KIOSK, text.sep).join(str(v) for v in args.values())
        return QCoreApplication.translate(KIOSK, text.template).format(**args)
    if not isinstance(text, str) or not text:
        return "" if text is None else str(text)
    return QCoreApplication.translate(KIOSK, text)
