"""Installing and inspecting speech models under `<state>/models`.

A model arrives as a zip or tar archive (as published), a directory (copied from a USB
stick), or an http(s) URL of an archive on the centre's own server. It is unpacked next to
its final place, checked (sha256 of the archive when the operator gives it; a folder's hash
is the sha256 of its sorted "relative-path sha256-of-file" lines), proven to load and decode
with Vosk, and only then moved into place with a rename, so a kiosk never sees half a model.
No sha256 for vosk-model-small-cn-0.22 is published next to the download, so the operator
passes the one their centre computed and distributed (`--sha256`).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.errors import UserFacingError
from kiosk.texts import QT_TRANSLATE_NOOP

DEFAULT_MODEL_NAME = "vosk-model-small-cn-0.22"
INSTALL_RECORD = ".bdc-install.json"


class ModelInstallError(UserFacingError):
    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message, detail=detail, code="model_install")


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    sha256: str
    sha256_checked: bool
    source: str
    words_checked: dict[str, bool]
    load_s: float

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "sha256": self.sha256,
                "sha256_checked": self.sha256_checked, "source": self.source,
                "words_checked": self.words_checked, "load_s": round(self.load_s, 2)}


def default_model_dir(model_path: str, models_root: Path) -> Path:
    """The configured model directory: `speech.model_path`, else the default name under models/."""
    return Path(model_path) if model_path else models_root / DEFAULT_MODEL_NAME


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_sha256(root: Path) -> str:
    """Hash of a model folder: independent of file times and of the order the OS lists files."""
    lines = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != INSTALL_RECORD:
            lines.append(f"{p.relative_to(root).as_posix()} {file_sha256(p)}\n")
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _safe_member(name: str) -> bool:
    pp = PurePosixPath(name.replace("\\", "/"))
    return not pp.is_absolute() and ".." not in pp.parts and not (pp.parts and ":" in pp.parts[0])


def _extract(archive: Path, dest: Path) -> None:
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            bad = [n for n in z.namelist() if not _safe_member(n)]
            if bad:
                raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "模型压缩包包含不安全的路径，已拒绝安装"), detail=f"unsafe members: {bad[:3]}")
            z.extractall(dest)
        return
    if tarfile.is_tarfile(archive):
        with tarfile.open(archive) as t:
            members = t.getmembers()
            bad = [m.name for m in members if not _safe_member(m.name) or m.issym() or m.islnk() or m.isdev()]
            if bad:
                raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "模型压缩包包含不安全的路径或链接，已拒绝安装"), detail=f"unsafe members: {bad[:3]}")
            t.extractall(dest, members=members, filter="data") if hasattr(tarfile, "data_filter") \
                else t.extractall(dest, members=members)
        return
    raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "无法识别的模型文件：应为 zip 或 tar 压缩包，或模型文件夹"), detail=f"{archive}")


def _find_model_root(staged: Path) -> Path:
    if (staged / "am" / "final.mdl").is_file():
        return staged
    candidates = [p.parent.parent for p in staged.rglob("am/final.mdl")]
    if len(candidates) != 1:
        raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "压缩包里没有找到 Vosk 模型（缺少 am/final.mdl）"),
                                detail=f"{len(candidates)} model roots found")
    return candidates[0]


def _download(url: str, dest_dir: Path) -> Path:
    import requests

    target = dest_dir / "download.bin"
    try:
        with requests.get(url, stream=True, timeout=30) as r:
            r.raise_for_status()
            with target.open("wb") as f:
                for block in r.iter_content(1 << 20):
                    f.write(block)
    except requests.RequestException as exc:
        raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "模型下载失败，请检查网络或改用本地文件"), detail=str(exc)) from None
    return target


def prove_loads(model_dir: Path, words: tuple[str, ...] = ("我", "同意", "是")) -> tuple[dict[str, bool], float]:
    """Load the model with Vosk and decode half a second of silence; which probe words it knows."""
    import json as _json

    import vosk

    vosk.SetLogLevel(-1)
    t0 = time.monotonic()
    try:
        model = vosk.Model(str(model_dir))
        rec = vosk.KaldiRecognizer(model, 16000.0)
        rec.AcceptWaveform(b"\0\0" * 8000)
        _json.loads(rec.FinalResult())
    except Exception as exc:  # noqa: BLE001 - vosk raises a bare Exception on any failure
        raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "模型无法加载，文件可能损坏或版本不符"), detail=f"{model_dir}: {exc}") from None
    known = {w: model.vosk_model_find_word(w) >= 0 for w in words}
    return known, time.monotonic() - t0


def install_model(source: str | Path, models_root: Path, *, sha256: str | None = None,
                  probe_words: tuple[str, ...] = ("我", "同意", "是")) -> InstalledModel:
    """Install a model archive, folder or URL into `models_root/<name>` atomically."""
    models_root.mkdir(parents=True, exist_ok=True)
    want = sha256.lower().strip() if sha256 else None
    if want is not None and (len(want) != 64 or any(c not in "0123456789abcdef" for c in want)):
        raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "sha256 校验值格式不对：应为64位十六进制"), detail=f"got {sha256!r}")
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=models_root))
    try:
        src_text = str(source)
        if src_text.startswith(("http://", "https://")):
            src = _download(src_text, staging)
        else:
            src = Path(source).expanduser()
        if not src.exists():
            raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "找不到要安装的模型文件或文件夹"), detail=f"{src} does not exist")
        unpacked = staging / "unpacked"
        if src.is_dir():
            digest = tree_sha256(src)
            if want is not None and digest != want:
                raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "模型文件夹校验值不符，可能不完整或被篡改"),
                                        detail=f"tree sha256 {digest} != {want}")
            shutil.copytree(src, unpacked / src.name, symlinks=False)
        else:
            digest = file_sha256(src)
            if want is not None and digest != want:
                raise ModelInstallError(QT_TRANSLATE_NOOP("kiosk", "模型压缩包校验值不符，可能下载不完整或被篡改"),
                                        detail=f"sha256 {digest} != {want}")
            unpacked.mkdir()
            _extract(src, unpacked)
        root = _find_model_root(unpacked)
        name = root.name if root != unpacked else (Path(src_text).name.split(".")[0] or "model")
        known, load_s = prove_loads(root, probe_words)
        record = {"name": name, "sha256": digest, "sha256_checked": want is not None,
                  "source": Path(src_text).name if not src_text.startswith("http") else src_text,
                  "installed_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "words_checked": known}
        (root / INSTALL_RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        target = models_root / name
        backup = None
        if target.exists():
            backup = staging / "previous"
            os.replace(target, backup)
        os.replace(root, target)
        return InstalledModel(name, target, digest, want is not None, str(record["source"]), known, load_s)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def model_status(models_root: Path, configured: Path | None = None) -> list[dict[str, Any]]:
    """Every model folder under `models_root` (and the configured one), with whether it looks usable."""
    from kiosk.speech.engine import _model_files_problem

    dirs = sorted(p for p in models_root.iterdir() if p.is_dir() and not p.name.startswith(".")) \
        if models_root.is_dir() else []
    if configured is not None and configured not in dirs:
        dirs.append(configured)
    out: list[dict[str, Any]] = []
    for d in dirs:
        problem = _model_files_problem(d)
        rec_path = d / INSTALL_RECORD
        record: dict[str, Any] = {}
        if rec_path.is_file():
            try:
                record = json.loads(rec_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                record = {}
        size = sum(p.stat().st_size for p in d.rglob("*") if p.is_file()) if d.is_dir() else 0
        out.append({"name": d.name, "path": str(d), "ok": problem is None, "problem": problem or "",
                    "configured": configured is not None and d == configured, "size_mb": round(size / 1e6, 1),
                    "sha256": record.get("sha256", ""), "installed_at": record.get("installed_at", "")})
    return out
