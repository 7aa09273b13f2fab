"""RFC 9457 problem answers: every error the platform gives is `application/problem+json`."""
from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from kiosk.platform.protocol import PROBLEM_TYPE

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An RFC 9457 problem answer; `code` is what the kiosk acts on. `close` ends the connection
    after the answer (the request body was not read)."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", *, close: bool = False,
                 **extra: Any) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.close = close
        self.extra = extra


def problem_body(p: Problem) -> bytes:
    body: dict[str, Any] = {"type": PROBLEM_TYPE + p.code, "title": p.title, "status": p.status, "code": p.code}
    if p.detail:
        body["detail"] = p.detail
    body.update(p.extra)
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(p: Problem, headers: dict[str, str] | None = None) -> Response:
    h = dict(headers or {})
    if p.status in (429, 503):
        h.setdefault("Retry-After", "1")
    if p.close:
        h["Connection"] = "close"
    return Response(problem_body(p), status_code=p.status, media_type=PROBLEM_JSON, headers=h)
