"""`python main.py verify PACKAGE_DIR [--json]`: check an evidence package end to end.

Exit 0 when everything holds; exit 1 with the first problem on stderr otherwise (all
problems are in the JSON). What is checked: `kiosk.evidence.verify.verify_package`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.evidence.manifest import load_manifest
from kiosk.evidence.verify import verify_package


def cmd_verify(args: argparse.Namespace) -> int:
    pkg = Path(args.package_dir)
    problems = verify_package(pkg)
    info: dict[str, object] = {"package_dir": str(pkg), "ok": not problems, "problems": problems}
    if pkg.is_dir():
        try:
            _, manifest = load_manifest(pkg)
            files = manifest.get("files") or []
            info.update({"package_id": manifest.get("package_id"), "case_no": manifest.get("case_no"),
                         "status": manifest.get("status"), "files": len(files) if isinstance(files, list) else 0,
                         "pdfs": sum(1 for f in files if isinstance(f, dict) and str(f.get("path", "")).endswith(".pdf"))})
        except Exception:  # noqa: BLE001 - an unreadable manifest is already among the problems
            pass
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
    elif not problems:
        print(f"证据包核验通过：{info.get('package_id')}（{info.get('files')} 个文件，"
              f"{info.get('pdfs')} 份PDF签名有效，清单双签名有效，审计链完整）")
    if problems:
        print(f"bdc-kiosk verify: {problems[0]}", file=sys.stderr)
        return 1
    return 0
