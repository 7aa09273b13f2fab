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
    sep: str | None = None  # a `joined` list: the separator, translated on its own

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
    """`sep.join(parts)` that the UI translates part by part (and `sep` too, when it is marked)."""
    args = {f"p{i}": p for i, p in enumerate(parts)}
    text = Text(sep.join("{" + k + "}" for k in args), **args)
    text.sep = sep
    return text


class Clause(Text):
    """The part of a marked text before its first ；，： (a setting's name out of its
    description); the UI cuts the translated text the same way (`cut_clause`)."""

    def __new__(cls, text: str) -> Clause:  # type: ignore[misc]
        self = str.__new__(cls, cut_clause(text))
        self.template = "{text}"
        self.args = {"text": text}
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:  # type: ignore[override]
        return (self.args["text"],), {}


def cut_clause(text: str) -> str:
    for mark in "；，：;,:":
        text = text.split(mark)[0]
    return text.strip()
