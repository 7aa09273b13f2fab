"""`python main.py doctor [--json]`: can this machine run the kiosk, and if not, what to do.

It checks the environment (Python, Qt, OpenCV, PortAudio, a CJK font, the Vosk model), every
device kind (what was found, its state, the fix for common failures) and whether the
platform answers. Each check runs alone and a failing one never hides the others. The exit
status is 0 whenever the checks could run; problems are in the output (`"ok": false`).
Qt is looked up through package metadata only: `kiosk` never imports PySide6.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import logging
import platform as _platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, Settings, StatePaths, load_config

log = logging.getLogger(__name__)

_KIND_ZH = {"camera": "摄像头", "microphone": "麦克风", "idcard": "身份证读卡器", "signpad": "签字板"}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    fix: str = ""


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def check_python() -> Check:
    ok = sys.version_info >= (3, 10)
    return Check("python", ok, f"Python {_platform.python_version()} ({sys.platform}, {_platform.machine()})",
                 "" if ok else "需要 Python 3.10 或更新版本")


def check_qt() -> Check:
    ver = _version("PySide6-Essentials") or _version("PySide6")
    found = importlib.util.find_spec("PySide6") is not None
    if ver and found:
        return Check("qt", True, f"PySide6 {ver}")
    return Check("qt", False, "未安装 PySide6（界面无法启动）", "重新安装本软件，或执行 pip install PySide6-Essentials")


def check_opencv() -> Check:
    try:
        import cv2
    except ImportError as exc:
        return Check("opencv", False, f"OpenCV 无法导入：{exc}", "重新安装本软件（opencv-python-headless）")
    return Check("opencv", True, f"OpenCV {cv2.__version__}")


def check_portaudio() -> Check:
    try:
        import sounddevice
    except (OSError, ImportError) as exc:
        from devices.audio.portaudio import PORTAUDIO_FIX

        return Check("portaudio", False, f"PortAudio 不可用：{exc}", PORTAUDIO_FIX)
    return Check("portaudio", True, str(sounddevice.get_portaudio_version()[1]))


def check_font() -> Check:
    from kiosk.fonts import INSTALL_HINT, find_cjk_font

    screen = find_cjk_font()
    pdf = find_cjk_font(truetype_only=True)
    if screen is None:
        return Check("cjk_font", False, "未找到中文字体，界面文字会显示为方框", INSTALL_HINT)
    if pdf is None:
        return Check("cjk_font", False, f"中文字体 {screen} 不能嵌入PDF（需要 TrueType）", INSTALL_HINT)
    return Check("cjk_font", True, f"中文字体：{pdf}")


def check_audit(paths: StatePaths) -> Check:
    from kiosk.security.device_audit import FILE_NAME, check_device_audit

    problems = check_device_audit(paths.logs / FILE_NAME)
    if problems:
        return Check("device_audit", False, "终端审计日志被改动：" + problems[0], "保留现场，联系安全管理员")
    return Check("device_audit", True, "终端审计日志哈希链完整")


def check_key_sealing(settings: Settings, paths: StatePaths) -> Check:
    from kiosk.security.keys import DeviceKeys, sealing_report

    keys = DeviceKeys(paths.keys, sealing=settings.crypto.key_sealing, tcti=settings.crypto.tpm_tcti,
                      profile=settings.crypto.profile)
    r = sealing_report(keys.sealing)
    return Check("key_sealing", bool(r["ok"]), str(r["detail"]), str(r.get("fix", "")))


def check_vosk_model(settings: Settings, paths: StatePaths) -> Check:
    configured = Path(settings.speech.model_path) if settings.speech.model_path \
        else paths.models / "vosk-model-small-cn-0.22"
    fix = f"python main.py models install <vosk-model-small-cn-0.22.zip 的路径或网址> --state {paths.root}"
    try:
        from kiosk.speech.models import model_status

        rows = [r for r in model_status(paths.models, configured) if r.get("configured")]
        problem = rows[0]["problem"] if rows else "not found"
        ok = bool(rows and rows[0]["ok"])
    except ImportError:
        ok = configured.is_dir() and any((configured / d).is_dir() for d in ("am", "conf"))
        problem = "" if ok else "missing"
    if ok:
        return Check("vosk_model", True, f"语音模型：{configured}")
    return Check("vosk_model", False, f"语音模型缺失（{configured}：{problem}）", fix)


def check_face_engine(settings: Settings, root: Path | None = None) -> Check:
    """The face engine that will decide, its models' sha256, and the fallback if one is off."""
    from kiosk.identity.engine import engine_state

    st = engine_state(settings.identity, root)
    if st["ok"]:
        shas = "，".join(f"{r['model']} sha256 {r['sha256'][:12]}…" for r in st["models"])
        return Check("face_engine", True, f"人脸引擎：{st['effective']}（阈值 {st['threshold']}；{shas}）")
    fix = "重新安装本软件以恢复 resources/models/face 中的模型文件"
    if st["effective"] == "none":
        return Check("face_engine", False, "人脸检测模型不可用，无法进行人脸核验：" + "；".join(st["problems"]), fix)
    return Check("face_engine", False, f"人脸引擎 {st['configured']} 不可用，将改用 {st['effective']} 引擎比对："
                 + "；".join(st["problems"]), fix)


def check_platform(settings: Settings) -> Check:
    url = settings.platform.url
    if not url:
        return Check("platform", True, "未配置中心平台地址（离线/演示）",
                     "正式使用前在设置中填写 platform.url")
    import requests

    health = url.rstrip("/") + "/v1/health"
    verify: bool | str = settings.platform.ca_bundle or True
    try:
        resp = requests.get(health, timeout=3, verify=verify)
    except requests.exceptions.SSLError as exc:
        return Check("platform", False, f"平台证书校验失败：{health}",
                     f"检查 platform.ca_bundle 与系统时间（{type(exc).__name__}）")
    except requests.RequestException as exc:
        return Check("platform", False, f"无法连接中心平台：{health}（{type(exc).__name__}）",
                     "检查网络连接、防火墙与 platform.url")
    if resp.status_code != 200:
        return Check("platform", False, f"平台返回 HTTP {resp.status_code}：{health}", "联系平台管理员")
    return Check("platform", True, f"中心平台可访问：{health}")


def check_devices(settings: Settings | None) -> dict[str, dict[str, Any]]:
    from devices.probe import Prober

    probes = Prober().probe()
    choices = settings.devices.model_dump() if settings is not None else {}
    out: dict[str, dict[str, Any]] = {}
    for kind, probe in probes.items():
        row = probe.as_dict()
        choice = str(choices.get(kind, "auto"))
        row["configured"] = choice
        if choice == "sim":
            row["ok"] = True
            row["notes"].append("配置为模拟设备（仅用于演示/测试）")
        elif kind == "signpad" and choice == "screen":
            row["ok"] = True
            row["notes"].append("配置为屏幕手写")
        out[kind] = row
    return out


def run_checks(state: str | None = None, config: str | None = None) -> dict[str, Any]:
    """Everything doctor reports, as one JSON-able dict."""
    checks: list[Check] = []
    settings: Settings | None
    paths: StatePaths | None
    try:
        settings, paths = load_config(Path(state) if state else None, Path(config) if config else None)
        checks.append(Check("config", True, str(paths.config)))
    except ConfigError as exc:
        checks.append(Check("config", False, exc.message, "按提示修改配置文件"))
        settings, paths = Settings(), None
    for fn in (check_python, check_qt, check_opencv, check_portaudio, check_font):
        checks.append(_guarded(fn.__name__, fn))
    checks.append(_guarded("face_engine", lambda: check_face_engine(settings)))  # type: ignore[arg-type]
    if paths is not None:
        checks.append(_guarded("vosk_model", lambda: check_vosk_model(settings, paths)))  # type: ignore[arg-type]
        checks.append(_guarded("device_audit", lambda: check_audit(paths)))  # type: ignore[arg-type]
        checks.append(_guarded("key_sealing", lambda: check_key_sealing(settings, paths)))  # type: ignore[arg-type]
    checks.append(_guarded("platform", lambda: check_platform(settings)))  # type: ignore[arg-type]
    try:
        devices = check_devices(settings)
    except Exception as exc:  # noqa: BLE001 - doctor reports, it does not crash
        log.exception("device probe failed")
        devices = {k: {"kind": k, "found": [], "state": "failed", "ok": False, "message": f"检测失败：{exc!r}",
                       "fix": "查看技术日志", "notes": [], "configured": "?"} for k in _KIND_ZH}
    ok = all(c.ok for c in checks) and all(d["ok"] for d in devices.values())
    return {"ok": ok, "checks": [asdict(c) for c in checks], "devices": devices}


def _guarded(name: str, fn: Any) -> Check:
    try:
        return fn()  # type: ignore[no-any-return]
    except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
        log.exception("doctor check %s failed", name)
        return Check(name.removeprefix("check_"), False, f"检查出错：{exc!r}", "查看技术日志")


def _print_text(report: dict[str, Any]) -> None:
    print("bdc-kiosk 自检" + ("：全部正常" if report["ok"] else "：发现问题"))
    print("\n环境")
    for c in report["checks"]:
        print(f"  {'✓' if c['ok'] else '✗'} {c['name']:<11} {c['detail']}")
        if not c["ok"] and c["fix"]:
            print(f"      处理：{c['fix']}")
    print("\n设备")
    for kind, d in report["devices"].items():
        found = "、".join(f["name"] for f in d["found"]) or "无"
        print(f"  {'✓' if d['ok'] else '✗'} {_KIND_ZH.get(kind, kind)}（配置 {d['configured']}）：{d['message']}")
        print(f"      发现：{found}")
        for n in d["notes"]:
            print(f"      {n}")
        if not d["ok"] and d["fix"]:
            print(f"      处理：{d['fix']}")


def cmd_doctor(args: argparse.Namespace) -> int:
    report = run_checks(getattr(args, "state", None), getattr(args, "config", None))
    if getattr(args, "json", False):
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print_text(report)
    return 0
