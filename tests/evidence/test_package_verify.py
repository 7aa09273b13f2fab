"""A whole sample package: pdfsig on every PDF, verify clean, every kind of tampering caught."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kiosk.errors import UserFacingError
from kiosk.evidence import PackageBuilder, verify_package
from kiosk.evidence.report import qr_payload
from kiosk.evidence.sample import build_sample_package, sample_audit, sample_case, sample_party_evidence
from kiosk.security.keys import DeviceKeys
from kiosk.signing import PenData

pytestmark = pytest.mark.media
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DeviceKeys:
    k = DeviceKeys(tmp_path_factory.mktemp("keys"))
    k.ensure_demo_certificate("LH-KIOSK-0001")
    return k


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, keys: DeviceKeys) -> Path:
    work = tmp_path_factory.mktemp("pkg")
    rec = work / "p1.mp4"
    rec.write_bytes(bytes(range(256)) * 40)  # stands in for the recorder's MP4: hashed, not decoded here
    return build_sample_package(work, keys, recordings={"p1": rec})


def _copy(package: Path, tmp_path: Path) -> Path:
    dst = tmp_path / package.name
    shutil.copytree(package, dst)
    return dst


def test_layout_and_manifest(package: Path) -> None:
    names = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert {"manifest.json", "manifest.sig.json", "report.pdf", "audit.jsonl", "documents/d1.pdf",
            "documents/d2.pdf", "recordings/p1.mp4", "transcripts/p1.json", "identity/p2.json",
            "pen/p1-d1-0.json", "pen/p1-d1-0.bin", "pen/p2-d1-1.bin"} <= names
    m = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"LH2026-000123-LH-KIOSK-0001-20261128100000-[0-9a-f]{16}", m["package_id"])  # keyed tag: unguessable
    assert m["status"] == "completed" and m["format"] == "bdc-evidence/1"
    assert {f["path"] for f in m["files"]} == names - {"manifest.json", "manifest.sig.json"}
    raw = json.dumps(m, ensure_ascii=False)
    case, _ = sample_case()
    for p in case.parties:
        assert p.signer_id_number not in raw  # only masked ID numbers in the manifest


def test_pdfsig_says_valid_for_every_pdf(package: Path) -> None:
    pdfsig = shutil.which("pdfsig")
    assert pdfsig, "apt-get install -y poppler-utils"
    pdfs = sorted(package.rglob("*.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        out = subprocess.run([pdfsig, str(pdf)], capture_output=True, text=True).stdout
        assert "Signature is Valid" in out, (pdf, out)
        assert "Total document signed" in out


def test_verify_clean_package(package: Path) -> None:
    assert verify_package(package) == []


def test_cli_verify_exit_codes(package: Path, tmp_path: Path) -> None:
    ok = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify", str(package), "--json"],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    bad = _copy(package, tmp_path)
    (bad / "audit.jsonl").write_text("", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify", str(bad)], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "audit.jsonl" in r.stderr


def _all_files(package: Path) -> list[str]:
    return sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())


def test_a_flipped_bit_in_any_file_fails_verify(package: Path, tmp_path: Path) -> None:
    files = _all_files(package)
    assert len(files) >= 17
    for i, rel in enumerate(files):
        bad = _copy(package, tmp_path / str(i))
        p = bad / rel
        data = bytearray(p.read_bytes())
        data[len(data) // 2] ^= 0x04
        p.write_bytes(bytes(data))
        problems = verify_package(bad)
        assert problems, f"flipping a bit in {rel} went unnoticed"
        if rel not in ("manifest.json", "manifest.sig.json"):
            assert rel in problems[0], (rel, problems[0])


def test_edited_manifest_fails_even_with_consistent_json(package: Path, tmp_path: Path) -> None:
    bad = _copy(package, tmp_path)
    m = json.loads((bad / "manifest.json").read_text(encoding="utf-8"))
    m["status"] = "aborted"
    (bad / "manifest.json").write_bytes(json.dumps(m, ensure_ascii=False, sort_keys=True, indent=1).encode())
    problems = verify_package(bad)
    assert any("设备签名无效" in p for p in problems) and any("SM2签名无效" in p for p in problems)


def test_swapped_pen_file_with_rehashed_manifest_is_caught_by_the_pdf(package: Path, tmp_path: Path,
                                                                    keys: DeviceKeys) -> None:
    """An insider with the device key re-signs the manifest: the PDF's embedded pen data still disagrees."""
    from kiosk.evidence.manifest import write_manifest
    from kiosk.signing.sample_pen import handwriting_points
    bad = _copy(package, tmp_path)
    other = PenData.from_points(handwriting_points(99), "sim-pad", 150, 75)
    (bad / "pen" / "p1-d1-0.bin").write_bytes(other.to_bin())
    m = json.loads((bad / "manifest.json").read_text(encoding="utf-8"))
    for k in ("format", "files"):
        m.pop(k)
    (bad / "manifest.json").unlink()
    (bad / "manifest.sig.json").unlink()
    write_manifest(bad, m, keys)
    problems = verify_package(bad)
    assert any("p1-d1-0.bin" in p and "不一致" in p for p in problems), problems


def test_broken_audit_chain_is_named(package: Path, tmp_path: Path) -> None:
    bad = _copy(package, tmp_path)
    lines = (bad / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    del lines[2]
    (bad / "audit.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = verify_package(bad)
    assert any("审计日志" in p for p in problems)


def test_report_qr_code_carries_package_id_and_content_digest(package: Path, tmp_path: Path) -> None:
    import cv2
    m = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    decoded = []
    for dpi in (150, 250, 400):  # any clean read by either OpenCV detector counts; none may disagree
        out = tmp_path / f"rep{dpi}"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1",
                        str(package / "report.pdf"), str(out)], check=True)
        img = cv2.imread(str(out) + ".png", cv2.IMREAD_GRAYSCALE)
        h, w = img.shape[:2]
        crop = img[: h // 4, w * 2 // 3:]
        for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
            text = detector.detectAndDecode(crop)[0]
            if text:
                decoded.append(text)
    assert decoded, "QR code not readable at 150, 250 or 400 dpi"
    assert set(decoded) == {qr_payload(m["package_id"], m["content_sha256"])}


def test_report_text_is_a_readable_form_with_masked_ids(package: Path) -> None:
    out = subprocess.run(["pdftotext", "-layout", str(package / "report.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    for word in ("不动产登记双录签名证据报告", "LH2026-000123", "存量房转移登记", "义务人", "张三", "人工通过",
                 "代理人证件照较旧", "PAdES-B-B", "第1页 共"):
        assert word in out, word
    case, _ = sample_case()
    for p in case.parties:
        assert p.signer_id_number not in out
    assert "4111**********" in out


def test_report_pages_render(package: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(package / "report.pdf"), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert 2 <= len(pages) <= 6
    from PIL import Image
    for p in pages:
        a = np.asarray(Image.open(p).convert("L"))
        assert (a < 128).mean() > 0.005  # not blank


def test_document_that_differs_from_the_case_is_refused(keys: DeviceKeys, tmp_path: Path) -> None:
    case, pdfs = sample_case()
    b = PackageBuilder(tmp_path, case, "LH-KIOSK-0001", "0.1.0", keys)
    with pytest.raises(UserFacingError, match="不一致"):
        b.add_document("d1", pdfs["d2"])
    with pytest.raises(UserFacingError, match="不一致"):  # a cut download fails the case hash first
        b.add_document("d1", pdfs["d1"][:-30])
    assert b.add_document("d1", pdfs["d1"]).pages == 2


def test_completed_needs_every_anchor_signed_aborted_keeps_what_exists(keys: DeviceKeys, tmp_path: Path) -> None:
    case, pdfs = sample_case()
    b = PackageBuilder(tmp_path, case, "LH-KIOSK-0001", "0.1.0", keys, started_at="2026-11-28T11:00:00+08:00")
    for k, v in pdfs.items():
        b.add_document(k, v)
    b.add_party(sample_party_evidence(case, "p1"))
    b.set_audit(sample_audit(3))
    with pytest.raises(UserFacingError):
        b.build("completed")
    assert not any(tmp_path.iterdir())  # nothing half-written left behind
    pkg = b.build("aborted")
    assert verify_package(pkg) == []
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    d1 = next(d for d in m["documents"] if d["doc_id"] == "d1")
    assert [a["stamped"] for a in d1["anchors"]] == [True, False, False]
    assert m["status"] == "aborted"


def test_original_document_is_the_prefix_of_the_signed_one(package: Path) -> None:
    _, pdfs = sample_case()
    m = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    for d in m["documents"]:
        signed = (package / d["path"]).read_bytes()
        assert hashlib.sha256(signed[: d["original_size"]]).hexdigest() == d["original_sha256"]
        assert signed[: d["original_size"]] == pdfs[d["doc_id"]]


def test_platform_receipt_next_to_the_package_must_be_complete(package: Path, tmp_path: Path) -> None:
    """A receipt holding only ids and the manifest hash is not a receipt (signed ones: test_verify_forgeries)."""
    pkg = _copy(package, tmp_path)
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    receipt = {"package_id": m["package_id"], "receipt_id": "RC-1",
               "manifest_sha256": hashlib.sha256((pkg / "manifest.json").read_bytes()).hexdigest()}
    (pkg / "receipt.json").write_text(json.dumps(receipt), encoding="utf-8")
    assert any("回执缺少字段" in p for p in verify_package(pkg))


@pytest.mark.parametrize("damage", ["garbage_pdf", "truncated_pdf", "garbage_manifest", "garbage_sig",
                                    "no_documents_list", "resigned_unsigned_pdf"])
def test_verify_reports_instead_of_crashing(package: Path, tmp_path: Path, keys: DeviceKeys, damage: str) -> None:
    """Insider edits re-signed with the device key still fail on the PDFs; garbage never raises."""
    from kiosk.evidence.manifest import write_manifest
    pkg = _copy(package, tmp_path)
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    for k in ("format", "files"):
        m.pop(k)
    doc = pkg / "documents" / "d1.pdf"
    if damage == "garbage_pdf":
        doc.write_bytes(bytes(np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8)))
    elif damage == "truncated_pdf":
        doc.write_bytes(doc.read_bytes()[:-500])
    elif damage == "resigned_unsigned_pdf":
        _, pdfs = sample_case()
        doc.write_bytes(pdfs["d1"])
    elif damage == "no_documents_list":
        m["documents"] = "nope"
    if damage in ("garbage_manifest", "garbage_sig"):
        target = pkg / ("manifest.json" if damage == "garbage_manifest" else "manifest.sig.json")
        target.write_bytes(b"\xff\xfe not json")
    else:
        (pkg / "manifest.json").unlink()
        (pkg / "manifest.sig.json").unlink()
        write_manifest(pkg, m, keys)
    problems = verify_package(pkg)
    assert problems
    if damage in ("garbage_pdf", "truncated_pdf", "resigned_unsigned_pdf"):
        assert any("documents/d1.pdf" in p for p in problems), problems
