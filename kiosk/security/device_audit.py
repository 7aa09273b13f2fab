"""The device's own audit log: who changed what on this kiosk, hash-chained like a session's.

Technician logins and lockouts, configuration changes (which keys, old and new values —
settings hold no personal data), enrolment, outbox interventions. Kept at
`<state>/logs/device-audit.jsonl`, append-only and fsynced; `check_device_audit` re-checks
the chain (`doctor` reports it).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.audit import AuditLog, check_chain
from kiosk.config import Settings, StatePaths

FILE_NAME = "device-audit.jsonl"


def device_audit(paths: StatePaths, kiosk_id: str = "") -> AuditLog:
    return AuditLog(paths.logs / FILE_NAME, context={"scope": "device", "kiosk_id": kiosk_id})


def settings_changes(old: Settings, new: Settings) -> list[dict[str, Any]]:
    """Every setting whose value differs, as {key, old, new}."""
    changes: list[dict[str, Any]] = []

    def walk(a: Any, b: Any, prefix: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                walk(a.get(k), b.get(k), f"{prefix}{k}.")
        elif a != b:
            changes.append({"key": prefix.rstrip("."), "old": a, "new": b})

    walk(old.model_dump(mode="json"), new.model_dump(mode="json"), "")
    return changes


def record_settings_change(paths: StatePaths, old: Settings, new: Settings, *, by: str) -> dict[str, Any] | None:
    changes = settings_changes(old, new)
    if not changes:
        return None
    return device_audit(paths, new.kiosk_id).append("config_changed", by=by, changes=changes)


def check_device_audit(path: Path) -> list[str]:
    """Problems with the device audit chain (an absent log is fine: nothing happened yet)."""
    if not path.exists():
        return []
    return check_chain(path.read_text(encoding="utf-8").splitlines())
