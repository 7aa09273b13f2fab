"""Marking texts for translation without Qt, for `devices/` and `kiosk/` (see `kiosk.texts`).

It sits in the lowest layer so that a driver's message to the applicant or staff can be marked
too; `kiosk.texts` re-exports it, and that is where the scheme is described.
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
