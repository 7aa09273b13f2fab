"""`outbox status|flush|restore`: what waits to be uploaded, a technician's "upload now", and the
way back out of quarantine (decrypt one quarantined folder for a person to look at)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.config import load_config
from kiosk.errors import UserFacingError
from kiosk.logs import setup_logging

FLUSH_TIMEOUT_S = 120.0


def _print_status(status: dict[str, Any], items: list[dict[str, Any]]) -> None:
    by = status["by_state"]
    print(f"待上传 {status['depth']} 个（{status['bytes_pending'] / 1e6:.1f} MB）："
          f"ready {by['ready']}  uploading {by['uploading']}  failed {by['failed']}  done {by['done']}")
    last = status.get("last_upload")
    print(f"最近上传：{last['package_id']} 于 {last['at']}（回执 {last['receipt_id']}）" if last else "最近上传：无")
    err = status.get("last_error")
    if err:
        print(f"最近错误：{err['package_id']} 于 {err['at']}：{err['reason']}")
    if status.get("quarantined"):
        print(f"隔离区：{status['quarantined']} 项（加密保存，处理方法见运维手册“隔离区”）")
    for it in items:
        if it["state"] != "done":
            print(f"  {it['state']:<9} {it['package_id']}  第{it['attempts']}次  {it['reason']}")


def cmd_outbox(args: argparse.Namespace) -> int:
    from kiosk.platform.client import PlatformClient
    from kiosk.platform.outbox import Outbox
    from kiosk.platform.uploader import Uploader
    from kiosk.security.keys import DeviceKeys

    settings, paths = load_config(Path(args.state) if args.state else None)
    setup_logging(paths.logs)
    keys = DeviceKeys(paths.keys, sealing=settings.crypto.key_sealing, tcti=settings.crypto.tpm_tcti,
                      profile=settings.crypto.profile)
    outbox = Outbox(paths.outbox, keys.cipher())
    try:
        receipts: list[dict[str, Any]] = []
        if args.action == "restore":
            if not args.quarantine_id or not args.to:
                raise UserFacingError("用法：outbox restore 隔离编号 --to 目录", code="usage")
            restored = outbox.restore_quarantined(args.quarantine_id, Path(args.to))
            print(json.dumps({"restored": str(restored)}, ensure_ascii=False) if args.json else f"已解密到 {restored}")
            return 0
        if args.action == "flush":
            if not outbox.owner:
                raise UserFacingError("终端程序正在运行并负责上传，请在技术人员界面中点击“立即上传”",
                                      detail="outbox owner.lock held by another process", code="busy")
            url = args.platform or settings.platform.url
            if not url:
                raise UserFacingError("未配置中心平台地址：请用 --platform URL 指定或在配置文件中填写 platform.url",
                                      code="no_platform")
            client = PlatformClient(url, settings.platform, keys, settings.kiosk_id, paths.keys)
            try:
                client.ensure_enrolled(None)
                outbox.retry_failed()
                up = Uploader(outbox, client, retention_days=settings.session.retention_days)
                receipts = [r.to_json() for r in up.drain_until_done(FLUSH_TIMEOUT_S)]
            finally:
                client.close()
        status = outbox.status()
        items = [{"package_id": i.package_id, "case_no": i.case_no, "state": i.state, "attempts": i.attempts,
                  "reason": i.reason} for i in outbox.items()]
        status["quarantine"] = outbox.quarantined()
    finally:
        outbox.close()
    if args.json:
        out: dict[str, Any] = {"status": status, "items": items}
        if args.action == "flush":
            out["uploaded"] = receipts
        print(json.dumps(out, ensure_ascii=False))
    else:
        if args.action == "flush":
            print(f"本次上传 {len(receipts)} 个证据包")
        _print_status(status, items)
    if args.action == "flush" and status["depth"]:
        reason = (status.get("last_error") or {}).get("reason") or "平台暂时无法访问"
        print(f"bdc-kiosk outbox: 仍有 {status['depth']} 个证据包未上传：{reason}", file=sys.stderr)
        return 1
    return 0
