"""Texts of `kiosk/` that reach a screen, marked for translation without Qt.

`kiosk/` speaks Chinese and never imports Qt. A text that a person sees (a guidance line, an
escalation reason, a role, a business type, a `UserFacingError` message, a setting's name) is
written as `QT_TRANSLATE_NOOP(KIOSK, "…")`: at run time the call returns the text unchanged, and
`pyside6-lupdate`, which finds the call by its name, puts the text into the English catalogue
(`resources/i18n/bdc_kiosk_en.ts`, context "kiosk"). The UI translates at its boundary
(`ui.kiosk_texts.kiosk_text`).

A text with run-time parts (a name, a number) is built with `fmt(QT_TRANSLATE_NOOP(KIOSK,
"第{page}页"), page=2)`: the result is the formatted Chinese `str` (logs, audit and tests see
exactly that), and it keeps its template and arguments, so the UI translates the template and
formats again (string arguments are translated too when they are marked texts themselves).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

KIOSK = "kiosk"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark `text` for translation in `context`; returns it unchanged."""
    return text


class Text(str):
    """A formatted screen text that remembers its marked template and its arguments."""

    template: str
    args: dict[str, Any]

    def __new__(cls, template: str, **args: Any) -> Text:
        self = super().__new__(cls, template.format(**args))
        self.template = template
        self.args = args
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:  # type: ignore[override]
        return (self.template,), dict(self.args)


def fmt(template: str, **args: Any) -> Text:
    """`template.format(**args)` that the UI can translate (the template must be marked)."""
    return Text(template, **args)


def joined(sep: str, parts: Sequence[str]) -> Text:
    """`sep.join(parts)` that the UI translates part by part."""
    args = {f"p{i}": p for i, p in enumerate(parts)}
    return Text(sep.join("{" + k + "}" for k in args), **args)


# `devices/` sits below `kiosk/` and cannot mark its texts: the device names it reports
# (`devices.owner.KIND_ZH`) are marked here
DEVICE_NAMES = (QT_TRANSLATE_NOOP("kiosk", "摄像头"), QT_TRANSLATE_NOOP("kiosk", "麦克风"),
                QT_TRANSLATE_NOOP("kiosk", "身份证读卡器"), QT_TRANSLATE_NOOP("kiosk", "签字板"),
                QT_TRANSLATE_NOOP("kiosk", "设备"))
