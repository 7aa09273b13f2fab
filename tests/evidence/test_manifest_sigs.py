"""Manifest: both digests, both signatures, and every kind of tampering named."""
from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization

from kiosk.errors import UserFacingError
from kiosk.evidence.manifest import check_manifest, sm2_sign, sm2_verify, write_manifest
from kiosk.security.keys import DeviceKeys


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DeviceKeys:
    k = DeviceKeys(tmp_path_factory.mktemp("keys"))
    k.ensure_demo_certificate("LH-KIOSK-0001")
    return k


def _package(tmp_path: Path, keys: DeviceKeys) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "documents").mkdir(parents=True)
    (pkg / "documents" / "d1.pdf").write_bytes(b"%PDF-1.7 fake body " * 50)
    (pkg / "audit.jsonl").write_text('{"seq":1}\n', encoding="utf-8")
    write_manifest(pkg, {"package_id": "LH2026-000123-LH-KIOSK-0001-20261128100000",
                         "case_no": "LH2026-000123", "status": "completed"}, keys)
    return pkg


def test_files_carry_size_sha256_sm3_and_bytes_are_canonical(tmp_path: Path, keys: DeviceKeys) -> None:
    pkg = _package(tmp_path, keys)
    raw = (pkg / "manifest.json").read_bytes()
    m = json.loads(raw)
    assert raw == json.dumps(m, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    entry = next(f for f in m["files"] if f["path"] == "documents/d1.pdf")
    body = (pkg / "documents" / "d1.pdf").read_bytes()
    assert entry["size"] == len(body) and entry["sha256"] == hashlib.sha256(body).hexdigest()
    from gmssl import func, sm3  # independent SM3 implementation (pure Python)
    assert entry["sm3"] == sm3.sm3_hash(func.bytes_to_list(body))
    assert {f["path"] for f in m["files"]} == {"documents/d1.pdf", "audit.jsonl"}
    assert check_manifest(pkg) == []


def test_device_signature_verifies_with_cryptography_directly(tmp_path: Path, keys: DeviceKeys) -> None:
    pkg = _package(tmp_path, keys)
    sig = json.loads((pkg / "manifest.sig.json").read_text())
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    cert = x509.load_pem_x509_certificate(sig["device"]["cert_pem"].encode())
    cert.public_key().verify(base64.b64decode(sig["device"]["signature_b64"]),  # type: ignore[call-arg]
                             (pkg / "manifest.json").read_bytes(), ec.ECDSA(hashes.SHA256()))
    assert sig["sm2"]["public_key_hex"] == keys.sm2.public_hex
    assert len(sig["sm2"]["signature_hex"]) == 128


@pytest.mark.parametrize("what", ["flip", "delete", "extra", "manifest", "sm2", "device"])
def test_tampering_is_named(tmp_path: Path, keys: DeviceKeys, what: str) -> None:
    pkg = _package(tmp_path, keys)
    doc = pkg / "documents" / "d1.pdf"
    if what == "flip":
        b = bytearray(doc.read_bytes())
        b[5] ^= 0x01
        doc.write_bytes(bytes(b))
        expect = "documents/d1.pdf"
    elif what == "delete":
        doc.unlink()
        expect = "缺少文件"
    elif what == "extra":
        (pkg / "documents" / "d2.pdf").write_bytes(b"x")
        expect = "多出"
    elif what == "manifest":
        m = (pkg / "manifest.json").read_bytes().replace(b'"completed"', b'"aborted"')
        (pkg / "manifest.json").write_bytes(m)
        expect = "设备签名无效"
    else:
        s = json.loads((pkg / "manifest.sig.json").read_text())
        if what == "sm2":
            v = s["sm2"]["signature_hex"]
            s["sm2"]["signature_hex"] = ("1" if v[0] != "1" else "2") + v[1:]
            expect = "SM2签名无效"
        else:
            der = bytearray(base64.b64decode(s["device"]["signature_b64"]))
            der[-1] ^= 0x01
            s["device"]["signature_b64"] = base64.b64encode(bytes(der)).decode()
            expect = "设备签名无效"
        (pkg / "manifest.sig.json").write_text(json.dumps(s))
    problems = check_manifest(pkg)
    assert problems and any(expect in p for p in problems), problems


def test_trusted_certificate_pins_the_device(tmp_path: Path, keys: DeviceKeys) -> None:
    pkg = _package(tmp_path, keys)
    mine = keys.certificate().public_bytes(serialization.Encoding.PEM)  # type: ignore[union-attr]
    assert check_manifest(pkg, mine) == []
    other = DeviceKeys(tmp_path / "other")
    other.ensure_demo_certificate("LH-KIOSK-0002")
    theirs = other.certificate().public_bytes(serialization.Encoding.PEM)  # type: ignore[union-attr]
    assert any("不一致" in p for p in check_manifest(pkg, theirs))
    assert any("SM2公钥" in p for p in check_manifest(pkg, trusted_sm2_public_hex=other.sm2.public_hex))


def test_path_traversal_in_manifest_is_refused(tmp_path: Path, keys: DeviceKeys) -> None:
    pkg = _package(tmp_path, keys)
    m = json.loads((pkg / "manifest.json").read_text())
    m["files"].append({"path": "../etc/passwd", "size": 1, "sha256": "0" * 64, "sm3": "0" * 64})
    (pkg / "manifest.json").write_text(json.dumps(m))
    assert any(".." in p for p in check_manifest(pkg))


def test_sm2_roundtrip_and_wrong_data(keys: DeviceKeys) -> None:
    sig = sm2_sign(keys, "清单".encode())
    assert sm2_verify(keys.sm2.public_hex, sig, "清单".encode())
    assert not sm2_verify(keys.sm2.public_hex, sig, "清单!".encode())
    assert not sm2_verify("zz", sig, b"x")


def test_no_certificate_is_a_user_facing_error(tmp_path: Path) -> None:
    k = DeviceKeys(tmp_path / "k")
    (tmp_path / "p").mkdir()
    with pytest.raises(UserFacingError, match="设备证书"):
        write_manifest(tmp_path / "p", {"package_id": "X-1"}, k)


def test_sm2_signature_verifies_with_openssl(tmp_path: Path, keys: DeviceKeys) -> None:
    """An independent SM2 implementation (OpenSSL 3, default ID 1234567812345678) accepts the signature."""
    import shutil
    import subprocess

    from asn1crypto import algos, core

    openssl = shutil.which("openssl")
    assert openssl, "openssl CLI missing"
    pkg = _package(tmp_path, keys)
    sig = json.loads((pkg / "manifest.sig.json").read_text())["sm2"]
    point = bytes.fromhex("04" + sig["public_key_hex"])
    alg = core.Sequence.load(b"\x30" + bytes([19]) + core.ObjectIdentifier("1.2.840.10045.2.1").dump()
                             + core.ObjectIdentifier("1.2.156.10197.1.301").dump())
    spki = b"".join([alg.dump(), b"\x03" + bytes([len(point) + 1]) + b"\x00" + point])
    spki = b"\x30" + bytes([len(spki)]) + spki
    pem = b"-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki) + b"-----END PUBLIC KEY-----\n"
    (tmp_path / "sm2.pem").write_bytes(pem)
    rs = sig["signature_hex"]
    (tmp_path / "sig.der").write_bytes(algos.DSASignature({"r": int(rs[:64], 16), "s": int(rs[64:], 16)}).dump())

    def openssl_verify(data_path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([openssl, "pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "sm2.pem"),
                               "-rawin", "-digest", "sm3", "-in", str(data_path), "-sigfile",
                               str(tmp_path / "sig.der"), "-pkeyopt", "distid:1234567812345678"],
                              capture_output=True, text=True)

    ok = openssl_verify(pkg / "manifest.json")
    assert ok.returncode == 0 and "Verified Successfully" in ok.stdout, ok.stderr
    (tmp_path / "edited.json").write_bytes((pkg / "manifest.json").read_bytes().replace(b"completed", b"aborted!!"))
    assert openssl_verify(tmp_path / "edited.json").returncode != 0
