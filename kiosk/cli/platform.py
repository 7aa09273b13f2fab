"""`platform-emulator`: the reference platform as a standalone server (demo, integration, bench)."""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from kiosk.logs import setup_logging


def cmd_platform_emulator(args: argparse.Namespace) -> int:
    from kiosk.platform.server import ReferencePlatform

    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    setup_logging(data / "logs", console=True)
    srv = ReferencePlatform(data, host=args.host, port=args.port, certfile=args.cert, keyfile=args.key)
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
