"""`run` is wired to the UI only by name: importing the handler pulls in no Qt."""
from __future__ import annotations

import subprocess
import sys

from kiosk.cli import build_parser


def test_run_handler_imports_no_qt_until_it_runs():
    code = ("import sys, kiosk.cli.run_app as r; "
            "assert callable(r.cmd_run); "
            "print(any(m.startswith(('PySide6', 'ui')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_arguments_reach_run_app(monkeypatch, tmp_path):
    import ui.app
    from kiosk.cli.run_app import cmd_run

    seen = {}

    def fake_run_app(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(ui.app, "run_app", fake_run_app)
    args = build_parser().parse_args(["run", "--mode", "counter", "--demo", "--state", str(tmp_path), "--windowed"])
    assert cmd_run(args) == 0
    assert seen == {"mode": "counter", "demo": True, "config": None, "state": tmp_path, "windowed": True}
