"""The two kinds of errors the product knows.

`UserFacingError` carries a message a person can act on, in plain Chinese, shown as is; its
`detail` goes to the technician's log only. Anything else is a bug: logged with its traceback,
shown as a generic message. Cancelled is not an error (`Cancelled`).
"""
from __future__ import annotations


class UserFacingError(Exception):
    def __init__(self, message: str, *, detail: str = "", code: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.code = code


class Cancelled(Exception):  # noqa: N818 - a control-flow signal, not an error
    """The person or the flow cancelled; callers unwind quietly."""
