"""The platform's state: SQLite behind one lock, and private files.

The data directory is 0700 and every file the platform writes in it is 0600: it holds the
platform key, personal data of the cases and the evidence packages.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from kiosk.files import write_private as write_private  # the platform's files are written the kiosk's way

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices(kiosk_id TEXT PRIMARY KEY, cert_pem BLOB NOT NULL, sm2_public_hex TEXT,
    enrolled_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS credentials(credential_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,
    expires_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS enrol_codes(code TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, expires_at REAL NOT NULL,
    used_at REAL);
CREATE TABLE IF NOT EXISTS nonces(nonce TEXT PRIMARY KEY, seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS uploads(package_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, case_no TEXT NOT NULL,
    files_json TEXT NOT NULL, total_size INTEGER NOT NULL, part_size INTEGER NOT NULL,
    state TEXT NOT NULL, receipt_json TEXT, created_at TEXT NOT NULL, problem TEXT);
CREATE TABLE IF NOT EXISTS parts(package_id TEXT NOT NULL, n INTEGER NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, PRIMARY KEY(package_id, n));
CREATE TABLE IF NOT EXISTS part_log(package_id TEXT NOT NULL, n INTEGER NOT NULL, size INTEGER NOT NULL,
    outcome TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS device_certs(kiosk_id TEXT NOT NULL, cert_der BLOB NOT NULL, issued_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats(kiosk_id TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS staff(staff_no TEXT PRIMARY KEY, name TEXT NOT NULL, salt BLOB NOT NULL,
    pin_hash BLOB NOT NULL, roles TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS staff_sessions(session_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE,
    staff_no TEXT NOT NULL, kiosk_id TEXT NOT NULL, roles TEXT NOT NULL, created_at REAL NOT NULL,
    expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures(subject TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS lookups(kiosk_id TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS releases(kiosk_id TEXT NOT NULL, case_no TEXT NOT NULL, what TEXT NOT NULL,
    basis TEXT NOT NULL, at TEXT NOT NULL);
"""


def private_dir(path: Path) -> Path:
    """`path` and every directory created on the way to it, 0700."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for p in {path, *missing}:
        os.chmod(p, 0o700)
    return path




def open_private(path: Path) -> Any:
    """A new file opened for writing, 0600."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


class Store:
    """SQLite behind one lock: devices, credentials, enrolment codes, uploads, parts, staff."""

    def __init__(self, path: Path) -> None:
        self.lock = threading.Lock()
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        for suffix in ("", "-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.chmod(side, 0o600)

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            return list(self.db.execute(sql, args).fetchall())

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.lock:
            return self.db.execute(sql, args).rowcount

    def close(self) -> None:
        with self.lock:
            self.db.close()
