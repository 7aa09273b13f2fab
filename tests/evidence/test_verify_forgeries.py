"""`verify --trust`: every forgery of issue 16 fails; without a trust anchor the answer is
"integrity only" and never "valid"."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.audit import append_event, dumps_chain
from kiosk.evidence.manifest import write_manifest
from kiosk.evidence.sample import build_sample_package
from kiosk.evidence.verify import check_pdf_signatures, verify
from kiosk.platform.protocol import Receipt
from kiosk.security.keys import DeviceKeys, issue_certificate, make_ca
from kiosk.signing.pdf import Stamp, sign_pdf, stamp_pdf
from kiosk.signing.seal import demo_seal_png
from refplatform.ca import CA_NAME
from refplatform.service_keys import issue_receipt_certificate, load_or_create_receipt_key

pytestmark = pytest.mark.media
ROOT = Path(__file__).resolve().parents[2]
KIOSK = "LH-KIOSK-0001"


def _pem(c: x509.Certificate) -> bytes:
    return c.public_bytes(serialization.Encoding.PEM)


def _enrolled_keys(where: Path, ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate) -> DeviceKeys:
    keys = DeviceKeys(where)
    cert = issue_certificate(keys.csr(KIOSK), ca_key, ca_cert, common_name=KIOSK)
    keys.store_certificate(_pem(cert), _pem(ca_cert))
    return keys


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, Path]:
    key, cert = make_ca(CA_NAME)
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(_pem(cert))
    return key, cert, path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory, ca: tuple) -> DeviceKeys:  # type: ignore[type-arg]
    return _enrolled_keys(tmp_path_factory.mktemp("keys"), ca[0], ca[1])


@pytest.fixture(scope="module")
def lookalike(tmp_path_factory: pytest.TempPathFactory) -> DeviceKeys:
    """A new key with a certificate carrying the kiosk's name and the platform CA's issuer name."""
    fake_key, fake_ca = make_ca(CA_NAME)
    return _enrolled_keys(tmp_path_factory.mktemp("forger"), fake_key, fake_ca)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, keys: DeviceKeys) -> Path:
    return build_sample_package(tmp_path_factory.mktemp("pkg"), keys, kiosk_id=KIOSK)


def _copy(package: Path, tmp_path: Path) -> Path:
    dst = tmp_path / package.name
    shutil.copytree(package, dst)
    return dst


def _resign(pkg: Path, keys: DeviceKeys) -> None:
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    for k in ("format", "files"):
        m.pop(k)
    (pkg / "manifest.json").unlink()
    (pkg / "manifest.sig.json").unlink()
    write_manifest(pkg, m, keys)


def test_genuine_package_chains_to_the_ca(package: Path, ca: tuple) -> None:  # type: ignore[type-arg]
    v = verify(package, anchors=[ca[1]], trust="ca.pem")
    assert v.problems == [] and v.signer_trusted
    assert v.level == "PAdES-B-B" and set(v.levels) == {"documents/d1.pdf", "documents/d2.pdf", "report.pdf"}
    bare = verify(package)
    assert bare.problems == [] and not bare.signer_trusted and bare.trust == ""


def test_lookalike_certificate_passes_integrity_only_and_fails_with_trust(
        lookalike: DeviceKeys, ca: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    forged = build_sample_package(tmp_path, lookalike, kiosk_id=KIOSK)
    cert = lookalike.certificate()
    assert cert is not None and cert.issuer == ca[1].subject  # same names as the real CA
    bare = verify(forged)
    assert bare.problems == [] and not bare.signer_trusted  # integrity holds, the signer is unknown
    v = verify(forged, anchors=[ca[1]], trust="ca.pem")
    assert not v.signer_trusted
    assert "不是受信任的平台CA签发的" in v.problems[0]
    assert any("设备证书不受信任" in p for p in v.problems)  # every PDF signature says so too


def test_drawing_over_a_page_after_the_device_signature(package: Path, keys: DeviceKeys,
                                                        lookalike: DeviceKeys, ca: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    pkg = _copy(package, tmp_path)
    doc = pkg / "documents" / "d1.pdf"
    drawn = stamp_pdf(doc.read_bytes(), [Stamp(page=1, rect=(60, 400, 300, 120), png=demo_seal_png("伪造", 200))])
    assert drawn.startswith(doc.read_bytes())  # an incremental update after the device's signature
    device = keys.certificate()
    assert device is not None
    found = check_pdf_signatures(drawn, device, [ca[1]])
    assert any("之后文件被改动" in p for p in found.problems), found.problems
    # a later signature "covering" the drawing changes nothing: it is not the device's
    covered = sign_pdf(drawn, lookalike, reason="x", location="y")
    found = check_pdf_signatures(covered, device, [ca[1]])
    assert any("不是本终端设备证书所签" in p for p in found.problems), found.problems
    assert any("之后文件被改动" in p for p in found.problems), found.problems
    # even with the manifest re-signed by the device key itself, the package fails
    doc.write_bytes(covered)
    _resign(pkg, keys)
    v = verify(pkg, anchors=[ca[1]], trust="ca.pem")
    assert any("documents/d1.pdf" in p for p in v.problems) and not v.signer_trusted


def test_edited_and_rechained_audit_log(package: Path, lookalike: DeviceKeys, ca: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    pkg = _copy(package, tmp_path)
    events = [json.loads(line) for line in (pkg / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    chain: list[dict[str, object]] = []
    for e in events:
        e = {k: v for k, v in e.items() if k not in ("seq", "prev", "hash")}
        if e.get("kind") == "step_result" and e.get("outcome") == "failed":
            e["outcome"] = "passed"
        append_event(chain, {**e, "note": "edited"})
    (pkg / "audit.jsonl").write_text(dumps_chain(chain), encoding="utf-8")
    _resign(pkg, lookalike)
    assert not any("审计" in p for p in verify(pkg).problems)  # the chain itself is intact again
    v = verify(pkg, anchors=[ca[1]], trust="ca.pem")
    assert v.problems and not v.signer_trusted
    assert "不是受信任的平台CA签发的" in v.problems[0]


def _receipt(package: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate | None) -> dict[str, object]:
    m = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    rec = Receipt(package_id=m["package_id"], case_no=m["case_no"], kiosk_id=m["kiosk_id"],
                  received_at="2026-11-28T02:10:00Z",
                  manifest_sha256=hashlib.sha256((package / "manifest.json").read_bytes()).hexdigest(),
                  total_size=1, files=len(m["files"]), receipt_id="RC-1").sign(key)
    out: dict[str, object] = rec.to_json()
    if cert is not None:
        out["signer_cert_pem"] = _pem(cert).decode("ascii")
    return out


def test_receipts(package: Path, ca: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    ca_key, ca_cert, _ = ca
    pkg = _copy(package, tmp_path / "pkg")
    rkey, rcert = load_or_create_receipt_key(tmp_path, ca_key, ca_cert)

    def check(receipt: dict[str, object]) -> list[str]:
        (pkg / "receipt.json").write_text(json.dumps(receipt), encoding="utf-8")
        return verify(pkg, anchors=[ca_cert], trust="ca.pem").problems

    assert check(_receipt(pkg, rkey, rcert)) == []
    # a fake signature: a self-made key and receipt certificate from a lookalike CA
    fake_ca_key, fake_ca = make_ca(CA_NAME)
    fake_key = ec.generate_private_key(ec.SECP256R1())
    problems = check(_receipt(pkg, fake_key, issue_receipt_certificate(fake_key, fake_ca_key, fake_ca)))
    assert any("回执签名证书不是受信任" in p for p in problems), problems
    # a genuine certificate with someone else's signature
    forged = _receipt(pkg, fake_key, rcert)
    assert any("回执的签名无效" in p for p in check(forged))
    # the CA key itself, and a device certificate (same CA, no receipt usage), are not the receipt key
    assert any("CA密钥本身" in p for p in check(_receipt(pkg, ca_key, ca_cert)))
    dev_key = ec.generate_private_key(ec.SECP256R1())
    dev_keys = DeviceKeys(tmp_path / "dev")
    dev_cert = issue_certificate(dev_keys.csr(KIOSK), ca_key, ca_cert, common_name=KIOSK)
    assert any("不是回执专用证书" in p for p in check(_receipt(pkg, dev_key, dev_cert)))
    # only a package id, or a receipt for another manifest
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    assert any("回执缺少字段" in p for p in check({"package_id": m["package_id"]}))
    wrong = _receipt(pkg, rkey, rcert)
    wrong["manifest_sha256"] = "0" * 64
    wrong = {**Receipt.from_json(wrong).sign(rkey).to_json(), "signer_cert_pem": wrong["signer_cert_pem"]}
    assert any("清单摘要" in p for p in check(wrong))
    # without any anchor or receipt certificate a receipt is checked for integrity only
    (pkg / "receipt.json").write_text(json.dumps(_receipt(pkg, rkey, rcert)), encoding="utf-8")
    bare = verify(pkg)
    assert bare.problems == [] and bare.receipt == "integrity_only"


@pytest.mark.parametrize("kind", ["symlink_file", "symlink_dir", "hardlink", "fifo"])
def test_links_and_special_files_are_refused(package: Path, tmp_path: Path, kind: str) -> None:
    pkg = _copy(package, tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text("{}", encoding="utf-8")
    if kind == "symlink_file":
        target = pkg / "transcripts" / "p1.json"
        shutil.copyfile(target, outside)
        target.unlink()
        target.symlink_to(outside)  # same bytes: every hash still matches
    elif kind == "symlink_dir":
        shutil.copytree(pkg / "pen", tmp_path / "pen")
        shutil.rmtree(pkg / "pen")
        (pkg / "pen").symlink_to(tmp_path / "pen")
    elif kind == "hardlink":
        os.link(pkg / "audit.jsonl", tmp_path / "audit-elsewhere.jsonl")
    else:
        os.mkfifo(pkg / "identity" / "pipe")
    problems = verify(pkg).problems
    assert problems and ("链接" in problems[0] or "非普通文件" in problems[0]), problems


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "verify", *args],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_cli_trust_state_and_integrity_only(package: Path, keys: DeviceKeys, lookalike: DeviceKeys,
                                            ca: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    ok = _cli(str(package), "--trust", str(ca[2]), "--json")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["signer_trusted"] is True and out["signature_level"] == "PAdES-B-B"
    state = keys.dir.parent  # keys live in <state>/keys
    shutil.copytree(keys.dir, tmp_path / "state" / "keys")
    by_state = _cli(str(package), "--state", str(tmp_path / "state"), "--json")
    assert by_state.returncode == 0 and json.loads(by_state.stdout)["signer_trusted"] is True, (state, by_state.stderr)
    bare = _cli(str(package))
    assert bare.returncode == 0
    assert "integrity only, signer not checked" in bare.stdout and "有效" not in bare.stdout
    assert json.loads(_cli(str(package), "--json").stdout)["signer_trusted"] is False
    forged = build_sample_package(tmp_path / "forged", lookalike, kiosk_id=KIOSK)
    bad = _cli(str(forged), "--trust", str(ca[2]))
    assert bad.returncode == 1 and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    unreadable = _cli(str(package), "--trust", str(tmp_path / "missing.pem"))
    assert unreadable.returncode == 2 and len(unreadable.stderr.strip().splitlines()) == 1
