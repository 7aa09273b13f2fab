"""The audit hash chain, on the ground floor: the session's `audit.jsonl`, the device's own
audit log, and the check `verify` runs. Nothing here imports anything else of kiosk.

Each line is one JSON object with `seq`, `ts`, `prev` and `hash`. `hash` is the SHA-256 of the
canonical JSON of the object without `hash` (sorted keys, no spaces, UTF-8 kept), and `prev` is
the previous line's `hash` ("0"*64 for the first), so deleting, reordering or editing any line
breaks the chain at that line. `AuditLog` writes a chain (append-only, fsynced before the
transition is reported, so a crash loses no confirmed step); `append_event` links events in
memory; `check_chain` re-checks one. Events hold steps, outcomes and times — never raw personal
data (callers pass masked values).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

GENESIS = "0" * 64


def canonical_json(obj: Mapping[str, Any]) -> str:
    """The one serialisation that is hashed; any other formatting would give a different hash."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(obj: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of `obj` without its `hash` field."""
    body = {k: v for k, v in obj.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def append_event(chain: list[dict[str, Any]], event: Mapping[str, Any]) -> dict[str, Any]:
    """Link `event` to the end of `chain` (sets seq, prev, hash) and return the stored object.

    `event` must carry `ts`; `seq`, `prev` and `hash` are assigned here so callers cannot get
    the linking wrong.
    """
    obj = {k: v for k, v in event.items() if k not in ("seq", "prev", "hash")}
    obj["seq"] = (chain[-1]["seq"] + 1) if chain else 1
    obj["prev"] = chain[-1]["hash"] if chain else GENESIS
    obj["hash"] = chain_hash(obj)
    chain.append(obj)
    return obj


def dumps_chain(events: Iterable[Mapping[str, Any]]) -> str:
    """The `audit.jsonl` text: one object per line, each line newline-terminated."""
    return "".join(json.dumps(dict(e), ensure_ascii=False, sort_keys=True) + "\n" for e in events)


def check_chain(lines: Iterable[str | Mapping[str, Any]]) -> list[str]:
    """Problems with the chain, in plain words; an empty list means the chain is intact.

    Accepts raw JSONL lines or already-decoded objects. Stops at the first broken link: once
    the chain is broken, everything after it is unproven anyway, and one precise reason is
    more useful than a cascade.
    """
    items = list(lines)
    while items and isinstance(items[-1], str) and not items[-1].strip():
        items.pop()  # the newline that ends the file
    if not items:
        return ["审计日志为空"]
    prev = GENESIS
    last_seq: int | None = None
    for n, raw in enumerate(items, start=1):
        if isinstance(raw, str):
            if not raw.strip():
                return [f"审计日志第{n}行为空行"]
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                return [f"审计日志第{n}行不是有效的JSON（{exc.msg}）"]
            except RecursionError:  # arrays or objects nested thousands deep
                return [f"审计日志第{n}行不是有效的JSON（嵌套过深）"]
        else:
            obj = dict(raw)
        if not isinstance(obj, dict):
            return [f"审计日志第{n}行不是JSON对象"]
        missing = [k for k in ("seq", "ts", "prev", "hash") if k not in obj]
        if missing:
            return [f"审计日志第{n}行缺少字段 {', '.join(missing)}"]
        seq = obj["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            return [f"审计日志第{n}行的 seq 不是整数"]
        if last_seq is not None and seq != last_seq + 1:
            return [f"审计日志第{n}行序号不连续（{last_seq} 之后是 {seq}）"]
        if obj["prev"] != prev:
            return [f"审计日志第{n}行（seq {seq}）的 prev 与上一行的哈希不符：日志被删改或重排"]
        expect = chain_hash(obj)
        if obj["hash"] != expect:
            return [f"审计日志第{n}行（seq {seq}）的哈希不符：该行内容被修改"]
        prev = obj["hash"]
        last_seq = seq
    return []


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
