"""bdc-kiosk entry point: builds the command line, nothing else."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import os

    # everything this process writes (recordings, logs, keys, outbox, the emulator's data) holds
    # personal data or secrets: owner only (0700 directories, 0600 files), whatever the caller's umask
    if os.name == "posix":
        os.umask(0o077)
    from kiosk.cli import run_cli

    return run_cli(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
