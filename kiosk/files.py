"""Files that hold secrets or personal data are written one way: owner-only (0600), fsynced, and
replaced atomically, so a reader — or the next start after a power cut — sees the old or the new
file, never half of one. On the ground floor: imports nothing of the project."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (0600) atomically; the parent directory is created if missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a unique temporary name: two writers of the same file never share (and truncate) one
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
