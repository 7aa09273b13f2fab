"""`complete`: assemble the upload, verify the package, store it and sign the receipt.

A second `complete` of a receipted package returns the same receipt. A package that does not
verify is answered with a 422 problem naming the first problem; it is kept under
`DATA/rejected/<package_id>/` for inspection and never receipted (a repeated `complete` answers
the same problem).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.platform.protocol import Receipt, format_date, utc_now
from refplatform import staff
from refplatform.longterm import extend_package
from refplatform.problems import Problem
from refplatform.service_keys import load_or_create_receipt_key
from refplatform.store import private_dir
from refplatform.uploads import Upload, assemble, drop_tree, upload_of

if TYPE_CHECKING:
    from refplatform.auth import Caller
    from refplatform.server import ReferencePlatform

log = logging.getLogger(__name__)


def _issued_cert_of(pf: ReferencePlatform, pkg: Path, kiosk_id: str) -> bytes | None:
    """The certificate the package was signed with, when this platform issued it to this kiosk
    (an earlier enrolment): packages queued before a re-enrolment stay acceptable."""
    try:
        sigs = json.loads((pkg / "manifest.sig.json").read_bytes().decode("utf-8"))
        cert = x509.load_pem_x509_certificate(str(sigs["device"]["cert_pem"]).encode("ascii"))
    except (OSError, ValueError, KeyError, TypeError, UnicodeError):
        return None
    der = cert.public_bytes(serialization.Encoding.DER)
    rows = pf.store.query("SELECT 1 FROM device_certs WHERE kiosk_id=? AND cert_der=?", (kiosk_id, der))
    return cert.public_bytes(serialization.Encoding.PEM) if rows else None


def _case_problems(manifest: dict[str, Any], case: dict[str, Any]) -> list[str]:
    """The parties and documents of the package must be those of the case the platform holds."""
    problems: list[str] = []
    want = {str(p.get("party_id")) for p in case.get("parties", [])}
    got = {str(p.get("party_id")) for p in manifest.get("parties", []) if isinstance(p, dict)}
    if got != want:
        problems.append(f"证据包的当事人 {sorted(got)} 与案件的当事人 {sorted(want)} 不符")
    docs = {str(d.get("doc_id")): d for d in manifest.get("documents", []) if isinstance(d, dict)}
    for d in case.get("documents", []):
        entry = docs.pop(str(d["doc_id"]), None)
        if entry is None:
            problems.append(f"证据包缺少案件文书 {d['doc_id']}")
        elif entry.get("original_sha256") != d.get("sha256"):
            problems.append(f"文书 {d['doc_id']} 不是本案件下发的原件（原件摘要不符）")
        elif manifest.get("status") == "completed" and not entry.get("signed"):
            problems.append(f"文书 {d['doc_id']} 未签署，证据包却标为已完成")
    problems += [f"文书 {doc_id} 不属于本案件" for doc_id in sorted(docs)]
    return problems


def _manual_problems(pf: ReferencePlatform, pkg: Path, kiosk_id: str) -> list[str]:
    """Every manual decision in the audit chain must name a staff session (`staff_session`) that
    was valid at this kiosk when the decision was made (`ts`). Decisions without one are refused
    only where staff sessions are required (`require_staff_sessions`)."""
    problems: list[str] = []
    for line in (pkg / "audit.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line) if line.strip() else {}
        if not (isinstance(e, dict) and e.get("kind") == "step_result" and e.get("manual")):
            continue
        what = f"人工判定（{e.get('party_id', '')} {e.get('step', '')}，{e.get('ts', '')}）"
        sid = e.get("staff_session")
        if not sid:
            if pf.require_staff_sessions:
                problems.append(f"{what}没有工作人员会话")
            continue
        try:
            at = dt.datetime.fromisoformat(str(e.get("ts", ""))).timestamp()
        except ValueError:
            problems.append(f"{what}的时间无效")
            continue
        if not staff.session_valid_at(pf, str(sid), kiosk_id, at):
            problems.append(f"{what}的工作人员会话 {sid} 当时在本终端无效")
    return problems


def check_package(pf: ReferencePlatform, pkg: Path, up: Upload) -> list[str]:
    """The problems of an assembled package, most fundamental first: what `verify` checks (both
    manifest signatures by this device, every PDF's PAdES signature by the certificate this
    platform issued to it, pen attachments, the original as prefix, content digest, audit
    chain), the same case number in the create request, the manifest and the platform's case,
    and the parties and documents of that case."""
    from kiosk.evidence.manifest import check_manifest
    from kiosk.evidence.verify import verify_package

    try:
        manifest = json.loads((pkg / "manifest.json").read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ["manifest.json 不是有效的JSON"]
    if not isinstance(manifest, dict) or manifest.get("package_id") != up.package_id:
        return ["manifest.json 中的证据包编号与上传编号不一致"]
    if manifest.get("case_no") != up.case_no:
        return [f"manifest.json 中的受理号 {manifest.get('case_no')!r} 与上传声明的 {up.case_no!r} 不一致"]
    if manifest.get("kiosk_id") not in (None, up.kiosk_id):
        return [f"manifest.json 中的终端编号 {manifest.get('kiosk_id')!r} 不是上传的终端"]
    case = pf.cases.get(up.case_no)
    if pf.cases and case is None:
        return [f"受理号 {up.case_no} 不是本平台的案件"]
    device = pf.device(up.kiosk_id)
    assert device is not None
    trusted = _issued_cert_of(pf, pkg, up.kiosk_id) or device.cert_pem
    problems = check_manifest(pkg, trusted, trusted_sm2_public_hex=device.sm2_public_hex or None)
    if problems:
        return problems
    problems = verify_package(pkg, trusted)
    if problems:
        return problems
    problems = _case_problems(manifest, case) if case is not None else []
    return problems or _manual_problems(pf, pkg, up.kiosk_id)


def _reject(pf: ReferencePlatform, up: Upload, staging: Path, problems: list[str]) -> Problem:
    kept = pf.data_dir / "rejected" / up.package_id
    drop_tree(kept)
    private_dir(kept.parent)
    os.replace(staging, kept)
    pf.store.execute("UPDATE uploads SET state='rejected', problem=? WHERE package_id=?",
                     (json.dumps(problems, ensure_ascii=False), up.package_id))
    log.info("package %s rejected: %s", up.package_id, problems[0])
    return _rejected(problems)


def _rejected(problems: list[str]) -> Problem:
    return Problem(422, "package_invalid", "证据包校验未通过", problems[0][:2000], problems=problems)


def complete(pf: ReferencePlatform, caller: Caller, package_id: str) -> dict[str, Any]:
    with pf.complete_lock(package_id):
        up = upload_of(pf, package_id, caller.kiosk_id)
        if up.state == "complete" and up.receipt:
            return up.receipt
        if up.state == "rejected":
            raise _rejected(json.loads(up.problem))
        have = {int(r[0]) for r in pf.store.query("SELECT n FROM parts WHERE package_id=?", (package_id,))}
        missing = sorted(set(range(up.parts_total)) - have)
        if missing:
            raise Problem(409, "incomplete", "证据包尚未传完", f"missing parts {missing[:20]}", missing=missing)
        updir = pf.data_dir / "uploads" / package_id
        staging = pf.data_dir / "packages" / f".staging-{package_id}"
        drop_tree(staging)
        problems = assemble(updir, up.parts_total, up.files, staging)
        if problems:
            drop_tree(staging)
            # the stream is wrong as a whole: drop the parts so the kiosk sends them again
            pf.store.execute("DELETE FROM parts WHERE package_id=?", (package_id,))
            raise Problem(422, "package_invalid", "证据包校验未通过", "; ".join(problems)[:2000], problems=problems)
        problems = check_package(pf, staging, up)
        if problems:
            raise _reject(pf, up, staging, problems)
        manifest_sha = hashlib.sha256((staging / "manifest.json").read_bytes()).hexdigest()
        final = pf.data_dir / "packages" / package_id
        drop_tree(final)
        os.replace(staging, final)
        log.info("package %s long-term copies: %s", package_id, extend_package(pf, final))
        receipt_key, receipt_cert = load_or_create_receipt_key(pf.data_dir, pf.ca_key, pf.ca_cert)
        rec = Receipt(package_id=package_id, case_no=up.case_no, kiosk_id=up.kiosk_id,
                      received_at=format_date(utc_now()), manifest_sha256=manifest_sha, total_size=up.total_size,
                      files=len(up.files), receipt_id="RC-" + secrets.token_hex(8),
                      signer_cert_pem=receipt_cert.public_bytes(serialization.Encoding.PEM).decode("ascii"))
        if pf.receipt_tamper is not None:
            rec = Receipt.from_json({**pf.receipt_tamper(rec.to_json()), "signature_b64": ""})
        rec = rec.sign(receipt_key)  # the receipt key, never the CA's (refplatform/service_keys.py)
        pf.store.execute("UPDATE uploads SET state='complete', receipt_json=? WHERE package_id=?",
                         (json.dumps(rec.to_json(), ensure_ascii=False), package_id))
        drop_tree(updir)
        log.info("package %s stored (%d bytes, %d files)", package_id, up.total_size, len(up.files))
        return rec.to_json()
