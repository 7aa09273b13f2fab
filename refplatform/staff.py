"""Staff sessions: PIN login at a kiosk, tokens stored only as hashes, with expiry and roles.

A failed PIN counts against the staff number and against the device; too many in the window
lock both out (429 `login_locked`). An unknown staff number costs the same PBKDF2 work as a
known one, so the answer's timing does not tell which numbers exist.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.platform.protocol import STAFF_TOKEN_HEADER, StaffLogin, StaffLoginRequest, format_date
from refplatform.problems import Problem

__all__ = ["STAFF_TOKEN_HEADER", "login", "seed_staff", "session_valid_at", "staff_session"]

if TYPE_CHECKING:
    from refplatform.auth import Caller
    from refplatform.server import ReferencePlatform

DEMO_STAFF = (("0001", "246810", "张敏", ["counter"]), ("9001", "135790", "刘工", ["technician", "counter"]))
SESSION_TTL_S = 8 * 3600.0
LOCK_WINDOW_S = 15 * 60.0
MAX_FAILS_PER_STAFF = 5
MAX_FAILS_PER_DEVICE = 20
_PBKDF2_ROUNDS = 100_000
_DUMMY_SALT = secrets.token_bytes(16)
_DUMMY_HASH = hashlib.pbkdf2_hmac("sha256", b"-", _DUMMY_SALT, _PBKDF2_ROUNDS)


def pin_hash(pin: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, _PBKDF2_ROUNDS)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def seed_staff(pf: ReferencePlatform) -> None:
    for staff_no, pin, name, roles in DEMO_STAFF:
        if not pf.store.query("SELECT 1 FROM staff WHERE staff_no=?", (staff_no,)):
            salt = secrets.token_bytes(16)
            pf.store.execute("INSERT INTO staff VALUES (?,?,?,?,?)",
                             (staff_no, name, salt, pin_hash(pin, salt), json.dumps(roles)))


def _failures(pf: ReferencePlatform, subject: str, now: float) -> int:
    return int(pf.store.query("SELECT COUNT(*) FROM login_failures WHERE subject=? AND at>?",
                              (subject, now - LOCK_WINDOW_S))[0][0])


def login(pf: ReferencePlatform, caller: Caller, body: StaffLoginRequest) -> StaffLogin:
    now = time.time()
    staff_subject, device_subject = f"staff:{body.staff_no}", f"device:{caller.kiosk_id}"
    if (_failures(pf, staff_subject, now) >= MAX_FAILS_PER_STAFF
            or _failures(pf, device_subject, now) >= MAX_FAILS_PER_DEVICE):
        raise Problem(429, "login_locked", "密码错误次数过多，请稍后再试或联系管理员",
                      f"locked for {int(LOCK_WINDOW_S)} s after repeated failures")
    rows = pf.store.query("SELECT name, salt, pin_hash, roles FROM staff WHERE staff_no=?", (body.staff_no,))
    salt, expected = (bytes(rows[0][1]), bytes(rows[0][2])) if rows else (_DUMMY_SALT, _DUMMY_HASH)
    ok = secrets.compare_digest(pin_hash(body.pin, salt), expected) and bool(rows)
    if not ok:
        for subject in (staff_subject, device_subject):
            pf.store.execute("INSERT INTO login_failures VALUES (?,?)", (subject, now))
        raise Problem(401, "staff_login_failed", "工号或密码不正确")
    pf.store.execute("DELETE FROM login_failures WHERE subject=?", (staff_subject,))
    token, session_id = secrets.token_urlsafe(32), "SS-" + secrets.token_hex(8)
    roles = json.loads(rows[0][3])
    pf.store.execute("INSERT INTO staff_sessions VALUES (?,?,?,?,?,?,?)",
                     (session_id, token_sha256(token), body.staff_no, caller.kiosk_id, json.dumps(roles), now,
                      now + SESSION_TTL_S))
    return StaffLogin(staff_no=body.staff_no, name=str(rows[0][0]), roles=roles, token=token, session_id=session_id,
                      expires_at=format_date(dt.datetime.fromtimestamp(now + SESSION_TTL_S, dt.timezone.utc)))


@dataclass(frozen=True)
class StaffSession:
    session_id: str
    staff_no: str
    roles: list[str]
    created_at: float
    expires_at: float


def staff_session(pf: ReferencePlatform, caller: Caller, token: str) -> StaffSession | None:
    """The live staff session of `token` at this device, else None."""
    if not token:
        return None
    rows = pf.store.query("SELECT session_id, staff_no, roles, created_at, expires_at, kiosk_id FROM staff_sessions "
                          "WHERE token_sha256=?", (token_sha256(token),))
    if not rows or rows[0][5] != caller.kiosk_id or float(rows[0][4]) < time.time():
        return None
    r = rows[0]
    return StaffSession(str(r[0]), str(r[1]), json.loads(r[2]), float(r[3]), float(r[4]))


def session_valid_at(pf: ReferencePlatform, session_id: str, kiosk_id: str, at: float) -> bool:
    rows = pf.store.query("SELECT created_at, expires_at, kiosk_id FROM staff_sessions WHERE session_id=?",
                          (session_id,))
    return bool(rows) and rows[0][2] == kiosk_id and float(rows[0][0]) <= at <= float(rows[0][1])
