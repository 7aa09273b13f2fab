"""Verifying a whole evidence package, as `python main.py verify` and the platform do.

Trust first: without a trust anchor (the platform CA) or the device certificate the platform
issued, the package can only be shown to be intact and self-consistent — anyone can make a key
and a certificate carrying the kiosk's and the CA's names — so the verdict then says
`signer_trusted: False`. With an anchor the device certificate must chain to it by signature.

Then, order matters for the one-line answer: links, devices and anything else that is not a
regular file are refused before anything is read; the manifest (file hashes in both
algorithms, both signatures) comes next because everything else is only meaningful if the
files are the ones that were signed; a receipt next to the package must be complete and signed
by the platform's receipt key; then every signature revision of every PDF — the device's valid,
by the manifest's device certificate, after the platform's original and followed by nothing
but long-term-validation updates (pyHanko's difference analysis), its attached pen data
identical to the package's pen files, the original still the untouched prefix — then the
content digest the report's QR code carries, then the audit chain, and last that the package
holds what the audit says was captured (a party's passed signing has its signatures stamped, a
passed identity check its result, a passed statement or Q&A its transcript, and as many manual
decisions as the audit records) — an aborted package rebuilt after a crash must not silently
drop evidence.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.audit import check_chain
from kiosk.evidence.manifest import RECEIPT, SIGNATURES, check_manifest, load_manifest, safe_relpath
from kiosk.evidence.package import REPORT, content_digest
from kiosk.signing.pdf import original_prefix_matches

log = logging.getLogger(__name__)

# Extended key usage of the platform's receipt-signing certificate (a UUID-based OID, 2.25 arc):
# a device certificate chains to the same CA, so "issued by the CA" alone is not "the platform".
RECEIPT_SIGNING_EKU = x509.ObjectIdentifier("2.25.170074613282896058348488912488931343850")


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


@dataclass
class PdfCheck:
    """What the signatures of one PDF say: the problems, and the PAdES level of the device's."""

    problems: list[str] = field(default_factory=list)
    level: str = ""


def _covered_end(sig: Any) -> int:
    br = list(sig.sig_object.get("/ByteRange") or [])
    return int(br[2]) + int(br[3]) if len(br) == 4 else 0


def _level_of(reader: Any, sig: Any) -> str:
    """PAdES baseline level of a signature by its structure (validity is checked elsewhere): B-B,
    B-T (a signature timestamp token), B-LT (revocation data in the DSS), B-LTA (a document
    timestamp after it)."""
    from pyhanko.sign.general import find_cms_attribute_iter

    try:
        tokens = list(find_cms_attribute_iter(sig.signer_info["unsigned_attrs"], "signature_time_stamp_token"))
    except Exception:  # noqa: BLE001 - no unsigned attributes at all, or unparsable ones
        tokens = []
    if not tokens:
        return "PAdES-B-B"
    level = "PAdES-B-T"
    dss = reader.root.get("/DSS")
    dss = dss.get_object() if dss is not None else None
    if dss is not None and (dss.get("/OCSPs") or dss.get("/CRLs")):
        level = "PAdES-B-LT"
        later = [s for s in reader.embedded_signatures if s.sig_object.get("/Type") == "/DocTimeStamp"
                 and _covered_end(s) > _covered_end(sig)]
        if later:
            level = "PAdES-B-LTA"
    return level


def check_pdf_signatures(data: bytes, device_cert: x509.Certificate | None,
                         anchors: Sequence[x509.Certificate] = (), original_size: int = 0) -> PdfCheck:
    """Every signature revision of a PDF.

    The device's signature must be valid, by `device_cert`, made after the platform's original
    (`original_size` bytes) and followed by nothing but long-term-validation updates (DSS,
    document timestamps) by pyHanko's difference analysis; with `anchors` its certificate must
    chain to one of them. A signature inside the original (the platform's own) must be intact;
    any other signature after the original is refused: a later signature would otherwise make
    drawing over a signed page look covered.
    """
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    out = PdfCheck()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - any parse failure is "unreadable" to the verifier
        out.problems.append(f"无法解析（{type(exc).__name__}）")
        return out
    if not sigs:
        out.problems.append("没有电子签名")
        return out

    def der(c: x509.Certificate) -> bytes:
        return c.public_bytes(serialization.Encoding.DER)

    roots = [asn1_x509.Certificate.load(der(c)) for c in anchors]
    if not roots and device_cert is not None:  # integrity only: the package's own certificate
        roots.append(asn1_x509.Certificate.load(der(device_cert)))
    device_der = der(device_cert) if device_cert is not None else None
    device_sigs = 0
    for n, sig in enumerate(sigs, 1):
        where = f"第{n}个签名"
        is_ts = sig.sig_object.get("/Type") == "/DocTimeStamp"
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            if is_ts:  # a document timestamp (B-LTA): its TSA is not the device CA, integrity is what counts
                ts_status = validate_pdf_timestamp(sig, validation_context=vc)
                if not (ts_status.intact and ts_status.valid):
                    out.problems.append(f"{where}（文档时间戳）无效")
                continue
            status = validate_pdf_signature(sig, vc)
        except Exception as exc:  # noqa: BLE001 - a malformed signature dictionary must not crash verify
            out.problems.append(f"{where}无法校验（{type(exc).__name__}: {exc}）")
            continue
        if not status.intact:
            out.problems.append(f"{where}不完整：签名后内容被修改")
            continue
        if not status.valid:
            out.problems.append(f"{where}无效")
            continue
        if original_size and _covered_end(sig) <= original_size:
            continue  # the platform's own signature inside the original
        if device_der is None or sig.signer_cert.dump() != device_der:
            out.problems.append(f"{where}不是本终端设备证书所签（签名证书与清单的设备证书不一致）")
            continue
        device_sigs += 1
        if anchors and not status.trusted:
            out.problems.append(f"{where}的设备证书不受信任（未链接到给定的平台CA）")
        level = status.modification_level
        if level is None or level > ModificationLevel.LTA_UPDATES:
            name = level.name if level is not None else "unknown"
            out.problems.append(f"{where}之后文件被改动（{name}）：签名后只允许追加长期验证数据")
        elif status.docmdp_ok is False:
            out.problems.append(f"{where}之后的改动违反文书的修改权限")
        ts = status.timestamp_validity
        if ts is not None and not (ts.intact and ts.valid):
            out.problems.append(f"{where}的签名时间戳无效")
        out.level = _level_of(reader, sig)
    if device_sigs == 0 and not out.problems:
        out.problems.append("没有本终端的电子签名")
    return out


def pdf_level(data: bytes) -> str:
    """The PAdES level of a PDF's last signature (not a document timestamp), by structure."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    sigs = [s for s in reader.embedded_signatures if s.sig_object.get("/Type") != "/DocTimeStamp"]
    return _level_of(reader, sigs[-1]) if sigs else ""


def check_pdf_signature(data: bytes, device_cert: x509.Certificate | None) -> list[str]:
    """Problems with the signatures of a PDF against the device certificate (integrity only)."""
    return check_pdf_signatures(data, device_cert).problems


def _check_documents(pkg: Path, manifest: dict[str, Any], cert: x509.Certificate | None,
                     anchors: Sequence[x509.Certificate], levels: dict[str, str]) -> list[str]:
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
        if safe_relpath(rel) or not _regular(pkg / rel):
            problems.append(f"文书 {rel} 缺失")
            continue
        seen.add(rel)
        data = (pkg / rel).read_bytes()
        size, sha = d.get("original_size"), d.get("original_sha256")
        checked = check_pdf_signatures(data, cert, anchors, size if isinstance(size, int) else 0)
        problems += [f"文书 {rel}：{p}" for p in checked.problems]
        if checked.level:
            levels[rel] = checked.level
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
            if safe_relpath(pen_rel) or not _regular(pen_path):
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


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def irregular_entries(pkg: Path) -> list[str]:
    """Everything in the package that is not a plain directory or a regular file with one link:
    symbolic links (to files or directories), hard links, devices, FIFOs, sockets."""
    problems: list[str] = []
    for root, dirs, files in os.walk(pkg, followlinks=False):
        for name in sorted(dirs + files):
            full = Path(root) / name
            rel = full.relative_to(pkg).as_posix()
            try:
                st = os.lstat(full)
            except OSError:
                problems.append(f"{rel} 无法读取")
                continue
            if stat.S_ISLNK(st.st_mode):
                problems.append(f"证据包中有符号链接 {rel}（不接受链接）")
            elif stat.S_ISDIR(st.st_mode):
                continue
            elif not stat.S_ISREG(st.st_mode):
                problems.append(f"证据包中有非普通文件 {rel}（设备、管道或套接字）")
            elif st.st_nlink > 1:
                problems.append(f"证据包中的 {rel} 是硬链接（不接受链接）")
    return problems


def chain_problem(cert: x509.Certificate, anchors: Sequence[x509.Certificate], at: dt.datetime) -> str | None:
    """Why `cert` is not a device certificate issued by one of `anchors` (valid at `at`), or None.

    The issuer's name is not enough (anyone can write a certificate with the platform CA's
    name): the certificate's signature must verify with the anchor's key.
    """
    for ca in anchors:
        try:
            bc = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
        except x509.ExtensionNotFound:
            continue
        if not bc.ca or cert.issuer != ca.subject:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            continue
        if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            return (f"设备证书在 {at.isoformat()} 不在有效期内（{cert.not_valid_before_utc.date()} 至 "
                    f"{cert.not_valid_after_utc.date()}）")
        return None
    return "设备证书不是受信任的平台CA签发的（证书仅名称相似，签发签名不符）"


def _signed_at(manifest: dict[str, Any]) -> dt.datetime:
    for key in ("finished_at", "started_at"):
        try:
            t = dt.datetime.fromisoformat(str(manifest.get(key)))
        except ValueError:
            continue
        if t.tzinfo is not None:
            return t.astimezone(dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


RECEIPT_FIELDS = ("package_id", "case_no", "kiosk_id", "received_at", "manifest_sha256", "total_size",
                  "files", "receipt_id", "signature_b64")


def _check_receipt(pkg: Path, manifest_raw: bytes, manifest: dict[str, Any],
                   anchors: Sequence[x509.Certificate], receipt_certs: Sequence[x509.Certificate]) -> list[str]:
    """A receipt next to the package must be complete, for this package and manifest, and signed
    by the platform's receipt key: a certificate the verifier was given (`--state`: the platform
    certificate stored at enrolment), or the one the receipt carries when it chains to an anchor
    and is marked for receipts (never the CA's own key). Without either, its signature is only
    checked against the certificate it carries."""
    from kiosk.platform.protocol import Receipt

    path = pkg / RECEIPT
    if not os.path.lexists(path):
        return []
    if not _regular(path):
        return ["平台回执 receipt.json 不是普通文件"]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return ["平台回执 receipt.json 不是有效的JSON"]
    if not isinstance(raw, dict):
        return ["平台回执 receipt.json 不是JSON对象"]
    missing = [k for k in RECEIPT_FIELDS if k not in raw]
    if missing:
        return [f"平台回执缺少字段 {', '.join(missing)}（不是平台签发的完整回执）"]
    try:
        receipt = Receipt.from_json(raw)
    except ValueError as exc:
        return [f"平台回执字段格式不正确（{exc}）"]
    problems = []
    if receipt.package_id != manifest.get("package_id"):
        problems.append("平台回执的证据包编号与清单不符")
    if receipt.manifest_sha256 != hashlib.sha256(manifest_raw).hexdigest():
        problems.append("平台回执记录的清单摘要与 manifest.json 不符")
    for key in ("case_no", "kiosk_id"):
        if key in manifest and getattr(receipt, key) != manifest.get(key):
            problems.append(f"平台回执的 {key} 与清单不符")
    carried: x509.Certificate | None = None
    if raw.get("signer_cert_pem"):
        try:
            carried = x509.load_pem_x509_certificate(str(raw["signer_cert_pem"]).encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            return [*problems, "平台回执附带的签名证书无法解析"]
    keys: list[x509.Certificate] = []
    for given in receipt_certs:
        if _is_ca(given) or any(given == a for a in anchors):
            problems.append("平台回执由CA密钥本身签名：回执须使用平台的回执专用密钥")
        else:
            keys.append(given)
    if receipt_certs and not keys:
        return problems
    if carried is not None and anchors:
        why = receipt_cert_problem(carried, anchors)
        if why:
            problems.append(why)
        else:
            keys.append(carried)
    elif carried is not None and not receipt_certs:
        keys.append(carried)  # integrity only, like the manifest without anchors
    if not keys:
        if anchors:
            problems.append("平台回执没有可核验的回执签名证书")
        return problems
    for c in keys:
        pub = c.public_key()
        if isinstance(pub, ec.EllipticCurvePublicKey) and receipt.signature_valid(pub):
            break
    else:
        problems.append("平台回执的签名无效（不是平台回执密钥所签）")
    return problems


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def receipt_cert_problem(cert: x509.Certificate, anchors: Sequence[x509.Certificate]) -> str | None:
    """Why `cert` is not a receipt-signing certificate of the platform CA, or None."""
    if _is_ca(cert) or any(cert == a for a in anchors):
        return "平台回执由CA密钥本身签名：回执须使用平台的回执专用密钥"
    why = chain_problem(cert, anchors, dt.datetime.now(dt.timezone.utc))
    if why:
        return "平台回执签名证书不是受信任的平台CA签发的"
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        eku = None
    if eku is None or RECEIPT_SIGNING_EKU not in list(eku):
        return "平台回执签名证书不是回执专用证书（缺少回执签名用途）"
    return None


@dataclass
class Verdict:
    """The outcome of `verify`: problems (empty = all good) and what was actually established."""

    problems: list[str]
    signer_trusted: bool            # the device certificate chains to a given trust anchor
    trust: str                      # where the anchor came from, "" for integrity only
    receipt: str                    # absent | checked | integrity_only
    levels: dict[str, str] = field(default_factory=dict)  # PDF path -> PAdES level of the device signature

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def level(self) -> str:
        """The weakest level among the package's PDFs."""
        order = ["PAdES-B-B", "PAdES-B-T", "PAdES-B-LT", "PAdES-B-LTA"]
        known = [v for v in self.levels.values() if v in order]
        return min(known, key=order.index) if known else ""


def verify(package_dir: Path, *, anchors: Sequence[x509.Certificate] = (), trust: str = "",
           pinned_cert_pem: bytes | None = None, receipt_certs: Sequence[x509.Certificate] = ()) -> Verdict:
    """Check a package. With `anchors` (the platform CA) the device certificate must chain to one;
    with `pinned_cert_pem` (the platform's record of the device) it must be that certificate.
    Without either the result proves integrity only: `signer_trusted` is False."""
    pkg = Path(package_dir)
    verdict = Verdict([], signer_trusted=False, trust=trust if anchors else "", receipt="absent")
    if os.path.islink(pkg):
        verdict.problems.append(f"证据包目录是符号链接：{pkg}")
        return verdict
    if not pkg.is_dir():
        verdict.problems.append(f"证据包目录不存在：{pkg}")
        return verdict
    problems = irregular_entries(pkg)
    if problems:  # refused before anything is read through a link
        verdict.problems = problems
        return verdict
    problems = check_manifest(pkg, pinned_cert_pem)
    try:
        raw, manifest = load_manifest(pkg)
    except Exception:  # noqa: BLE001 - already reported by check_manifest
        verdict.problems = problems or ["manifest.json 无法读取"]
        return verdict
    cert = _device_cert(pkg)
    if pinned_cert_pem is not None:
        cert = x509.load_pem_x509_certificate(pinned_cert_pem)
    if anchors:
        why = chain_problem(cert, anchors, _signed_at(manifest)) if cert is not None else "清单没有设备证书"
        if why:
            problems.insert(0, why)
        else:
            verdict.signer_trusted = not problems
    if os.path.lexists(pkg / RECEIPT):
        found = _check_receipt(pkg, raw, manifest, anchors, receipt_certs)
        problems += found
        verdict.receipt = "checked" if (anchors or receipt_certs) else "integrity_only"
    problems += _check_documents(pkg, manifest, cert, anchors, verdict.levels)
    report = pkg / REPORT
    if _regular(report):
        checked = check_pdf_signatures(report.read_bytes(), cert, anchors)
        problems += [f"证据报告 {REPORT}：{p}" for p in checked.problems]
        if checked.level:
            verdict.levels[REPORT] = checked.level
    elif manifest.get("report"):
        problems.append(f"缺少证据报告 {REPORT}")
    files = manifest.get("files")
    if isinstance(files, list) and "content_sha256" in manifest and \
            content_digest([f for f in files if isinstance(f, dict)]) != manifest.get("content_sha256"):
        problems.append("内容摘要（报告二维码所载）与文件清单不符")
    audit = pkg / "audit.jsonl"
    if not _regular(audit):
        problems.append("缺少审计日志 audit.jsonl")
    else:
        try:
            text = audit.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append("审计日志不是UTF-8文本")
        else:
            problems += check_chain(text.split("\n"))
            problems += check_audit_consistency(pkg, manifest, text)
    verdict.problems = problems
    if problems:
        verdict.signer_trusted = False
    return verdict


def verify_package(package_dir: Path, trusted_cert_pem: bytes | None = None, *,
                   anchors: Sequence[x509.Certificate] = ()) -> list[str]:
    """Every problem found in the package, most fundamental first; empty list = all good.

    `trusted_cert_pem` pins the device certificate (what the platform issued to the kiosk)."""
    return verify(package_dir, anchors=anchors, pinned_cert_pem=trusted_cert_pem).problems


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
