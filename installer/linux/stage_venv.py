"""Stage the runtime virtualenv of the venv-based .deb from an already-tested environment.

Why copy instead of `pip install` into the staging tree: the build venv is exactly what CI
just tested, the copy needs no network (kiosk build hosts are often offline), and it takes
seconds where a fresh install of PySide6, OpenCV and PyAV takes minutes.  Only the runtime
dependency closure of `pyproject.toml` is copied, plus face-recognition (installed without
its source-built `dlib` requirement) and setuptools (face_recognition_models finds its data
through `pkg_resources`); test tools and the Korean test model stay out.

The new venv is created by the *target* interpreter (`--target-python`, normally
/usr/bin/python3 of the distribution), so the package depends on that interpreter, never on
the build host's.  Both must have the same major.minor version: compiled extensions are
built for one ABI.

Usage: SOURCE_PY installer/linux/stage_venv.py --pyproject P --dest DIR --final-path PATH
       [--target-python /usr/bin/python3] [--extra NAME]...
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Distributions that provide the import of a requirement under another name.
PROVIDED_BY = {"dlib": "dlib-bin"}


def _wanted(req: Requirement, extras: frozenset[str]) -> bool:
    if req.marker is None:
        return True
    # evaluate() fills in this interpreter's environment around the extra
    return any(req.marker.evaluate({"extra": e}) for e in (extras or {""}))


def runtime_closure(top: list[str]) -> list[metadata.Distribution]:
    """Every installed distribution the given requirements need at run time, in a stable order."""
    seen: dict[str, metadata.Distribution] = {}
    queue: list[tuple[Requirement, frozenset[str]]] = [(Requirement(r), frozenset()) for r in top]
    while queue:
        req, parent_extras = queue.pop()
        if not _wanted(req, parent_extras):
            continue
        name = canonicalize_name(req.name)
        name = canonicalize_name(PROVIDED_BY.get(name, name))
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"stage_venv: {req.name} is required but not installed in {sys.prefix}") from None
        seen[name] = dist
        for sub in dist.requires or []:
            queue.append((Requirement(sub), frozenset(req.extras)))
    return [seen[k] for k in sorted(seen)]


def copy_dist(dist: metadata.Distribution, site: Path) -> int:
    """Copy the files a distribution's RECORD lists into `site`; returns bytes copied."""
    src_site = Path(str(dist.locate_file(""))).resolve()
    total = 0
    for f in dist.files or []:
        src = Path(str(dist.locate_file(f))).resolve()
        try:
            rel = src.relative_to(src_site)
        except ValueError:
            continue  # console scripts in bin/: the package has its own launcher
        if not src.is_file():
            continue
        dst = site / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        total += src.stat().st_size
    return total


_LEGACY_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def glibc_floor(site: Path) -> tuple[int, int]:
    """The newest glibc any copied wheel was built for: the package's libc6 lower bound.

    A manylinux tag is the wheel's promise about the oldest glibc it runs on, so the
    largest tag across the venv is what the target distribution must have.
    """
    floor = (2, 17)
    for wheel in site.glob("*.dist-info/WHEEL"):
        for line in wheel.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.startswith("Tag:"):
                continue
            platform = line.split("-")[-1].strip()
            m = re.match(r"manylinux_(\d+)_(\d+)_", platform)
            if m:
                floor = max(floor, (int(m.group(1)), int(m.group(2))))
            else:
                legacy = _LEGACY_MANYLINUX.get(platform.split("_")[0])
                if legacy:
                    floor = max(floor, legacy)
    return floor


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--pyproject", required=True, type=Path)
    ap.add_argument("--dest", required=True, type=Path, help="venv directory to create (staging tree)")
    ap.add_argument("--final-path", required=True, help="where the venv lives once installed")
    ap.add_argument("--target-python", default="/usr/bin/python3")
    ap.add_argument("--extra", action="append", default=["face-recognition", "setuptools"],
                    help="additional distributions installed outside the dependency list")
    args = ap.parse_args(argv)

    target_ver = subprocess.run(
        [args.target_python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        check=True, capture_output=True, text=True).stdout.strip()
    here_ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if target_ver != here_ver:
        raise SystemExit(f"stage_venv: build venv is Python {here_ver} but {args.target_python} is "
                         f"{target_ver}; compiled extensions would not load. Build with a {target_ver} venv.")

    # Link the venv to the versioned interpreter: `python3` may move to another minor version
    # with a distribution upgrade, `python3.11` does not.
    versioned = Path(args.target_python).parent / f"python{target_ver}"
    interpreter = str(versioned) if versioned.exists() else args.target_python

    project = tomllib.loads(args.pyproject.read_text(encoding="utf-8"))["project"]
    top = list(project["dependencies"]) + list(args.extra)
    dists = runtime_closure(top)

    if args.dest.exists():
        shutil.rmtree(args.dest)
    subprocess.run([interpreter, "-m", "venv", "--without-pip", str(args.dest)], check=True)
    # The venv records the staging path; make it name the installed location instead.
    cfg = args.dest / "pyvenv.cfg"
    lines = [ln for ln in cfg.read_text(encoding="utf-8").splitlines() if not ln.startswith("command")]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for script in (args.dest / "bin").iterdir():
        if script.is_file() and not script.is_symlink() and script.name.lower().startswith("activate"):
            script.unlink()  # activation scripts hard-code the staging path; nobody activates this venv

    site = args.dest / "lib" / f"python{target_ver}" / "site-packages"
    total = 0
    names = []
    for dist in dists:
        total += copy_dist(dist, site)
        names.append(f"{dist.metadata['Name']}=={dist.version}")
    floor = glibc_floor(site)
    (args.dest / "bdc-kiosk-runtime.json").write_text(
        json.dumps({"python": target_ver, "interpreter": interpreter, "glibc_min": f"{floor[0]}.{floor[1]}",
                    "distributions": names}, indent=1) + "\n", encoding="utf-8")
    print(f"stage_venv: {len(dists)} distributions, {total / 1e6:.0f} MB -> {args.final_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
