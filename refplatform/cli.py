"""`platform-emulator`: the reference platform as a standalone server (demo, integration, bench).

`--demo` accepts the demo enrolment code; without it a kiosk enrols only with a one-time code
issued for its id (`--issue-code KIOSK_ID` prints one and exits).
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from kiosk.logs import setup_logging
from refplatform.server import ReferencePlatform


def cmd_platform_emulator(args: argparse.Namespace) -> int:
    data = Path(args.data)
    srv = ReferencePlatform(data, host=args.host, port=args.port, certfile=args.cert, keyfile=args.key,
                            demo=bool(getattr(args, "demo", False)),
                            require_presence=bool(getattr(args, "require_presence", False)),
                            require_staff_sessions=bool(getattr(args, "require_staff_sessions", False)))
    if getattr(args, "issue_code", None):
        print(srv.issue_enrol_code(args.issue_code), flush=True)
        srv.close()
        return 0
    setup_logging(data / "logs", console=True)
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    url = srv.start()
    print(url, flush=True)
    print(f"reference platform serving {url} (data: {data.resolve()}); Ctrl+C to stop", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        srv.close()
    return 0
