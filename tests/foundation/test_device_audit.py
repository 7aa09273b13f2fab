from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.config import load_config, parse_settings
from kiosk.security.device_audit import FILE_NAME, check_device_audit, device_audit, record_settings_change
from kiosk.security.pin import PinLocked, PinStore


def test_technician_actions_are_chained_and_tampering_shows(tmp_path: Path) -> None:
    settings, paths = load_config(tmp_path)
    audit = device_audit(paths, settings.kiosk_id)
    store = PinStore.for_state(paths.keys, audit=lambda kind, **f: audit.append(kind, **f), max_failures=2)
    store.set_pin("135790")
    assert store.verify("135790")
    assert store.verify("000000") is False
    with pytest.raises(PinLocked):
        store.verify("000001")
    new = parse_settings({**settings.model_dump(mode="json"), "identity": {"match_threshold": 0.45}})
    record_settings_change(paths, settings, new, by="technician")
    log = paths.logs / FILE_NAME
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [e["kind"] for e in events] == ["technician_pin_set", "technician_login", "technician_pin_failed",
                                           "technician_locked_out", "config_changed"]
    assert events[-1]["changes"] == [{"key": "identity.match_threshold", "old": 0.436, "new": 0.45}]
    assert "135790" not in log.read_text(encoding="utf-8")
    assert check_device_audit(log) == []
    lines = log.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[-1])
    edited["changes"][0]["new"] = 0.2
    lines[-1] = json.dumps(edited, ensure_ascii=False, sort_keys=True)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check_device_audit(log)
