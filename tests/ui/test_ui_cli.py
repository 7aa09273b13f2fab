"""`run` is wired to the UI by the composition root (`main.py`): the command line itself pulls in
no Qt, and `run --demo` hands the UI the factory of the embedded reference platform."""
from __future__ import annotations

import subprocess
import sys


def test_command_line_imports_no_qt_until_run_runs():
    code = ("import sys, main, kiosk.cli as c; "
            "assert callable(main.main) and callable(c.run_cli); "
            "print(any(m.startswith(('PySide6', 'ui', 'refplatform')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_arguments_reach_run_app(monkeypatch, tmp_path):
    import main
    import ui.app

    seen = {}

    def fake_run_app(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(ui.app, "run_app", fake_run_app)
    assert main.main(["run", "--mode", "counter", "--demo", "--state", str(tmp_path), "--windowed"]) == 0
    assert seen.pop("platform_factory") is main.embedded_platform
    assert seen == {"mode": "counter", "demo": True, "config": None, "state": tmp_path, "windowed": True}
    assert main.main(["run", "--mode", "kiosk", "--state", str(tmp_path)]) == 0
    assert seen["platform_factory"] is None  # without --demo nothing embeds a platform
