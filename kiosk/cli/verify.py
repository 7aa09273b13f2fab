"""`python main.py verify PACKAGE_DIR [--trust CA.pem] [--state DIR] [--json]`.

Exit 0 when everything holds; exit 1 with one line on stderr naming the first problem (all
problems are in the JSON); exit 2 when the trust anchor itself cannot be read. What is checked:
`kiosk.evidence.verify.verify`.

`--trust CA.pem` is the platform CA (one or more PEM certificates); `--state DIR` takes the CA
chain stored at enrolment (`DIR/keys/ca_chain.pem`) and the platform certificate from the
stored credential for receipts. Without either the package is checked for integrity only,
which the output says: `"signer_trusted": false` and never "valid".
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from cryptography import x509

from kiosk.evidence.manifest import load_manifest
from kiosk.evidence.verify import Verdict, verify

log = logging.getLogger(__name__)
INTEGRITY_ONLY = "integrity only, signer not checked（仅完整性：未核验签名者，未给出平台CA）"


def _pem_certs(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


def trust_from_args(args: argparse.Namespace) -> tuple[list[x509.Certificate], str, list[x509.Certificate]]:
    """(anchors, where they came from, receipt certificates); ValueError/OSError when unreadable."""
    anchors: list[x509.Certificate] = []
    receipt: list[x509.Certificate] = []
    source = ""
    if getattr(args, "trust", None):
        anchors += _pem_certs(Path(args.trust))
        source = str(args.trust)
    state = getattr(args, "state", None)
    if state:
        chain = Path(state) / "keys" / "ca_chain.pem"
        if not anchors:
            anchors += _pem_certs(chain)
            source = str(chain)
        cred = Path(state) / "keys" / "platform_credential.json"
        if cred.is_file():
            data = json.loads(cred.read_text(encoding="utf-8"))
            for key in ("receipt_cert_pem", "platform_cert_pem"):
                if isinstance(data, dict) and data.get(key):
                    receipt.append(x509.load_pem_x509_certificate(str(data[key]).encode("ascii")))
    return anchors, source, receipt


def verdict_json(pkg: Path, v: Verdict) -> dict[str, Any]:
    info: dict[str, Any] = {"package_dir": str(pkg), "ok": v.ok, "signer_trusted": v.signer_trusted,
                            "trust": v.trust or None, "receipt": v.receipt, "signature_level": v.level or None,
                            "signature_levels": v.levels, "problems": v.problems}
    if not v.trust:
        info["note"] = "integrity only, signer not checked"
    try:
        _, manifest = load_manifest(pkg)
        files = manifest.get("files") or []
        info.update({"package_id": manifest.get("package_id"), "case_no": manifest.get("case_no"),
                     "status": manifest.get("status"), "files": len(files) if isinstance(files, list) else 0,
                     "pdfs": sum(1 for f in files if isinstance(f, dict) and str(f.get("path", "")).endswith(".pdf"))})
    except Exception:  # noqa: BLE001 - an unreadable manifest is already among the problems
        pass
    return info


def _quiet_validators() -> None:
    """pyHanko logs each failed path validation with a traceback; the findings are in the verdict,
    so on the command line stderr keeps its one line (a configured log still gets them)."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def cmd_verify(args: argparse.Namespace) -> int:
    _quiet_validators()
    pkg = Path(args.package_dir)
    try:
        anchors, source, receipt_certs = trust_from_args(args)
    except (OSError, ValueError, UnicodeError) as exc:
        print(f"bdc-kiosk verify: 信任锚无法读取（{type(exc).__name__}: {exc}）", file=sys.stderr)
        return 2
    try:
        v = verify(pkg, anchors=anchors, trust=source, receipt_certs=receipt_certs)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback; the detail goes to the log
        log.exception("verify crashed on %s", pkg)
        print(f"bdc-kiosk verify: 核验中断（{type(exc).__name__}）", file=sys.stderr)
        return 1
    info = verdict_json(pkg, v)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
    elif v.ok and v.signer_trusted:
        print(f"证据包核验通过：{info.get('package_id')}（{info.get('files')} 个文件，设备证书链接到 {source}，"
              f"{info.get('pdfs')} 份PDF签名有效（{v.level}），清单双签名有效，审计链完整）")
    elif v.ok:
        print(f"{INTEGRITY_ONLY}：{info.get('package_id')} 内容完整、自洽（{info.get('files')} 个文件，"
              f"{info.get('pdfs')} 份PDF，{v.level}）；签名者是否为平台注册的终端未核验，请用 --trust 或 --state")
    if not v.ok:
        print(f"bdc-kiosk verify: {v.problems[0]}", file=sys.stderr)
        return 1
    return 0
