"""The shell scripts a technician runs on the kiosk parse, and shellcheck finds no warning.

bdc-kiosk-setup-kiosk changes accounts and the display manager, so it is not executed here;
this is the check it gets besides review (docs/deployment.md §5 describes its effect).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
SH_SCRIPTS = ["linux/bdc-kiosk-session", "linux/bdc-kiosk-setup-kiosk", "linux/bdc-kiosk-install-model",
              "linux/bdc-kiosk-launcher", "linux/postinst", "linux/postrm"]
BASH_SCRIPTS = ["build-deb.sh", "build-bundle.sh", "smoke-bundle.sh"]


@pytest.mark.parametrize("script", SH_SCRIPTS + BASH_SCRIPTS)
def test_script_parses(script: str) -> None:
    path = INSTALLER / script
    shell = "bash" if script in BASH_SCRIPTS else "sh"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first in {"#!/bin/sh", "#!/usr/bin/env bash"}, first
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    res = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shellcheck_finds_no_warning() -> None:
    res = subprocess.run(["shellcheck", "-S", "warning", *(str(INSTALLER / s) for s in SH_SCRIPTS + BASH_SCRIPTS)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout
