"""bdc-kiosk entry point and composition root.

`run` goes to the UI (`ui.app`), `platform-emulator` to the reference platform
(`refplatform.cli`), every other command to `kiosk.cli`. The demo commands (`simulate`,
`run --demo`) get the embedded reference platform from here, as a factory: nothing below this
module imports `ui` or `refplatform`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def embedded_platform(data_dir: Path) -> Any:
    """The reference platform a demo starts on loopback (demo cases, demo enrolment code)."""
    from refplatform import embedded

    return embedded(data_dir)


def _run(args: argparse.Namespace) -> int:
    import gc

    # start-up makes some 400,000 objects that live as long as the process; the collector
    # walking them again and again while the modules load is a fifth of the time to the
    # kiosk's first paint. `ui.app` turns it back on once the first screen is painted.
    gc.disable()
    from kiosk.errors import UserFacingError

    try:
        from ui.app import run_app
    except ImportError as exc:
        raise UserFacingError("无法启动图形界面：缺少 Qt 组件，请运行安装脚本", detail=repr(exc),
                              code="no_gui") from None
    return int(run_app(mode=str(args.mode), demo=bool(args.demo), config=Path(args.config) if args.config else None,
                       state=Path(args.state) if args.state else None, windowed=bool(getattr(args, "windowed", False)),
                       platform_factory=embedded_platform if args.demo else None))


def _platform_emulator(args: argparse.Namespace) -> int:
    from refplatform.cli import cmd_platform_emulator

    return cmd_platform_emulator(args)


def main(argv: list[str] | None = None) -> int:
    import os

    # everything this process writes (recordings, logs, keys, outbox, the emulator's data) holds
    # personal data or secrets: owner only (0700 directories, 0600 files), whatever the caller's umask
    if os.name == "posix":
        os.umask(0o077)
    from kiosk.cli import run_cli

    return run_cli(sys.argv[1:] if argv is None else argv, handlers={"run": _run, "platform-emulator": _platform_emulator},
                   platform_factory=embedded_platform)


if __name__ == "__main__":
    sys.exit(main())
