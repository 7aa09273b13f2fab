"""Verifying a whole evidence package, as `python main.py verify` and the platform do.

Order matters for the one-line answer: the manifest (file hashes in both algorithms, both
signatures) comes first because everything else is only meaningful if the files are the ones
that were signed; then every PDF's PAdES signature — valid, covering the whole file, made by
the same device certificate as the manifest, its attached pen data identical to the package's
pen files, the platform's original still the untouched prefix — then the content digest the
report's QR code carries, then the audit chain, and last that the package holds what the audit
says was captured (a party's passed signing has its signatures stamped, a passed identity check
its result, a passed statement or Q&A its transcript, and as many manual decisions as the audit
records) — an aborted package rebuilt after a crash must not silently drop evidence.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.evidence.audit import check_chain
from kiosk.evidence.manifest import RECEIPT, SIGNATURES, check_manifest, load_manifest, safe_relpath
from kiosk.evidence.package import REPORT, content_digest
from kiosk.signing.pdf import original_prefix_matches

log = logging.getLogger(__name__)


def _device_cert(package_dir: Path) -> x509.Certificate | None:
    try:
        sigs = json.loads((package_dir / SIGNATURES).read_text(encoding="utf-8"))
        return x509.load_pem_x509_certificate(sigs["device"]["cert_pem"].encode("ascii"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def pdf_attachments(data: bytes) -> dict[str, bytes]:
    """Embedded files of a PDF by name (the first one where a name repeats)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    return {name: blobs[0] for name, blobs in reader.attachments.items() if blobs}


def check_pdf_signature(data: bytes, device_cert: x509.Certificate | None) -> list[str]:
    """Problems with the last PAdES signature of a PDF (validity, coverage, signer)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - any parse failure is "unreadable" to the verifier
        return [f"无法解析（{type(exc).__name__}）"]
    if not sigs:
        return ["没有电子签名"]
    sig = sigs[-1]
    roots = []
    if device_cert is not None:
        roots.append(asn1_x509.Certificate.load(device_cert.public_bytes(serialization.Encoding.DER)))
    vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, vc)
    except Exception as exc:  # noqa: BLE001 - a malformed signature dictionary must not crash verify
        return [f"电子签名无法校验（{type(exc).__name__}: {exc}）"]
    problems: list[str] = []
    if not status.intact:
        problems.append("电子签名不完整：签名后内容被修改")
    elif not status.valid:
        problems.append("电子签名无效")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append("电子签名之后文件还有改动（签名未覆盖整个文件）")
    if device_cert is not None:
        signer_der = sig.signer_cert.dump()
        if signer_der != device_cert.public_bytes(serialization.Encoding.DER):
            problems.append("签名证书与清单的设备证书不一致")
        elif not status.trusted:
            problems.append("签名证书不受信任")
    return problems


def _check_documents(pkg: Path, manifest: dict[str, Any], cert: x509.Certificate | None) -> list[str]:
    problems: list[str] = []
    docs = manifest.get("documents")
    if not isinstance(docs, list):
        return ["清单缺少文书列表 documents"]
    listed_pdfs = {f.get("path") for f in manifest.get("files", []) if isinstance(f, dict)}
    seen: set[str] = set()
    for d in docs:
        if not isinstance(d, dict) or not d.get("path"):
            continue
        rel = str(d["path"])
        if safe_relpath(rel) or not (pkg / rel).is_file():
            problems.append(f"文书 {rel} 缺失")
            continue
        seen.add(rel)
        data = (pkg / rel).read_bytes()
        problems += [f"文书 {rel}：{p}" for p in check_pdf_signature(data, cert)]
        size, sha = d.get("original_size"), d.get("original_sha256")
        if isinstance(size, int) and isinstance(sha, str) and not original_prefix_matches(data, size, sha):
            problems.append(f"文书 {rel}：不含平台下发的原件（原件摘要不符）")
        try:
            attached = pdf_attachments(data)
        except Exception as exc:  # noqa: BLE001 - unreadable attachments are a finding, not a crash
            problems.append(f"文书 {rel}：附件无法读取（{type(exc).__name__}）")
            continue
        expected = [str(p) for p in d.get("pen_files", [])]
        for pen_rel in expected:
            name = pen_rel.rsplit("/", 1)[-1]
            pen_path = pkg / pen_rel
            if safe_relpath(pen_rel) or not pen_path.is_file():
                problems.append(f"笔迹文件 {pen_rel} 缺失")
            elif name not in attached:
                problems.append(f"文书 {rel} 未嵌入笔迹 {name}")
            elif attached[name] != pen_path.read_bytes():
                problems.append(f"文书 {rel} 嵌入的笔迹 {name} 与 {pen_rel} 不一致")
        extra = sorted(set(attached) - {p.rsplit("/", 1)[-1] for p in expected})
        if extra:
            problems.append(f"文书 {rel} 嵌入了清单未列出的附件 {', '.join(extra)}")
    for rel in sorted(p for p in listed_pdfs if isinstance(p, str) and p.startswith("documents/")):
        if rel not in seen:
            problems.append(f"文书 {rel} 未在清单的文书列表中登记")
    return problems


def _check_receipt(pkg: Path, manifest_raw: bytes, manifest: dict[str, Any]) -> list[str]:
    """A receipt next to the package must be for this package and this manifest.

    Its own signature is the platform's and is checked by whoever holds the platform's key.
    """
    path = pkg / RECEIPT
    if not path.is_file():
        return []
    try:
        receipt = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ["平台回执 receipt.json 不是有效的JSON"]
    if not isinstance(receipt, dict):
        return ["平台回执 receipt.json 不是JSON对象"]
    problems = []
    if receipt.get("package_id") != manifest.get("package_id"):
        problems.append("平台回执的证据包编号与清单不符")
    want = receipt.get("manifest_sha256")
    if want is not None and want != hashlib.sha256(manifest_raw).hexdigest():
        problems.append("平台回执记录的清单摘要与 manifest.json 不符")
    return problems


def verify_package(package_dir: Path, trusted_cert_pem: bytes | None = None) -> list[str]:
    """Every problem found in the package, most fundamental first; empty list = all good."""
    pkg = Path(package_dir)
    if not pkg.is_dir():
        return [f"证据包目录不存在：{pkg}"]
    problems = check_manifest(pkg, trusted_cert_pem)
    try:
        raw, manifest = load_manifest(pkg)
    except Exception:  # noqa: BLE001 - already reported by check_manifest
        return problems or ["manifest.json 无法读取"]
    problems += _check_receipt(pkg, raw, manifest)
    cert = _device_cert(pkg)
    if trusted_cert_pem is not None:
        cert = x509.load_pem_x509_certificate(trusted_cert_pem)
    problems += _check_documents(pkg, manifest, cert)
    report = pkg / REPORT
    if report.is_file():
        problems += [f"证据报告 {REPORT}：{p}" for p in check_pdf_signature(report.read_bytes(), cert)]
    elif manifest.get("report"):
        problems.append(f"缺少证据报告 {REPORT}")
    files = manifest.get("files")
    if isinstance(files, list) and "content_sha256" in manifest and \
            content_digest([f for f in files if isinstance(f, dict)]) != manifest.get("content_sha256"):
        problems.append("内容摘要（报告二维码所载）与文件清单不符")
    audit = pkg / "audit.jsonl"
    if not audit.is_file():
        problems.append("缺少审计日志 audit.jsonl")
    else:
        try:
            text = audit.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append("审计日志不是UTF-8文本")
        else:
            problems += check_chain(text.split("\n"))
            problems += check_audit_consistency(pkg, manifest, text)
    return problems


def _party_file(pkg: Path, sub: str, party_id: str) -> dict[str, Any]:
    try:
        data = json.loads((pkg / sub / f"{party_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def check_audit_consistency(pkg: Path, manifest: dict[str, Any], audit_text: str) -> list[str]:
    """What the audit chain says was captured must be in the package (by party)."""
    results: list[dict[str, Any]] = []
    for line in audit_text.split("\n"):
        try:
            event = json.loads(line) if line.strip() else None
        except ValueError:
            continue  # reported by check_chain
        if isinstance(event, dict) and event.get("kind") == "step_result":
            results.append(event)
    problems: list[str] = []
    parties = [p for p in manifest.get("parties", []) if isinstance(p, dict)]
    docs = [d for d in manifest.get("documents", []) if isinstance(d, dict)]
    for entry in parties:
        pid = str(entry.get("party_id"))
        mine = [e for e in results if e.get("party_id") == pid]
        passed = {str(e.get("step")) for e in mine if e.get("outcome") == "passed" and not e.get("manual")}
        manual = sum(1 for e in mine if e.get("manual"))
        if not entry.get("present"):
            if mine:
                problems.append(f"审计记录了申请人 {pid} 的办理结果，证据包却没有其材料")
            continue
        if int(entry.get("manual_decisions") or 0) != manual:
            problems.append(f"申请人 {pid} 的人工决定：证据包 {entry.get('manual_decisions')} 条，审计 {manual} 条")
        identity = _party_file(pkg, "identity", pid)
        if "identity" in passed and not identity.get("identity"):
            problems.append(f"审计记录申请人 {pid} 身份核验通过，证据包缺少核验结果")
        transcript = _party_file(pkg, "transcripts", pid)
        if "statement" in passed and not transcript.get("transcript"):
            problems.append(f"审计记录申请人 {pid} 陈述核对通过，证据包缺少陈述转写")
        if "qa" in passed and not transcript.get("qa"):
            problems.append(f"审计记录申请人 {pid} 问答通过，证据包缺少问答记录")
        if "signing" in passed:
            if entry.get("kind") != "legal" and not entry.get("signatures"):
                problems.append(f"审计记录申请人 {pid} 已签名，证据包缺少其笔迹")
            for d in docs:
                for a in d.get("anchors") or []:
                    if isinstance(a, dict) and a.get("party_id") == pid and a.get("kind") == "signature" \
                            and not a.get("stamped"):
                        problems.append(f"审计记录申请人 {pid} 已签名，文书 {d.get('doc_id')} 第 "
                                        f"{a.get('anchor_index')} 处签名位置却未签")
    return problems
