"""The venv-based .deb as a technician receives it: built by installer/build-deb.sh, read
back with dpkg-deb, unpacked and started.

One build per module (about a minute: it copies the ~1 GB runtime venv), uncompressed
because compression is dpkg's business, not ours.
"""
from __future__ import annotations

import configparser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPID = "cn.gov.luohe.bdckiosk"
OPT = f"opt/apps/{APPID}"


def _system_python_matches() -> bool:
    """venv mode links the package to /usr/bin/python3 of the same minor version as this venv."""
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return out == str(sys.version_info[:2])


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed"),
    pytest.mark.skipif(not _system_python_matches(), reason="/usr/bin/python3 is not this venv's Python version"),
]


def _run(*cmd: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    res = _run(REPO / "installer" / "build-deb.sh", "--out", out, "--compress", "none",
               "--python", sys.executable, timeout=900)
    assert res.returncode == 0, res.stdout + res.stderr
    debs = list(out.glob(f"{APPID}_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


@pytest.fixture(scope="module")
def members(deb: Path) -> dict[str, tarfile.TarInfo]:
    """The data archive's entries by path (without the leading './')."""
    res = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
        return {m.name.removeprefix("./").rstrip("/"): m for m in tar.getmembers()}


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _field(deb: Path, name: str) -> str:
    return _run("dpkg-deb", "-f", deb, name).stdout.strip()


def test_control_names_the_app_version_and_this_architecture(deb: Path) -> None:
    info = _run("dpkg-deb", "-I", deb)
    assert info.returncode == 0, info.stderr
    arch = _run("dpkg", "--print-architecture").stdout.strip()
    assert _field(deb, "Package") == APPID
    assert _field(deb, "Architecture") == arch
    version = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)
    assert version and _field(deb, "Version") == f"{version.group(1)}-1"
    depends = _field(deb, "Depends")
    # venv mode runs on the distribution's interpreter of the same minor version
    assert f"python{sys.version_info.major}.{sys.version_info.minor}" in depends
    assert re.search(r"libc6 \(>= 2\.\d+\)", depends), depends
    assert "libxcb-cursor0" in depends and "libportaudio2" in depends


def test_package_holds_desktop_entry_udev_rules_user_unit_and_info(members: dict[str, tarfile.TarInfo]) -> None:
    for path in (
        f"{OPT}/info",
        f"{OPT}/entries/applications/{APPID}.desktop",
        f"{OPT}/entries/icons/hicolor/scalable/apps/{APPID}.svg",
        f"{OPT}/files/bin/bdc-kiosk",
        f"{OPT}/files/app/main.py",
        f"{OPT}/files/venv/pyvenv.cfg",
        "lib/udev/rules.d/99-bdc-kiosk.rules",
        "usr/lib/systemd/user/bdc-kiosk.service",
        "usr/share/xsessions/bdc-kiosk.desktop",
        f"usr/share/metainfo/{APPID}.metainfo.xml",
        f"usr/share/lintian/overrides/{APPID}",
        f"usr/share/doc/{APPID}/copyright",
    ):
        assert path in members, path
    for exe in ("bdc-kiosk", "bdc-kiosk-session", "bdc-kiosk-setup-kiosk", "bdc-kiosk-install-model"):
        m = members[f"{OPT}/files/bin/{exe}"]
        assert m.isfile() and m.mode & 0o111, exe
    # nothing world-writable (symlinks always show 0777), everything owned by root
    for name, m in members.items():
        assert m.issym() or not m.mode & 0o002, name
        assert (m.uname, m.gname) == ("root", "root"), name


def test_package_carries_the_face_models_and_the_openvino_runtime(members: dict[str, tarfile.TarInfo],
                                                                   unpacked: Path) -> None:
    import hashlib

    from kiosk.identity.engine import REID_0095, YUNET

    models = f"{OPT}/files/app/resources/models/face"
    for name, sha in (*YUNET.files, *REID_0095.files):
        assert f"{models}/{name}" in members, name
        assert hashlib.sha256((unpacked / models / name).read_bytes()).hexdigest() == sha, name
    assert f"{models}/README.md" in members and f"{models}/LICENSE-Apache-2.0.txt" in members
    assert any("/site-packages/openvino/" in m for m in members)


def test_links_outside_opt_point_into_the_package(members: dict[str, tarfile.TarInfo]) -> None:
    links = {n: m.linkname for n, m in members.items() if m.issym() and not n.startswith("opt/")}
    assert "usr/bin/bdc-kiosk" in links and f"usr/share/applications/{APPID}.desktop" in links
    for name, target in links.items():
        assert target.lstrip("/") in members, f"{name} -> {target} is not in the package"


def test_info_json_follows_the_uos_rules(unpacked: Path, deb: Path) -> None:
    info = json.loads((unpacked / OPT / "info").read_text(encoding="utf-8"))
    assert info["appid"] == APPID
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", info["version"]), info["version"]
    assert info["arch"] == [_field(deb, "Architecture")]
    assert info["name"]
    # the kiosk records audio and video: the permissions say so
    assert info["permissions"]["camera"] is True and info["permissions"]["audio_record"] is True
    assert all(isinstance(v, bool) for v in info["permissions"].values())


def test_desktop_entries_are_valid_and_start_packaged_programs(unpacked: Path,
                                                              members: dict[str, tarfile.TarInfo]) -> None:
    entries = [unpacked / OPT / "entries" / "applications" / f"{APPID}.desktop",
               unpacked / "usr/share/xsessions/bdc-kiosk.desktop"]
    validator = shutil.which("desktop-file-validate")
    for entry in entries:
        if validator:
            res = _run(validator, entry)
            assert res.returncode == 0 and not res.stdout.strip(), res.stdout + res.stderr
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(entry, encoding="utf-8")
        for section in parser.sections():
            if "Exec" in parser[section]:
                program = parser[section]["Exec"].split()[0]
                assert program.startswith(f"/{OPT}/files/bin/"), program
                assert members[program.lstrip("/")].mode & 0o111, program
    main = configparser.ConfigParser(interpolation=None, strict=False)
    main.read(entries[0], encoding="utf-8")
    assert main["Desktop Entry"]["Name[zh_CN]"] == "不动产登记双录签名终端"
    assert main["Desktop Entry"]["Icon"] == APPID


_RULE_TOKEN = re.compile(r'^(?P<key>[A-Z_]+)(\{(?P<attr>[^}]+)\})?(?P<op>==|!=|\+=|-=|:=|=)"(?P<value>[^"]*)"$')


def _udev_rules(path: Path) -> list[dict[str, str]]:
    rules = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        rule: dict[str, str] = {}
        for token in re.split(r",\s*", line):
            m = _RULE_TOKEN.match(token)
            assert m, f"not a udev key: {token!r} in {line!r}"
            key = m["key"] + (f"{{{m['attr']}}}" if m["attr"] else "")
            rule[key] = f"{m['op']}{m['value']}"
        rules.append(rule)
    return rules


def test_udev_rules_give_plugdev_the_pads_and_readers(unpacked: Path) -> None:
    rules = _udev_rules(unpacked / "lib/udev/rules.d/99-bdc-kiosk.rules")
    granted = set()
    for r in rules:
        if r.get("GROUP") != "=plugdev":
            continue
        assert r.get("MODE") == "=0660", r
        vendor = (r.get("ATTRS{idVendor}") or r.get("ATTR{idVendor}") or "").removeprefix("==")
        product = (r.get("ATTRS{idProduct}") or r.get("ATTR{idProduct}") or "*").removeprefix("==")
        granted.add((r["SUBSYSTEM"].removeprefix("=="), vendor, product))
    assert {("hidraw", "056a", "*"), ("hidraw", "0b57", "*"), ("usb", "056a", "*"), ("usb", "0b57", "*"),
            ("tty", "0400", "c35a"), ("tty", "10c4", "ea60"), ("usb", "0400", "c35a"),
            ("hidraw", "0400", "c35a")} <= granted
    # the GOTO target exists
    labels = {r["LABEL"].removeprefix("=") for r in rules if "LABEL" in r}
    assert all(r["GOTO"].removeprefix("=") in labels for r in rules if "GOTO" in r)


def test_user_unit_restarts_the_kiosk_on_crash(unpacked: Path, tmp_path: Path) -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(unpacked / "usr/lib/systemd/user/bdc-kiosk.service", encoding="utf-8")
    exec_start = unit["Service"]["ExecStart"].split()
    assert exec_start[0] == f"/{OPT}/files/bin/bdc-kiosk"
    assert exec_start[1:] == ["run", "--mode", "kiosk"]
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    if shutil.which("systemd-analyze"):
        # systemd's own parser: unknown keys and bad values are reported as such
        # (it also says the ExecStart program is missing: the package is not installed here)
        res = _run("systemd-analyze", "--user", "verify", "--man=no",
                   unpacked / "usr/lib/systemd/user/bdc-kiosk.service",
                   env={"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": str(tmp_path)})
        output = res.stdout + res.stderr
        assert "Failed to initialize manager" not in output, output
        problems = [ln for ln in output.splitlines()
                    if "Unknown key" in ln or "Failed to parse" in ln or "Invalid" in ln or "Unknown section" in ln]
        assert not problems, problems


def test_maintainer_scripts_write_nothing(deb: Path, tmp_path: Path) -> None:
    """postinst/postrm may only talk to udev: no file, account, group or service link."""
    subprocess.run(["dpkg-deb", "-e", str(deb), str(tmp_path / "ctl")], check=True)
    scripts = [p for p in (tmp_path / "ctl").iterdir() if p.name in {"preinst", "postinst", "prerm", "postrm"}]
    assert {p.name for p in scripts} == {"postinst", "postrm"}
    forbidden = re.compile(r"(^|[\s;&|])(cp|mv|rm|ln|install|mkdir|touch|chmod|chown|sed|tee|useradd|groupadd|"
                           r"usermod|adduser|addgroup|deb-systemd-helper|update-alternatives)\s|>(?!&)(?!\s*/dev/null)|"
                           r"systemctl\s+(--\S+\s+)*enable")
    for script in scripts:
        for line in script.read_text().splitlines():
            code = line.split("#", 1)[0]
            assert not forbidden.search(code), f"{script.name}: {line}"


def test_unpacked_package_starts_on_its_own_venv(unpacked: Path, tmp_path: Path) -> None:
    """The copied venv works from wherever it is unpacked, with the system interpreter only."""
    files = unpacked / OPT / "files"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    res = _run(files / "bin" / "bdc-kiosk", "--help", env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "doctor" in res.stdout and "models" in res.stdout
    probe = (
        "import sys, json, cv2, av, vosk, dlib, face_recognition, PySide6.QtWidgets, PySide6.QtTextToSpeech\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import face_recognition_models as m, os\n"
        "print(json.dumps({'prefix': sys.prefix, 'model': os.path.getsize(m.face_recognition_model_location()),\n"
        "                  'system_site': [p for p in sys.path if 'dist-packages' in p or '/.venv/' in p]}))\n"
    )
    res = _run(files / "venv" / "bin" / "python", "-E", "-s", "-c", probe, env=env, timeout=180)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert Path(out["prefix"]) == files / "venv"
    assert out["model"] > 20_000_000  # dlib_face_recognition_resnet_model_v1.dat
    assert out["system_site"] == [], "the venv must not see the build venv or the system's packages"

    if (REPO / "kiosk" / "cli" / "doctor.py").exists():
        res = _run(files / "bin" / "bdc-kiosk", "doctor", "--json", "--state", tmp_path / "state", env=env, timeout=300)
        checks = {c["name"]: c for c in json.loads(res.stdout)["checks"]}
        # what the package itself provides must check out on any host (devices and the speech
        # model depend on the machine)
        for name in ("python", "qt", "opencv"):
            assert checks[name]["ok"], checks[name]
        assert "vosk_model" in checks


@pytest.mark.skipif(shutil.which("lintian") is None, reason="lintian is not installed")
@pytest.mark.skipif(os.environ.get("BDC_LINTIAN") != "1",
                    reason="lintian needs 5-20 min on the 10,000 files of the venv; set BDC_LINTIAN=1")
def test_lintian_reports_nothing_unexplained(deb: Path) -> None:
    """Every tag left is overridden with its reason (installer/linux/lintian-overrides)."""
    # the fixture builds uncompressed for speed; releases use xz
    res = _run("lintian", "--suppress-tags",
               "uses-no-compression-for-data-tarball,uses-no-compression-for-control-tarball",
               deb, timeout=3600)
    findings = [ln for ln in res.stdout.splitlines() if ln[:2] in {"E:", "W:"}]
    assert not findings, "\n".join(findings[:40])
