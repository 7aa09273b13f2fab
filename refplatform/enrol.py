"""Device routes: enrolment, credential renewal, heartbeat, remote configuration.

Enrolment codes are issued by an operator for one kiosk id, are single use and expire. An
enrolled kiosk id cannot be taken over: enrolling it again needs either the key it is enrolled
with (the same device re-enrolling) or an operator's explicit revoke first. The reusable demo
code exists only on a platform started with `demo=True` (`--demo`), and it too cannot take over
an enrolled id.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.platform.protocol import (
    Enrolment,
    EnrolRequest,
    HeartbeatAnswer,
    RemoteConfig,
    Renewal,
    format_date,
    utc_now,
)
from refplatform.ca import issue_device_certificate
from refplatform.problems import Problem
from refplatform.service_keys import load_or_create_receipt_key

if TYPE_CHECKING:
    from refplatform.auth import Caller
    from refplatform.server import ReferencePlatform

CONFIG_VERSION = 1
_KIOSK_ID = re.compile(r"[A-Za-z0-9\-]{3,40}")


def _iso(ts: float) -> str:
    return format_date(dt.datetime.fromtimestamp(ts, dt.timezone.utc))


def _spki(cert_or_csr_key: Any) -> bytes:
    return bytes(cert_or_csr_key.public_bytes(serialization.Encoding.DER,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


def _check_code(pf: ReferencePlatform, code: str, kiosk_id: str) -> bool:
    """True when `code` may enrol `kiosk_id`; uses it up (a demo code is never used up)."""
    if pf.demo_enrol_code is not None and code == pf.demo_enrol_code:
        return True
    rows = pf.store.query("SELECT kiosk_id, expires_at, used_at FROM enrol_codes WHERE code=?", (code,))
    if not rows or rows[0][2] is not None:
        raise Problem(403, "bad_enrol_code", "注册码无效或已使用", "unknown or used enrol code")
    if rows[0][0] != kiosk_id:
        raise Problem(403, "bad_enrol_code", "注册码不属于这台终端", f"code issued for another kiosk id, not {kiosk_id}")
    if float(rows[0][1]) < time.time():
        raise Problem(403, "bad_enrol_code", "注册码已过期，请向管理员申请新的注册码", "expired enrol code")
    # single use, also under concurrent requests: only the first UPDATE finds used_at NULL
    if pf.store.execute("UPDATE enrol_codes SET used_at=? WHERE code=? AND used_at IS NULL", (time.time(), code)) != 1:
        raise Problem(403, "bad_enrol_code", "注册码无效或已使用", "used enrol code")
    return True


def enrol(pf: ReferencePlatform, body: EnrolRequest) -> tuple[int, Enrolment]:
    kiosk_id, sm2_hex = body.kiosk_id, body.sm2_public_hex
    if not _KIOSK_ID.fullmatch(kiosk_id):
        raise Problem(400, "bad_request", "终端编号格式不正确", "kiosk_id")
    if sm2_hex and not re.fullmatch(r"[0-9a-fA-F]{128}", sm2_hex):
        raise Problem(400, "bad_request", "SM2公钥格式不正确", "sm2_public_hex")
    try:
        csr = x509.load_pem_x509_csr(body.csr_pem.encode())
    except ValueError as exc:
        raise Problem(400, "bad_csr", "证书请求无效", str(exc)) from None
    existing = pf.store.query("SELECT cert_pem, revoked FROM devices WHERE kiosk_id=?", (kiosk_id,))
    if existing and not existing[0][1]:
        enrolled_key = x509.load_pem_x509_certificate(bytes(existing[0][0])).public_key()
        if _spki(enrolled_key) != _spki(csr.public_key()):
            raise Problem(409, "already_enrolled", "该终端编号已注册，需由管理员先吊销原终端",
                          f"{kiosk_id} is enrolled with another key; an operator must revoke it first")
    _check_code(pf, body.enrol_code, kiosk_id)
    try:
        cert = issue_device_certificate(body.csr_pem.encode(), pf.ca_key, pf.ca_cert, kiosk_id, pf.url)
    except (ValueError, TypeError) as exc:
        raise Problem(400, "bad_csr", "证书请求无效", str(exc)) from None
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    now = format_date(utc_now())
    pf.store.execute("UPDATE credentials SET revoked=1 WHERE kiosk_id=?", (kiosk_id,))
    pf.store.execute(
        "INSERT INTO devices VALUES (?,?,?,?,0) ON CONFLICT(kiosk_id) DO UPDATE SET cert_pem=excluded.cert_pem, "
        "sm2_public_hex=excluded.sm2_public_hex, enrolled_at=excluded.enrolled_at, revoked=0",
        (kiosk_id, cert_pem, sm2_hex.lower(), now))
    pf.store.execute("INSERT INTO device_certs VALUES (?,?,?)",
                     (kiosk_id, cert.public_bytes(serialization.Encoding.DER), now))
    cred, expires = pf.new_credential(kiosk_id)
    pf_pem = pf.platform_certificate_pem().decode()
    # `platform_cert_pem` is what the kiosk checks receipts with: the receipt key's certificate
    _, receipt_cert = load_or_create_receipt_key(pf.data_dir, pf.ca_key, pf.ca_cert)
    return 201, Enrolment(kiosk_id=kiosk_id, credential_id=cred, credential_expires_at=_iso(expires),
                          certificate_pem=cert_pem.decode(), ca_chain_pem=pf_pem,
                          platform_cert_pem=receipt_cert.public_bytes(serialization.Encoding.PEM).decode())


def renew(pf: ReferencePlatform, caller: Caller) -> Renewal:
    """A new credential for a device whose key still signs: no enrolment code needed."""
    # the old credential stays usable for a minute so requests already in flight finish
    pf.store.execute("UPDATE credentials SET expires_at=MIN(expires_at, ?) WHERE credential_id=?",
                     (time.time() + 60, caller.credential_id))
    cred, expires = pf.new_credential(caller.kiosk_id)
    return Renewal(credential_id=cred, credential_expires_at=_iso(expires))


def heartbeat(pf: ReferencePlatform, caller: Caller, body: Any) -> HeartbeatAnswer:
    if not isinstance(body, dict):
        raise Problem(400, "bad_request", "心跳必须是JSON对象")
    pf.store.execute("INSERT INTO heartbeats VALUES (?,?,?)",
                     (caller.kiosk_id, format_date(utc_now()), json.dumps(body, ensure_ascii=False)))
    return HeartbeatAnswer(server_time=format_date(utc_now()), config_version=CONFIG_VERSION)


def remote_config(caller: Caller) -> RemoteConfig:
    return RemoteConfig(version=CONFIG_VERSION, kiosk_id=caller.kiosk_id,
                        settings={"platform": {"heartbeat_s": 60, "part_size_mb": 8},
                                  "session": {"retention_days": 30, "idle_timeout_s": 120}})
