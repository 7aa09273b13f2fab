"""Technician logs: rotating JSON-lines files under `<state>/logs`, personal data masked.

Every record passes through `MaskingFilter` (ID numbers, phone numbers, and the names the
session registered with `privacy.SECRETS`) before any handler sees it, so no handler, export
or console ever gets a raw value.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
import sys
import threading
import time
from pathlib import Path
from typing import Any

from kiosk.privacy import SECRETS

_STD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()) | {"message", "asctime"}


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not kill logging
            msg = str(record.msg)
        record.msg = SECRETS.scrub(msg)
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STD and isinstance(value, str):
                setattr(record, key, SECRETS.scrub(value))
        return True


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created))
            + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "thread": record.threadName,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STD and not key.startswith("_"):
                out[key] = value if isinstance(value, (int, float, bool, type(None))) else SECRETS.scrub(str(value))
        if record.exc_info:
            out["exc"] = SECRETS.scrub(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False)


_configured: list[logging.Handler] = []
_lock = threading.Lock()


def setup_logging(log_dir: Path | None, *, level: int = logging.INFO, console: bool = False) -> None:
    """Install the masking filter and the JSON-lines file handler (idempotent per directory)."""
    root = logging.getLogger()
    with _lock:
        for h in _configured:
            root.removeHandler(h)
            h.close()
        _configured.clear()
        root.setLevel(level)
        handlers: list[logging.Handler] = []
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            fh = logging.handlers.RotatingFileHandler(
                log_dir / "kiosk.jsonl", maxBytes=5_000_000, backupCount=10, encoding="utf-8")
            fh.setFormatter(JsonLinesFormatter())
            handlers.append(fh)
        if console:
            ch = logging.StreamHandler(sys.stderr)
            ch.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            ch.setLevel(logging.WARNING)
            handlers.append(ch)
        for h in handlers:
            h.addFilter(MaskingFilter())
            root.addHandler(h)
            _configured.append(h)
    threading.excepthook = _thread_excepthook


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    logging.getLogger("kiosk.crash").error(
        "uncaught exception in thread %s", getattr(args.thread, "name", "?"),
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))  # type: ignore[arg-type]
