"""Case lookup, documents and reference photos: personal data, released only with presence.

A kiosk gets a case, its documents and photos only within a session that proves someone is
there: a logged-in staff session of this device (`X-BDC-Staff-Token`, the counter), or the ID
card of a party of that case read on the device (`X-BDC-Presence`, a keyed hash of the ID
number, `kiosk.platform.protocol.presence_proof`). Lookups are rate-limited per device, and every
release is logged (`releases`).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.model import case_no_from_qr
from kiosk.platform.protocol import PRESENCE_HEADER, format_date, presence_proof, utc_now
from refplatform.demo_seed import for_counter
from refplatform.problems import Problem
from refplatform.staff import STAFF_TOKEN_HEADER, staff_session

if TYPE_CHECKING:
    from refplatform.auth import Caller
    from refplatform.server import ReferencePlatform

LOOKUP_WINDOW_S = 60.0
_NAME = re.compile(r"[A-Za-z0-9_\-]+")


def _case(pf: ReferencePlatform, case_no: str) -> dict[str, Any]:
    case = pf.cases.get(case_no)
    if case is None:
        raise Problem(404, "case_not_found", "没有找到这个受理号的案件，请核对受理号或咨询窗口", case_no)
    return case


def _id_numbers(case: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for p in case.get("parties", []):
        idn = p.get("id_number") or (p.get("agent") or {}).get("id_number")
        if idn:
            out.append((str(p["party_id"]), str(idn)))
    return out


def _basis(pf: ReferencePlatform, caller: Caller, case: dict[str, Any], headers: Mapping[str, str]) -> str:
    """Why this release is allowed ("staff:<session>" or "card:<party>"), else a refusal."""
    session = staff_session(pf, caller, headers.get(STAFF_TOKEN_HEADER, ""))
    if session is not None:
        return f"staff:{session.session_id}"
    if headers.get(STAFF_TOKEN_HEADER):
        raise Problem(401, "staff_session_invalid", "工作人员登录已失效，请重新登录", "unknown or expired staff token")
    proof = headers.get(PRESENCE_HEADER, "")
    if proof:
        for party_id, idn in _id_numbers(case):
            if hmac.compare_digest(proof, presence_proof(caller.credential_id, case["case_no"], idn)):
                return f"card:{party_id}"
        raise Problem(403, "presence_mismatch", "所读身份证不是本案件的当事人，请核对受理号",
                      "presence proof matches no party of the case")
    if not pf.require_presence:
        return "none"
    raise Problem(403, "presence_required", "请先将身份证放在读卡区", "case data needs a staff session or a party's ID card")


def release(pf: ReferencePlatform, caller: Caller, case_no: str, what: str, headers: Mapping[str, str]) -> dict[str, Any]:
    now = time.time()
    recent = int(pf.store.query("SELECT COUNT(*) FROM lookups WHERE kiosk_id=? AND at>?",
                                (caller.kiosk_id, now - LOOKUP_WINDOW_S))[0][0])
    if recent >= pf.lookups_per_minute:
        raise Problem(429, "rate_limited", "查询过于频繁，请稍后再试", f"{recent} lookups in {int(LOOKUP_WINDOW_S)} s")
    pf.store.execute("INSERT INTO lookups VALUES (?,?)", (caller.kiosk_id, now))
    case = _case(pf, case_no)
    basis = _basis(pf, caller, case, headers)
    pf.store.execute("INSERT INTO releases VALUES (?,?,?,?,?)",
                     (caller.kiosk_id, case_no, what, basis, format_date(utc_now())))
    return for_counter(case) if basis.startswith("staff:") else case


def case_by_no(pf: ReferencePlatform, caller: Caller, case_no: str, headers: Mapping[str, str]) -> dict[str, Any]:
    return release(pf, caller, case_no, "case", headers)


def case_by_qr(pf: ReferencePlatform, caller: Caller, payload: str, headers: Mapping[str, str]) -> dict[str, Any]:
    payload = payload.strip()
    return release(pf, caller, case_no_from_qr(payload) or payload, "case", headers)


def _file(pf: ReferencePlatform, case_no: str, name: str, suffix: str, code: str, title: str) -> Path:
    path = pf.data_dir / "demo" / f"{case_no}-{name}{suffix}"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise Problem(404, code, title, f"{case_no}/{name}")
    return path


def document(pf: ReferencePlatform, caller: Caller, case_no: str, doc_id: str,
             headers: Mapping[str, str]) -> tuple[bytes, str, dict[str, str]]:
    release(pf, caller, case_no, f"document:{doc_id}", headers)
    data = _file(pf, case_no, doc_id, ".pdf", "document_not_found", "文书不存在").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    return data, "application/pdf", {"X-Content-SHA256": sha, "ETag": f'"{sha}"'}


def photo(pf: ReferencePlatform, caller: Caller, case_no: str, party_id: str,
          headers: Mapping[str, str]) -> tuple[bytes, str, dict[str, str]]:
    release(pf, caller, case_no, f"photo:{party_id}", headers)
    data = _file(pf, case_no, party_id, ".photo", "photo_not_found", "照片不存在").read_bytes()
    ctype = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return data, ctype, {"X-Content-SHA256": hashlib.sha256(data).hexdigest()}
