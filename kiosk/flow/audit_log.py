"""Append-only, hash-chained audit log: each event carries the hash of the previous one.

Events hold steps, outcomes and times — never raw personal data (callers pass masked values).
With a path, every event is appended and fsynced before the transition is reported, so a
crash loses no confirmed step.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from kiosk.evidence.audit import chain_hash

GENESIS = "0" * 64


class AuditLog:
    def __init__(self, path: Path | None = None, *, context: dict[str, Any] | None = None) -> None:
        self.path = path
        self.context = dict(context or {})
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        if path is not None and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self.events.append(json.loads(line))

    @property
    def head(self) -> str:
        return self.events[-1]["hash"] if self.events else GENESIS

    def append(self, kind: str, **fields: Any) -> dict[str, Any]:
        with self._lock:
            event: dict[str, Any] = {
                "seq": len(self.events),
                "ts": dt.datetime.now().astimezone().isoformat(timespec="milliseconds"),
                "kind": kind,
                **self.context,
                **fields,
                "prev": self.head,
            }
            event["hash"] = chain_hash(event)
            self.events.append(event)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
            return event
