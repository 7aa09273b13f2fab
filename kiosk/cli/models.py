"""`python main.py models install PATH [--sha256 HEX]` and `models status`.

Install puts the model where the kiosk looks for it (`<state>/models/<name>`) and proves it
loads; status says whether the configured model is there, which is what a technician
checks when a kiosk reports the speech model missing.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.config import load_config
from kiosk.speech.models import default_model_dir, install_model, model_status


def cmd_models(args: argparse.Namespace) -> int:
    settings, paths = load_config(Path(args.state) if args.state else None)
    if args.models_action == "install":
        installed = install_model(args.path, paths.models, sha256=args.sha256)
        check = "已校验 sha256" if installed.sha256_checked else "未提供 sha256，未校验"
        print(f"模型已安装：{installed.name} → {installed.path}（{check}；sha256 {installed.sha256}；"
              f"加载 {installed.load_s:.1f} 秒）")
        configured = default_model_dir(settings.speech.model_path, paths.models)
        if configured.resolve() != installed.path.resolve():
            print(f"注意：当前配置使用的模型目录是 {configured}，如需使用新模型请修改 speech.model_path")
        return 0
    configured = default_model_dir(settings.speech.model_path, paths.models)
    rows = model_status(paths.models, configured)
    if getattr(args, "json", False):
        print(json.dumps({"configured": str(configured), "models": rows}, ensure_ascii=False))
    else:
        for r in rows:
            mark = "✓" if r["ok"] else "✗"
            conf = " [当前使用]" if r["configured"] else ""
            print(f"{mark} {r['name']}{conf}  {r['size_mb']} MB  {r['problem'] or r['sha256'][:16]}")
        if not rows:
            print(f"没有已安装的模型（{paths.models}）")
    return 0 if any(r["ok"] and r["configured"] for r in rows) else 1
