"""Stamp + sign a 20-page PDF (median) against pyHanko's own CLI signing the same file.

`pdf_sign_s`: median wall time of `stamp_pdf` (two signature anchors + a date) followed by
`sign_pdf` (PAdES B-B, pen data attached) in this process, after one warm-up run.
`pdf_sign_vs_pyhanko_cli`: that median divided by the median of
`pyhanko sign addsig --use-pades pemder …` on the same original file and key, measured in the
same run. The CLI pays interpreter start-up and imports on every call, which is what a
signing step built on shelling out to it would pay too; `pdf_sign_vs_pyhanko_inprocess`
compares against pyHanko's plain in-process signing (no stamps, no attachment) to show what
the stamping and attachment cost on top of signing alone.
"""
from __future__ import annotations

import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_time(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(quick: bool) -> dict[str, float]:
    from cryptography.hazmat.primitives import serialization

    from kiosk.security.keys import DeviceKeys
    from kiosk.signing import PenData, Stamp, render_signature_png, sign_pdf, stamp_pdf
    from kiosk.signing.pdf import _signer
    from kiosk.signing.sample_document import sample_form_pdf
    from kiosk.signing.sample_pen import handwriting_points

    n = 3 if quick else 9
    root = Path(tempfile.mkdtemp(prefix="bench-pdf-sign-"))
    try:
        keys = DeviceKeys(root / "keys")
        keys.ensure_demo_certificate("LH-KIOSK-BENCH")
        rect1, rect2 = (360.0, 120.0, 160.0, 56.0), (360.0, 50.0, 160.0, 56.0)
        pdf = sample_form_pdf("不动产登记申请书", "LH2026-BENCH", pages=20,
                              anchors=[(20, rect1, "签字："), (20, rect2, "签字：")])
        pen = PenData.from_points(handwriting_points(3), "sim-pad", 150, 75)

        def ours() -> bytes:
            png = render_signature_png(pen, 667, 175)
            stamped = stamp_pdf(pdf, [Stamp(20, rect1, png, "2026年11月28日"), Stamp(20, rect2, png, "2026年11月28日"),
                                      Stamp(1, (400, 700, 150, 20), None, "2026年11月28日", "date")])
            return sign_pdf(stamped, keys, reason="bench", location="漯河",
                            attachments={"p1-d1-0.bin": pen.to_bin(), "p1-d1-0.json": pen.to_json()})

        ours()  # warm-up: imports, font registration
        ours_s = _median_time(ours, n)

        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer = _signer(keys)

        def plain() -> None:
            w = IncrementalPdfFileWriter(io.BytesIO(pdf))
            signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Sig1", subfilter=fields.SigSeedSubFilter.PADES),
                              signer=signer).sign_pdf(w, output=io.BytesIO())

        plain()
        plain_s = _median_time(plain, n)

        src = root / "in.pdf"
        src.write_bytes(pdf)
        key = root / "key.pem"
        key.write_bytes(keys.signing_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
        cert = root / "cert.pem"
        cert.write_bytes(keys.certificate().public_bytes(serialization.Encoding.PEM))  # type: ignore[union-attr]
        exe = shutil.which("pyhanko", path=str(Path(sys.executable).parent)) or shutil.which("pyhanko")
        if exe is None:
            raise RuntimeError("pyhanko CLI missing: pip install 'pyhanko-cli>=0.6'")

        def cli() -> None:
            subprocess.run([exe, "sign", "addsig", "--field", "Sig1", "--use-pades", "pemder", "--key", str(key),
                            "--cert", str(cert), "--no-pass", str(src), str(root / "out.pdf")],
                           check=True, capture_output=True)

        cli()
        cli_s = _median_time(cli, n)
        return {"pdf_sign_s": ours_s, "pdf_sign_vs_pyhanko_cli": ours_s / cli_s,
                "pyhanko_cli_s": cli_s, "pdf_sign_vs_pyhanko_inprocess": ours_s / plain_s,
                "pyhanko_inprocess_s": plain_s, "pdf_pages": 20.0}
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    figures = run("--quick" in sys.argv)
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        print(f"{k:<{width}}  {v:12.3f}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))
