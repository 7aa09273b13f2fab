"""The audit hash chain sits on the ground floor: flow, evidence and the device audit use it,
it uses nothing of theirs (an upward import would make the chain depend on what it records)."""
from __future__ import annotations

import ast
from pathlib import Path

import kiosk.audit


def test_the_audit_chain_imports_nothing_of_kiosk() -> None:
    tree = ast.parse(Path(kiosk.audit.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert imported, "the parser found no imports at all"
    assert not [m for m in imported if m == "kiosk" or m.startswith(("kiosk.", "devices", "ui"))], imported
