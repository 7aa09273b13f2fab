"""A software TPM (swtpm) on a loopback socket for the key-sealing tests."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port_pair() -> int:
    """A free port whose successor is free too: the swtpm TCTI finds the control channel at port+1."""
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = int(a.getsockname()[1])
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise AssertionError("no two adjacent free ports for swtpm")


@contextmanager
def software_tpm(state_dir: Path) -> Iterator[str]:
    """Start a fresh swtpm (its own seeds in `state_dir`); yields the tpm2-tools TCTI string."""
    missing = [t for t in ("swtpm", "tpm2_createprimary", "tpm2_unseal") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"software TPM not installed ({', '.join(missing)} missing: apt-get install swtpm tpm2-tools)")
    state_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port_pair()
    ctrl = port + 1
    proc = subprocess.Popen(["swtpm", "socket", "--tpm2", "--tpmstate", f"dir={state_dir}",
                             "--server", f"type=tcp,port={port},bindaddr=127.0.0.1",
                             "--ctrl", f"type=tcp,port={ctrl},bindaddr=127.0.0.1",
                             "--flags", "not-need-init,startup-clear"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise AssertionError(f"swtpm did not start: {err[-500:]}")
            time.sleep(0.05)
        yield f"swtpm:host=127.0.0.1,port={port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
