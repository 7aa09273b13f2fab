"""The package manifest (`manifest.json`) and its two signatures (`manifest.sig.json`).

The manifest lists every other file of the package with size, SHA-256 and SM3, so the two
signatures over the manifest's exact bytes cover the whole package. Two signatures because
the platform verifies with the device certificate it issued (ECDSA P-256, what PAdES uses
too) and the national-standard regime asks for SM2/SM3; each can be checked on its own.

`manifest.json` is written once, `json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1)`
in UTF-8, and never re-serialised: verification always works on the bytes on disk.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.errors import UserFacingError
from kiosk.security.keys import DeviceKeys

FORMAT = "bdc-evidence/1"
MANIFEST = "manifest.json"
SIGNATURES = "manifest.sig.json"
# The platform's receipt, kept next to an uploaded package (`simulate --out`, the outbox): it is
# issued after the manifest was signed, so it is not part of the package and not listed.
RECEIPT = "receipt.json"
PACKAGE_ID_RE = re.compile(r"^[A-Za-z0-9-]{1,120}$")
_CHUNK = 1 << 20


class ManifestError(UserFacingError):
    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message, detail=detail or message, code="bad_manifest")


def file_digests(path: Path) -> tuple[int, str, str]:
    """(size, sha256 hex, sm3 hex) of a file, read once in chunks (recordings can be large)."""
    sha = hashlib.sha256()
    sm3 = hashes.Hash(hashes.SM3())
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest(), sm3.finalize().hex()


def sm3_hex(data: bytes) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def _package_files(package_dir: Path) -> list[str]:
    """Relative POSIX paths of every regular file except the manifest, its signatures and a receipt."""
    out: list[str] = []
    for root, dirs, files in os.walk(package_dir, followlinks=False):
        dirs.sort()
        for name in files:
            full = Path(root) / name
            rel = full.relative_to(package_dir).as_posix()
            if rel in (MANIFEST, SIGNATURES, RECEIPT):
                continue
            out.append(rel)
    return sorted(out)


def safe_relpath(rel: Any) -> str | None:
    """The reason `rel` is not an acceptable package path, or None when it is."""
    if not isinstance(rel, str) or not rel:
        return "路径为空或不是字符串"
    if "\\" in rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        return f"路径「{rel}」不是相对POSIX路径"
    parts = PurePosixPath(rel).parts
    if any(p in ("..", ".", "") for p in parts) or rel != PurePosixPath(rel).as_posix():
        return f"路径「{rel}」含有 .. 或不规范的片段"
    return None


def _sm2_signer(keys: DeviceKeys) -> Any:
    from gmssl import sm2

    signer = sm2.CryptSM2(private_key=keys.sm2.private_hex, public_key="")
    # set after construction: the constructor's lstrip("04") would eat leading 0/4 digits of a key
    signer.public_key = keys.sm2.public_hex
    return signer


def sm2_sign(keys: DeviceKeys, data: bytes) -> str:
    signer = _sm2_signer(keys)
    for _ in range(8):  # gmssl returns None for the (astronomically rare) degenerate nonce
        sig = signer.sign_with_sm3(data)
        if sig:
            return str(sig)
    raise ManifestError("SM2签名失败，请联系技术人员", detail="gmssl sign_with_sm3 returned None 8 times")


def sm2_verify(public_hex: str, signature_hex: str, data: bytes) -> bool:
    from gmssl import sm2

    if not re.fullmatch(r"[0-9a-fA-F]{128}", public_hex or "") or not re.fullmatch(
            r"[0-9a-fA-F]{128}", signature_hex or ""):
        return False
    verifier = sm2.CryptSM2(private_key="", public_key="")
    verifier.public_key = public_hex.lower()
    try:
        return bool(verifier.verify_with_sm3(signature_hex.lower(), data))
    except (ValueError, ZeroDivisionError, TypeError):
        return False


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def write_manifest(package_dir: Path, manifest: dict[str, Any], keys: DeviceKeys) -> None:
    """Compute `files`, write `manifest.json` and sign its exact bytes twice into `manifest.sig.json`.

    Call it last, when every other file of the package is in place: anything written after it
    shows up as an extra file in `check_manifest`.
    """
    package_dir = Path(package_dir)
    cert = keys.certificate()
    if cert is None:
        raise ManifestError("本机尚无设备证书，请先完成设备注册（或演示模式初始化）",
                            detail=f"no device certificate in {keys.dir}")
    pid = str(manifest.get("package_id", ""))
    if not PACKAGE_ID_RE.match(pid):
        raise ManifestError("证据包编号格式不正确", detail=f"package_id {pid!r} not [A-Za-z0-9-]")
    entries = []
    for rel in _package_files(package_dir):
        size, sha, sm3 = file_digests(package_dir / rel)
        entries.append({"path": rel, "size": size, "sha256": sha, "sm3": sm3})
    body = dict(manifest)
    body["format"] = FORMAT
    body["files"] = entries
    data = manifest_bytes(body)
    der = keys.signing_key.sign(data, ec.ECDSA(hashes.SHA256()))
    sigs = {
        "device": {"alg": "ecdsa-p256-sha256",
                   "cert_pem": cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                   "signature_b64": base64.b64encode(der).decode("ascii")},
        "sm2": {"alg": "sm2-sm3", "public_key_hex": keys.sm2.public_hex,
                "signature_hex": sm2_sign(keys, data)},
    }
    (package_dir / MANIFEST).write_bytes(data)
    (package_dir / SIGNATURES).write_bytes(
        json.dumps(sigs, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))


def load_manifest(package_dir: Path) -> tuple[bytes, dict[str, Any]]:
    """The manifest's bytes and decoded object; ManifestError when missing or not JSON."""
    p = Path(package_dir) / MANIFEST
    if not p.is_file():
        raise ManifestError("证据包缺少 manifest.json", detail=str(p))
    data = p.read_bytes()
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # Recursion: nested too deep
        raise ManifestError("manifest.json 不是有效的UTF-8 JSON", detail=str(exc)) from None
    if not isinstance(obj, dict):
        raise ManifestError("manifest.json 不是JSON对象")
    return data, obj


def _check_device_signature(data: bytes, dev: Any, trusted_cert_pem: bytes | None) -> list[str]:
    if not isinstance(dev, dict) or dev.get("alg") != "ecdsa-p256-sha256":
        return ["设备签名缺失或算法不是 ecdsa-p256-sha256"]
    try:
        cert = x509.load_pem_x509_certificate(str(dev.get("cert_pem", "")).encode("ascii"))
        der = base64.b64decode(str(dev.get("signature_b64", "")), validate=True)
    except (ValueError, UnicodeEncodeError):
        return ["设备签名中的证书或签名值格式不正确"]
    problems: list[str] = []
    if trusted_cert_pem is not None:
        try:
            trusted = x509.load_pem_x509_certificate(trusted_cert_pem)
        except ValueError:
            return ["给定的受信任设备证书无法解析"]
        if trusted.public_bytes(serialization.Encoding.DER) != cert.public_bytes(serialization.Encoding.DER):
            problems.append("设备证书与平台签发给该终端的证书不一致")
    try:
        pub = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):  # a damaged key (not on the curve, unknown OID…)
        return [*problems, "设备证书中的公钥无效（证书被修改）"]
    if not isinstance(pub, ec.EllipticCurvePublicKey):
        return [*problems, "设备证书的公钥不是ECDSA密钥"]
    try:
        pub.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        problems.append("manifest.json 的设备签名无效（清单被修改或签名不符）")
    return problems


def check_manifest(package_dir: Path, trusted_cert_pem: bytes | None = None, *,
                   trusted_sm2_public_hex: str | None = None) -> list[str]:
    """Problems with the package's manifest, signatures and files; empty list means OK.

    Without `trusted_cert_pem` the device signature is checked against the certificate the
    package carries (integrity, not origin); the platform passes the certificate it issued to
    the device so a re-signed package is caught too. Likewise `trusted_sm2_public_hex` pins
    the SM2 key registered at enrolment.
    """
    package_dir = Path(package_dir)
    try:
        data, manifest = load_manifest(package_dir)
    except ManifestError as exc:
        return [exc.message]
    problems: list[str] = []
    if manifest.get("format") != FORMAT:
        problems.append(f"清单格式不是 {FORMAT}")
    if not PACKAGE_ID_RE.match(str(manifest.get("package_id", ""))):
        problems.append("清单中的证据包编号格式不正确")

    sig_path = package_dir / SIGNATURES
    sigs: Any = None
    if not sig_path.is_file():
        problems.append("证据包缺少 manifest.sig.json")
    else:
        try:
            sigs = json.loads(sig_path.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            problems.append("manifest.sig.json 不是有效的JSON")
        else:
            if not isinstance(sigs, dict):  # `null` too: a stripped signature file is not "no problem"
                problems.append("manifest.sig.json 不是JSON对象")
    if isinstance(sigs, dict):
        problems += _check_device_signature(data, sigs.get("device"), trusted_cert_pem)
        sm2 = sigs.get("sm2")
        if not isinstance(sm2, dict) or sm2.get("alg") != "sm2-sm3":
            problems.append("SM2签名缺失或算法不是 sm2-sm3")
        else:
            pub = str(sm2.get("public_key_hex", ""))
            if trusted_sm2_public_hex is not None and pub.lower() != trusted_sm2_public_hex.lower():
                problems.append("SM2公钥与平台登记的该终端公钥不一致")
            if not sm2_verify(pub, str(sm2.get("signature_hex", "")), data):
                problems.append("manifest.json 的SM2签名无效（清单被修改或签名不符）")

    files = manifest.get("files")
    if not isinstance(files, list):
        return [*problems, "清单缺少文件列表 files"]
    listed: set[str] = set()
    for i, entry in enumerate(files):
        if not isinstance(entry, dict):
            problems.append(f"清单 files[{i}] 不是对象")
            continue
        rel = entry.get("path")
        bad = safe_relpath(rel)
        if bad:
            problems.append(f"清单 files[{i}]：{bad}")
            continue
        assert isinstance(rel, str)
        if rel in listed:
            problems.append(f"清单重复列出文件 {rel}")
            continue
        listed.add(rel)
        full = package_dir / rel
        if full.is_symlink() or not full.is_file():
            problems.append(f"缺少文件 {rel}")
            continue
        size, sha, sm3 = file_digests(full)
        if size != entry.get("size"):
            problems.append(f"文件 {rel} 大小不符（清单 {entry.get('size')}，实际 {size}）：文件被修改")
        elif sha != entry.get("sha256"):
            problems.append(f"文件 {rel} 的SHA-256不符：文件被修改")
        elif sm3 != entry.get("sm3"):
            problems.append(f"文件 {rel} 的SM3不符：文件被修改")
    for rel in _package_files(package_dir):
        if rel not in listed:
            problems.append(f"多出未登记的文件 {rel}")
    return problems
