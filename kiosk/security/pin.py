"""The technician PIN: scrypt-hashed, locked for five minutes after five wrong tries.

The PIN guards the technician console, which can change thresholds, enrol the kiosk and export
logs, so a passer-by at a self-service kiosk must not be able to guess it by trying: after
`max_failures` wrong entries the store refuses every attempt (even the right PIN) until the
lockout ends. Failures and the lockout are persisted with the hash in `<state>/keys/pin.json`
(mode 0600), so restarting the app does not reset the count. The wall clock is used for the
lockout because it must survive a restart; it is injected so tests do not sleep.

Every check-and-count runs under an exclusive file lock (`pin.json.lock`) and every update
replaces the file atomically, so guesses made at once — threads, or the app and a second
process — are counted one after another and no more than `max_failures` are ever evaluated.
Setting the PIN the first time also writes `pin.enrolled`; from then on a missing, emptied or
corrupt `pin.json` locks the console (`PinStoreLost`, pointing to the recovery procedure in
docs/operations.md) instead of offering a first-time set-up to whoever deleted the file.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.files import write_private
from kiosk.texts import QT_TRANSLATE_NOOP, fmt

MAX_FAILURES = 5
LOCKOUT_S = 300.0
MIN_LEN, MAX_LEN = 6, 12
DEMO_PIN = "246810"

# scrypt cost: 16 MiB and ~50 ms per check on a kiosk CPU, cheap for one person, dear for a guesser
_N, _R, _P = 2**14, 8, 1


class PinLocked(UserFacingError):
    def __init__(self, seconds: float) -> None:
        minutes = max(1, int(seconds + 59) // 60)
        super().__init__(fmt(QT_TRANSLATE_NOOP("kiosk", "密码错误次数过多，已锁定，请 {minutes} 分钟后再试"), minutes=minutes),
                         detail=f"pin locked for {seconds:.0f} s", code="pin_locked")
        self.seconds = seconds


class PinStoreLost(UserFacingError):
    def __init__(self, detail: str) -> None:
        super().__init__(QT_TRANSLATE_NOOP("kiosk", "技术员密码文件丢失或已损坏，控制台已锁定。请按《运维方案》6.2“技术员密码恢复”处理"),
                         detail=detail, code="pin_store_lost")


class PinFormatError(UserFacingError):
    def __init__(self) -> None:
        super().__init__(fmt(QT_TRANSLATE_NOOP("kiosk", "密码须为 {low} 到 {high} 位数字"), low=MIN_LEN, high=MAX_LEN),
                         code="pin_format")


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


class PinStore:
    """The technician PIN of one kiosk, persisted as JSON next to the device keys."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time,
                 max_failures: int = MAX_FAILURES, lockout_s: float = LOCKOUT_S,
                 audit: Callable[..., Any] | None = None) -> None:
        self.path = Path(path)
        self._audit = audit or (lambda kind, **fields: None)  # device audit: logins, failures, lockouts
        self._clock = clock
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.marker = self.path.with_name("pin.enrolled")
        self._thread_lock = threading.Lock()  # flock is per open file; this keeps one process orderly too
        with contextlib.suppress(UserFacingError, OSError):  # set up by a version without the marker
            if not self.marker.exists() and "hash" in self._load_raw():
                self._write_marker()

    @classmethod
    def for_state(cls, keys_dir: Path, **kwargs: Any) -> PinStore:
        return cls(Path(keys_dir) / "pin.json", **kwargs)

    # ------------------------------------------------------------ queries
    def is_set(self) -> bool:
        """True once a PIN was ever set up here (even if its file is lost: then `verify` refuses)."""
        if self.marker.exists():
            return True
        return "hash" in self._load_raw()  # a corrupt file raises: it is no invitation to set a new PIN

    def failures(self) -> int:
        return int(self._load().get("failures", 0))

    def locked_for(self) -> float:
        """Seconds of lockout left (0 when not locked)."""
        return max(0.0, float(self._load().get("locked_until", 0.0)) - self._clock())

    # ------------------------------------------------------------ changes
    def set_pin(self, pin: str) -> None:
        """Set (or replace) the PIN; clears failures and any lockout."""
        if not (pin.isdigit() and pin.isascii() and MIN_LEN <= len(pin) <= MAX_LEN):
            raise PinFormatError()
        salt = secrets.token_bytes(16)
        record = {"version": 1, "algo": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(),
                  "hash": _hash(pin, salt, _N, _R, _P).hex(), "failures": 0, "locked_until": 0.0}
        with self._exclusive():
            self._save(record)
            self._write_marker()
        self._audit("technician_pin_set")

    def verify(self, pin: str) -> bool:
        """True for the right PIN. Raises `PinLocked` while locked, whatever was typed."""
        with self._exclusive():
            return self._verify_locked(pin)

    def _verify_locked(self, pin: str) -> bool:
        data = self._load()
        if "hash" not in data:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "尚未设置技术员密码，请先设置"), code="pin_not_set")
        left = float(data.get("locked_until", 0.0)) - self._clock()
        if left > 0:
            raise PinLocked(left)
        digest = _hash(pin, bytes.fromhex(data["salt"]), int(data["n"]), int(data["r"]), int(data["p"]))
        if hmac.compare_digest(digest, bytes.fromhex(data["hash"])):
            if data.get("failures") or data.get("locked_until"):
                data["failures"], data["locked_until"] = 0, 0.0
                self._save(data)
            self._audit("technician_login")
            return True
        failures = int(data.get("failures", 0)) + 1
        if failures >= self.max_failures:
            data["failures"], data["locked_until"] = 0, self._clock() + self.lockout_s
            self._save(data)
            self._audit("technician_locked_out", lockout_s=self.lockout_s)
            raise PinLocked(self.lockout_s)
        data["failures"] = failures
        self._save(data)
        self._audit("technician_pin_failed", failures=failures)
        return False

    # ------------------------------------------------------------ storage
    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """The PIN file's lock, across threads and processes (flock; msvcrt on Windows)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock:
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                try:
                    import fcntl
                except ImportError:  # Windows
                    import msvcrt

                    while True:
                        try:
                            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                            break
                        except OSError:  # LK_LOCK gives up after 10 s; a PIN check takes 50 ms
                            continue
                else:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the lock

    def _load_raw(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise UserFacingError(QT_TRANSLATE_NOOP("kiosk", "技术员密码文件已损坏，请联系技术支持重新设置"),
                                  detail=f"{self.path}: {exc}", code="pin_corrupt") from None
        return data if isinstance(data, dict) else {}

    def _load(self) -> dict[str, Any]:
        """The record; once set up, anything but a whole record is `PinStoreLost`."""
        try:
            data = self._load_raw()
        except UserFacingError as exc:
            if self.marker.exists():
                raise PinStoreLost(exc.detail) from None
            raise
        if self.marker.exists() and not all(k in data for k in ("hash", "salt", "n", "r", "p")):
            raise PinStoreLost(f"{self.path}: missing or incomplete after set-up")
        return data

    def _write_marker(self) -> None:
        self._save({"set_up_at": self._clock()}, self.marker)

    def _save(self, data: dict[str, Any], path: Path | None = None) -> None:
        path = path or self.path
        write_private(path, json.dumps(data).encode("utf-8"))
