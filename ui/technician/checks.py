"""What the technician can check before saving a setting: that the platform answers at an
address, and that a folder holds a Vosk model. Qt-free; run off the GUI thread by the tabs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.config import PlatformSettings
from kiosk.errors import UserFacingError

VOSK_DIRS = ("am", "conf", "graph")


def vosk_model_problem(path: Path) -> str:
    """"" when `path` looks like a Vosk model (its am/, conf/ and graph/ folders are there),
    else what is wrong, in plain Chinese."""
    if not path.exists():
        return f"目录不存在：{path}"
    if not path.is_dir():
        return f"不是目录：{path}"
    missing = [d for d in VOSK_DIRS if not (path / d).is_dir()]
    if missing:
        return f"不像 Vosk 语音模型：缺少 {'、'.join(m + '/' for m in missing)}（应有 am/、conf/、graph/）"
    return ""


def check_vosk_model(path: Path) -> Path:
    """`path` when it looks like a Vosk model, else a `UserFacingError` saying what is missing."""
    problem = vosk_model_problem(path)
    if problem:
        raise UserFacingError(problem, code="bad_model")
    return path


def check_platform(platform: PlatformSettings, *, keys: Any, kiosk_id: str, keys_dir: Path) -> dict[str, Any]:
    """Ask the platform at `platform.url` for its health, as the kiosk itself would ask
    (same client: its CA file, certificate pin and timeouts). A `PlatformError` says why not."""
    from kiosk.platform.client import PlatformClient, PlatformError

    client = PlatformClient(platform.url, platform, keys, kiosk_id, keys_dir)
    try:
        return client.health()
    except PlatformError as exc:
        raise UserFacingError("连接失败：" + why_unreachable(exc), detail=exc.detail, code="platform_test") from None
    finally:
        client.close()


# what the network error says → what the technician checks next
_CAUSES = (
    ("Connection refused", "对方拒绝连接（地址或端口不对，或平台服务未启动）"),
    ("Name or service not known", "域名无法解析（检查地址拼写和本机 DNS）"),
    ("NameResolutionError", "域名无法解析（检查地址拼写和本机 DNS）"),
    ("getaddrinfo", "域名无法解析（检查地址拼写和本机 DNS）"),
    ("CERTIFICATE_VERIFY_FAILED", "平台证书校验失败（检查CA文件或证书固定）"),
    ("SSLError", "加密连接失败（检查CA文件、证书固定或是否应为 https://）"),
    ("timed out", "连接超时（检查网络、防火墙或代理）"),
    ("Timeout", "连接超时（检查网络、防火墙或代理）"),
    ("No route to host", "网络不通（检查网线和网关）"),
    ("Network is unreachable", "网络不通（检查网线和网关）"),
)


def why_unreachable(exc: Any) -> str:
    detail = str(getattr(exc, "detail", ""))
    status = int(getattr(exc, "status", 0) or 0)
    if status:
        return f"平台返回 HTTP {status}（地址路径可能不对）"
    for needle, why in _CAUSES:
        if needle in detail:
            return why
    return str(getattr(exc, "message", exc))
