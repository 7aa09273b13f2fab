"""Typed settings (TOML): every field with default, bounds and description.

Where files live: `--state DIR` puts all local data under DIR; otherwise platformdirs' user
data dir. The config file is `<state>/config.toml` unless `--config PATH` names another.
`load_config` collects every error at once (`ConfigError.problems`), each naming the key,
what is wrong and what is allowed.
"""
from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.errors import UserFacingError
from kiosk.files import write_private
from kiosk.texts import QT_TRANSLATE_NOOP, Clause, cut_clause, fmt, joined

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCHEMA_VERSION = 1


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class PlatformSettings(_Section):
    url: str = Field("", description=QT_TRANSLATE_NOOP("kiosk", "中心平台地址，如 https://bdc.example.gov.cn/kiosk-api；空表示离线/演示"))
    ca_bundle: str = Field("", description=QT_TRANSLATE_NOOP("kiosk", "校验平台证书的CA文件（PEM）；空表示系统CA"))
    pin_sha256: str = Field("", pattern=r"^([0-9a-f]{64})?$", description=QT_TRANSLATE_NOOP("kiosk", "可选：平台证书公钥SHA-256指纹（证书固定）"))
    timeout_s: float = Field(15.0, ge=1, le=300, description=QT_TRANSLATE_NOOP("kiosk", "每次请求的超时（秒）"))
    heartbeat_s: int = Field(60, ge=10, le=3600, description=QT_TRANSLATE_NOOP("kiosk", "心跳间隔（秒）"))
    part_size_mb: int = Field(8, ge=1, le=64, description=QT_TRANSLATE_NOOP("kiosk", "分片上传每片大小（MB）"))

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return check_platform_url(v)


def check_platform_url(url: str) -> str:
    """An http(s) address with a host, or empty; never with a user name or password in it
    (the address is written into logs and the device audit)."""
    import urllib.parse

    url = url.strip()
    if not url:
        return url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(QT_TRANSLATE_NOOP("kiosk", "平台地址应以 https:// （或测试用的 http://）开头"))
    if not parts.hostname:
        raise ValueError(QT_TRANSLATE_NOOP("kiosk", "平台地址缺少主机名"))
    if parts.username or parts.password:
        raise ValueError(QT_TRANSLATE_NOOP("kiosk", "平台地址不能包含用户名或密码"))
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        raise ValueError(QT_TRANSLATE_NOOP("kiosk", "平台地址的端口号不对")) from None
    if parts.query or parts.fragment:
        raise ValueError(QT_TRANSLATE_NOOP("kiosk", "平台地址不能带 ? 或 # 之后的部分"))
    return url


class DeviceSettings(_Section):
    camera: str = Field("auto", description=QT_TRANSLATE_NOOP("kiosk", "摄像头：auto、sim 或设备序号/路径"))
    camera_width: int = Field(640, ge=160, le=3840, description=QT_TRANSLATE_NOOP("kiosk", "采集宽度（像素）"))
    camera_height: int = Field(480, ge=120, le=2160, description=QT_TRANSLATE_NOOP("kiosk", "采集高度（像素）"))
    camera_fps: int = Field(25, ge=5, le=60, description=QT_TRANSLATE_NOOP("kiosk", "采集帧率"))
    microphone: str = Field("auto", description=QT_TRANSLATE_NOOP("kiosk", "麦克风：auto、sim 或设备名"))
    idcard: str = Field("auto", description=QT_TRANSLATE_NOOP("kiosk", "身份证读卡器：auto、sim、sdtapi、termb、serial:/dev/ttyUSB0"))
    signpad: str = Field("auto", description=QT_TRANSLATE_NOOP("kiosk", "签字板：auto、sim、wacom、hanvon、screen（屏幕手写）"))


class IdentitySettings(_Section):
    engine: Literal["openvino", "dlib"] = Field(
        "openvino", description=QT_TRANSLATE_NOOP("kiosk", "人脸比对引擎：openvino（face-reidentification-retail-0095）或 dlib"))
    # both thresholds: East-Asian calibration, ≤ 0.5 % same-gender false accepts (docs/face-calibration.md)
    openvino_threshold: float = Field(0.47, ge=0.2, le=0.95,
                                      description=QT_TRANSLATE_NOOP("kiosk", "openvino 引擎余弦相似度阈值（越大越严格）"))
    match_threshold: float = Field(0.436, ge=0.2, le=0.8, description=QT_TRANSLATE_NOOP("kiosk", "dlib 引擎1:1比对距离阈值（越小越严格）"))
    frames_for_decision: int = Field(3, ge=1, le=15, description=QT_TRANSLATE_NOOP("kiosk", "判定所用合格帧数"))
    min_face_px: int = Field(80, ge=40, le=600, description=QT_TRANSLATE_NOOP("kiosk", "合格人脸最小宽度（像素）"))
    liveness_action_timeout_s: float = Field(8.0, ge=2, le=30, description=QT_TRANSLATE_NOOP("kiosk", "每个活体动作的时限（秒）"))
    presence_min_share: float = Field(0.8, ge=0.1, le=1.0, description=QT_TRANSLATE_NOOP("kiosk", "录像期间本人在场的最低比例"))
    presence_sample_hz: float = Field(1.0, ge=0.2, le=10.0, description=QT_TRANSLATE_NOOP("kiosk", "录像期间在场检测的采样频率（次/秒）"))
    face_capture_timeout_s: float = Field(20.0, ge=5, le=120, description=QT_TRANSLATE_NOOP("kiosk", "每次比对采集合格人脸的时限（秒）"))


class SpeechSettings(_Section):
    model_path: str = Field("", description=QT_TRANSLATE_NOOP("kiosk", "Vosk中文模型目录；空表示状态目录下 models/vosk-model-small-cn-0.22"))
    min_coverage: float = Field(0.85, ge=0.3, le=1.0, description=QT_TRANSLATE_NOOP("kiosk", "陈述核对通过的最低覆盖率"))
    tts: bool = Field(True, description=QT_TRANSLATE_NOOP("kiosk", "语音播报"))


class RecordingSettings(_Section):
    crf: int = Field(27, ge=18, le=35, description=QT_TRANSLATE_NOOP("kiosk", "H.264 CRF 质量"))
    keyframe_s: float = Field(1.0, ge=0.5, le=2.0, description=QT_TRANSLATE_NOOP("kiosk", "关键帧间隔（秒）"))
    max_dropped_share: float = Field(0.01, ge=0, le=0.2, description=QT_TRANSLATE_NOOP("kiosk", "允许丢帧比例"))
    max_av_offset_ms: float = Field(40, ge=0, le=500, description=QT_TRANSLATE_NOOP("kiosk", "允许音画偏差（毫秒）"))
    min_audio_dbfs: float = Field(-45, ge=-90, le=-6, description=QT_TRANSLATE_NOOP("kiosk", "录音讲话音量下限（dBFS，最响5%的100毫秒段）"))
    max_stream_gap_ms: float = Field(500, ge=40, le=5000, description=QT_TRANSLATE_NOOP("kiosk", "声音与画面结束时间允许相差（毫秒）"))
    min_duration_s: float = Field(1.0, ge=0, le=600, description=QT_TRANSLATE_NOOP("kiosk", "录像最短时长（秒）"))


class SessionSettings(_Section):
    idle_timeout_s: int = Field(120, ge=15, le=1800, description=QT_TRANSLATE_NOOP("kiosk", "无操作超时（秒），倒计时后结束会话"))
    idle_countdown_s: int = Field(15, ge=5, le=120, description=QT_TRANSLATE_NOOP("kiosk", "超时前倒计时（秒）"))
    min_free_disk_mb: int = Field(2048, ge=100, le=1_000_000, description=QT_TRANSLATE_NOOP("kiosk", "开始会话所需最小剩余磁盘（MB）"))
    retention_days: int = Field(30, ge=0, le=3650, description=QT_TRANSLATE_NOOP("kiosk", "平台回执后本地保留天数"))


class CryptoSettings(_Section):
    profile: Literal["gm", "intl"] = Field("gm", description=QT_TRANSLATE_NOOP("kiosk", "本机数据加密：gm（SM4-GCM，商用密码）或 intl（AES-256-GCM）"))
    key_sealing: Literal["auto", "tpm2", "dpapi", "none"] = Field(
        "auto", description=QT_TRANSLATE_NOOP("kiosk", "密钥封存：auto（有TPM 2.0/DPAPI则用）、tpm2、dpapi、none（不封存）"))
    tpm_tcti: str = Field("", description=QT_TRANSLATE_NOOP("kiosk", "TPM 连接（tpm2-tools TCTI），空表示 /dev/tpmrm0"))


class UiSettings(_Section):
    language: Literal["zh_CN", "en"] = Field("zh_CN", description=QT_TRANSLATE_NOOP("kiosk", "界面语言"))
    customer_screen: int = Field(1, ge=0, le=8, description=QT_TRANSLATE_NOOP("kiosk", "柜台模式客户屏的屏幕序号"))
    font_pt: int = Field(26, ge=20, le=48, description=QT_TRANSLATE_NOOP("kiosk", "正文字号（磅）"))


class Settings(_Section):
    schema_version: int = Field(SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION, description=QT_TRANSLATE_NOOP("kiosk", "配置格式版本"))
    kiosk_id: str = Field("LH-KIOSK-0001", pattern=r"^[A-Za-z0-9\-]{3,40}$", description=QT_TRANSLATE_NOOP("kiosk", "终端编号"))
    platform: PlatformSettings = PlatformSettings()
    devices: DeviceSettings = DeviceSettings()
    identity: IdentitySettings = IdentitySettings()
    speech: SpeechSettings = SpeechSettings()
    recording: RecordingSettings = RecordingSettings()
    session: SessionSettings = SessionSettings()
    crypto: CryptoSettings = CryptoSettings()
    ui: UiSettings = UiSettings()


class ConfigError(UserFacingError):
    def __init__(self, source: str, problems: list[str]) -> None:
        text = fmt(QT_TRANSLATE_NOOP("kiosk", "配置文件有误（{source}）：\n{problems}"), source=source,
                   problems="\n".join(f"  - {p}" for p in problems))
        super().__init__(text, code="bad_config")
        self.problems = problems


# what pydantic's error types mean, in words a technician reads
_TOO_SMALL = QT_TRANSLATE_NOOP("kiosk", "数值太小")
_TOO_LARGE = QT_TRANSLATE_NOOP("kiosk", "数值太大")
_INTEGER = QT_TRANSLATE_NOOP("kiosk", "应为整数")
_NUMBER = QT_TRANSLATE_NOOP("kiosk", "应为数字")
_BOOL = QT_TRANSLATE_NOOP("kiosk", "应为 true 或 false")
_SECTION = QT_TRANSLATE_NOOP("kiosk", "应为一节设置（[节名]）")
_PROBLEMS = {
    "greater_than_equal": _TOO_SMALL, "greater_than": _TOO_SMALL, "less_than_equal": _TOO_LARGE,
    "less_than": _TOO_LARGE, "literal_error": QT_TRANSLATE_NOOP("kiosk", "不是可选的取值"),
    "string_pattern_mismatch": QT_TRANSLATE_NOOP("kiosk", "格式不对"),
    "int_parsing": _INTEGER, "int_type": _INTEGER, "int_from_float": _INTEGER,
    "float_parsing": _NUMBER, "float_type": _NUMBER, "string_type": QT_TRANSLATE_NOOP("kiosk", "应为文字"),
    "bool_parsing": _BOOL, "bool_type": _BOOL, "missing": QT_TRANSLATE_NOOP("kiosk", "缺少此项"),
    "model_type": _SECTION, "dict_type": _SECTION,
}
_LIST_SEP = QT_TRANSLATE_NOOP("kiosk", "、")


def _field(loc: tuple[Any, ...]) -> Any:
    """The schema's FieldInfo for the key at `loc`, or None."""
    model: Any = Settings
    info = None
    for part in loc:
        info = getattr(model, "model_fields", {}).get(str(part))
        if info is None:
            return None
        model = info.annotation
    return info


def _describe(err: dict[str, Any]) -> str:
    loc = tuple(err.get("loc", ()))
    key = ".".join(str(p) for p in loc)
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if typ == "extra_forbidden":
        return fmt(QT_TRANSLATE_NOOP("kiosk", "{key}: 未知的配置项（拼写错误？）"), key=key)
    if isinstance(got, str):  # a password typed into an address is not repeated back (nor logged)
        got = re.sub(r"(://)[^/@\s]*@", r"\1***@", got)
    info = _field(loc)
    description = getattr(info, "description", "") or ""
    where: str = fmt(QT_TRANSLATE_NOOP("kiosk", "{name}（{key}）"), name=Clause(description), key=key) \
        if cut_clause(description) else key
    bounds = {k: getattr(m, k) for m in getattr(info, "metadata", ()) for k in ("ge", "le") if hasattr(m, k)}
    allowed: str = ""
    if typ in ("greater_than_equal", "greater_than", "less_than_equal", "less_than") or \
            (bounds and typ in ("int_parsing", "float_parsing", "int_from_float")):
        allowed = fmt(QT_TRANSLATE_NOOP("kiosk", "允许范围 {low}…{high}"),
                      low=bounds.get("ge", ctx.get("ge", "")), high=bounds.get("le", ctx.get("le", "")))
    elif "expected" in ctx:
        allowed = fmt(QT_TRANSLATE_NOOP("kiosk", "允许值 {values}"),
                      values=joined(_LIST_SEP, str(ctx["expected"]).split(" or ")))
    elif "pattern" in ctx:
        allowed = fmt(QT_TRANSLATE_NOOP("kiosk", "格式 {pattern}"), pattern=ctx["pattern"])
    if typ == "value_error" and ctx.get("error") is not None:
        problem = str(ctx["error"])  # one of the marked texts of the validators above
    else:
        problem = _PROBLEMS.get(typ, str(err.get("msg", "")))
    if allowed:
        return fmt(QT_TRANSLATE_NOOP("kiosk", "{where}: {problem}（当前值 {got}，{allowed}）"),
                   where=where, problem=problem, got=repr(got), allowed=allowed)
    return fmt(QT_TRANSLATE_NOOP("kiosk", "{where}: {problem}（当前值 {got}）"), where=where, problem=problem,
               got=repr(got))


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older config dict to SCHEMA_VERSION (no older versions exist yet)."""
    data.setdefault("schema_version", SCHEMA_VERSION)
    return data


def parse_settings(data: dict[str, Any], source: str = "<memory>") -> Settings:
    try:
        return Settings.model_validate(migrate(dict(data)))
    except ValidationError as exc:
        raise ConfigError(source, [_describe(dict(e)) for e in exc.errors()]) from None


@dataclass(frozen=True)
class StatePaths:
    """Where every piece of local data lives, under one root."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def platform_data(self) -> Path:
        return self.root / "platform"

    def ensure(self) -> StatePaths:
        """Create the tree and make it owner-only: directories 0700, files 0600. What an installer
        or an older version left looser (logs/, models/, audit.jsonl, intake.enc at 0755/0644) is
        tightened here; what the kiosk writes from now on is created private (main.py's umask)."""
        for p in (self.root, self.logs, self.outbox, self.keys, self.sessions, self.models):
            p.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix":
            # config.toml is not tightened: a file others could write is refused by `load_config`
            # (it may have been pointed at a rogue platform), not quietly made private
            tighten_tree(self.root, skip={str(self.config)})
        return self


def tighten_tree(root: Path, skip: set[str] | None = None) -> None:
    """Drop group and other permissions below `root` (symlinks are left alone)."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name, private in [(dirpath, 0o700)] + [(os.path.join(dirpath, f), 0o600) for f in filenames]:
            if skip and name in skip:
                continue
            try:
                st = os.lstat(name)
                if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o077:
                    os.chmod(name, stat.S_IMODE(st.st_mode) & private | (0o700 if name == dirpath else 0))
            except OSError:
                pass
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]


def default_state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("bdc-kiosk", "luohe-bdc"))


def _writable_by_others(path: Path) -> str | None:
    """Why a config file that group or others may write is not trusted: whoever edits it chooses
    the platform address and the CA that vouches for it, i.e. can send the kiosk to a rogue platform."""
    if os.name != "posix":
        return None
    mode = path.stat().st_mode & 0o777
    if mode & 0o022:
        return f"文件权限 {mode:o} 允许其他用户修改（可被改成冒充的平台地址或CA），请技术人员执行 chmod 600 {path}"
    return None


def load_config(state: Path | None = None, config_path: Path | None = None) -> tuple[Settings, StatePaths]:
    paths = StatePaths(Path(state) if state else default_state_dir()).ensure()
    path = Path(config_path) if config_path else paths.config
    if not path.exists():
        if config_path:
            raise ConfigError(str(path), ["文件不存在"])
        return Settings(), paths
    loose = _writable_by_others(path)
    if loose:
        raise ConfigError(str(path), [loose])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"不是有效的TOML：{exc}"]) from None
    return parse_settings(data, str(path)), paths


def save_config(settings: Settings, path: Path) -> None:
    """Write `settings` to `path` atomically (0600). A file already there is edited in place —
    only the values that differ change; its comments, order and layout stay — unless it is
    not readable TOML, in which case it is written whole from the model."""
    data = settings.model_dump(mode="json")
    text: str | None = None
    if path.exists():
        try:
            text = _edit_in_place(path.read_text(encoding="utf-8"), data)
        except Exception:  # noqa: BLE001 - an unreadable old file is replaced by a clean one
            text = None
    if text is None:
        import tomli_w

        text = tomli_w.dumps(data)
    write_private(path, text.encode("utf-8"))


def _edit_in_place(old_text: str, data: dict[str, Any]) -> str:
    """`old_text` with each value that `data` changes set; a key the file leaves out keeps
    being left out while it stays at the value the file already means (its default)."""
    import tomlkit

    doc = tomlkit.parse(old_text)
    meant = Settings.model_validate(migrate(dict(doc.unwrap()))).model_dump(mode="json")

    def merge(table: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
        for key, value in after.items():
            if before.get(key) == value:
                continue
            if isinstance(value, dict):
                if key not in table:
                    table[key] = tomlkit.table()
                merge(table[key], before.get(key) or {}, value)
            else:
                table[key] = value

    merge(doc, meant, data)
    return tomlkit.dumps(doc)


def describe_schema() -> list[tuple[str, str, str]]:
    """(key, default, description) for every field: the reference table in the docs."""
    rows: list[tuple[str, str, str]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, f in model.model_fields.items():
            ann = f.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{name}.")
            else:
                rows.append((prefix + name, repr(f.default), f.description or ""))

    walk(Settings, "")
    return rows
