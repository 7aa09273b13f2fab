"""What the technician takes away: a masked log archive and the self-test report PDF.

Qt-free so it can be tested without a screen. Logs are already masked when written
(`kiosk.logs.MaskingFilter`); the export masks every line again with the current session's
secrets and the ID/phone patterns, so an archive made from an older or foreign log file
still carries no raw ID number.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from kiosk.privacy import SECRETS
from kiosk.texts import QT_TRANSLATE_NOOP, fmt
from kiosk.usbdrives import ExportError, deliver


def export_logs(log_dir: Path, out_dir: Path) -> Path:
    """Zip every log file under `log_dir` into `out_dir`, each line masked. Returns the zip path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = out_dir / f"logs-{stamp}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in log_dir.rglob("*") if p.is_file()):
            text = path.read_text(encoding="utf-8", errors="replace")
            masked = "\n".join(SECRETS.scrub(line) for line in text.splitlines())
            zf.writestr(str(path.relative_to(log_dir)), masked + ("\n" if masked else ""))
    target.chmod(0o600)
    return target


def send(local: Path, drive: Path | None, progress: Any = None) -> Path:
    """Hand a finished export over: `drive` None keeps it in the data dir; otherwise it is copied
    onto the drive whole (or not at all) and the local copy removed. If the copy fails, the
    local file stays and the message says where."""
    if drive is None:
        return local
    try:
        copy = deliver(local, drive, progress=progress)
    except ExportError as exc:
        raise ExportError(fmt(QT_TRANSLATE_NOOP("kiosk", "{problem}\n文件仍保存在本机：{path}"), problem=exc.message,
                              path=str(local)), detail=exc.detail) from None
    local.unlink(missing_ok=True)
    return copy


def selftest_pdf(out_dir: Path, kiosk_id: str, version: str, checks: list[dict[str, Any]],
                 settings_rows: list[tuple[str, str]]) -> Path:
    """A one-to-two page report of the device tests, for the maintenance file."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    try:
        from kiosk.fonts import register_reportlab_font

        font = register_reportlab_font()
    except Exception:  # noqa: BLE001 - without a CJK font the report still comes out, in Latin only
        font = "Helvetica"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now()
    target = out_dir / f"selftest-{stamp.strftime('%Y%m%d-%H%M%S')}.pdf"
    c = canvas.Canvas(str(target), pagesize=A4)
    w, h = A4
    y = h - 60

    def line(text: str, size: int = 11, dy: int = 18) -> None:
        nonlocal y
        if y < 60:
            c.showPage()
            y = h - 60
        c.setFont(font, size)
        c.drawString(50, y, text)
        y -= dy

    line("不动产登记双录签名终端 自检报告 / Self-test report", 16, 28)
    line(f"终端编号 Kiosk: {kiosk_id}    软件版本 Version: {version}")
    line(f"时间 Time: {stamp.isoformat(timespec='seconds')}", dy=28)
    line("设备检测 Devices", 13, 22)
    for check in checks:
        mark = "通过 PASS" if check.get("ok") else "失败 FAIL"
        line(f"  [{mark}] {check.get('name', '')}: {SECRETS.scrub(str(check.get('detail', '')))}")
    y -= 10
    line("参数 Settings", 13, 22)
    for key, value in settings_rows:
        line(f"  {key} = {value}", 10, 15)
    c.showPage()
    c.save()
    return target
