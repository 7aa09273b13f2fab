#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu (or Kylin/UOS) machine for bdc-kiosk and then runs one action.
#   scripts/bootstrap.sh demo   -> system packages, .venv, Python packages, then the demo
#   scripts/bootstrap.sh test   -> the same, then the whole test suite and the gates
# Idempotent: a second run only checks what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-test}; shift || true

need_apt=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libportaudio.so.2 || need_apt+=(libportaudio2)
fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|zenhei' || need_apt+=(fonts-wqy-zenhei fontconfig)
have_lib libEGL.so.1 || need_apt+=(libegl1)
have_lib libxkbcommon.so.0 || need_apt+=(libxkbcommon0)
have_lib libGL.so.1 || need_apt+=(libgl1)
have_lib libfontconfig.so.1 || need_apt+=(libfontconfig1)
have_lib libdbus-1.so.3 || need_apt+=(libdbus-1-3)
have_lib libxcb-cursor.so.0 || need_apt+=(libxcb-cursor0)
have_lib libnss3.so || need_apt+=(libnss3)
# Qt's xcb platform plugin (a real X server: the kiosk screen, Xvfb)
for pair in libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-image.so.0:libxcb-image0 \
            libxcb-render-util.so.0:libxcb-render-util0 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
            libxcb-xinerama.so.0:libxcb-xinerama0 libxcb-randr.so.0:libxcb-randr0 libxcb-shape.so.0:libxcb-shape0 \
            libxcb-xfixes.so.0:libxcb-xfixes0 libxcb-sync.so.1:libxcb-sync1 libxcb-xkb.so.1:libxcb-xkb1; do
  have_lib "${pair%%:*}" || need_apt+=("${pair##*:}")
done
if [ "$action" = test ]; then
  command -v Xvfb >/dev/null || need_apt+=(xvfb)
  command -v ffprobe >/dev/null || need_apt+=(ffmpeg)
  command -v pdfsig >/dev/null || need_apt+=(poppler-utils)
  command -v certutil >/dev/null || need_apt+=(libnss3-tools)
  command -v openssl >/dev/null || need_apt+=(openssl)
  command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
  command -v sox >/dev/null || need_apt+=(sox)
  command -v curl >/dev/null || need_apt+=(curl)
  command -v cc >/dev/null || need_apt+=(gcc libc6-dev)
  command -v swtpm >/dev/null || need_apt+=(swtpm)            # software TPM for the key-sealing tests
  command -v tpm2_unseal >/dev/null || need_apt+=(tpm2-tools)  # TPM 2.0 sealing of the device keys
  command -v dpkg-deb >/dev/null || need_apt+=(dpkg-dev)
  command -v desktop-file-validate >/dev/null || need_apt+=(desktop-file-utils)
  command -v shellcheck >/dev/null || need_apt+=(shellcheck)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[bootstrap] system packages: ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "[bootstrap] creating .venv"
  "$py" -m venv .venv
fi
vpy=.venv/bin/python
stamp=.venv/.bdc-installed
want="$(sha256sum pyproject.toml | cut -c1-16)-$action"
if [ ! -f "$stamp" ] || ! grep -qx "$want" "$stamp"; then
  echo "[bootstrap] installing Python packages"
  "$vpy" -m pip install -q --upgrade pip
  extra=""; [ "$action" = test ] && extra="[dev]"
  "$vpy" -m pip install -q -e ".$extra"
  # face_recognition pins dlib (source build, very slow); dlib-bin provides the same module.
  "$vpy" -m pip install -q --no-deps "face-recognition>=1.3.0"
  echo "$want" >> "$stamp"
fi

case "$action" in
  demo)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "[bootstrap] no display: running the headless demo session (simulate)"
      exec "$vpy" main.py simulate --out "${TMPDIR:-/tmp}/bdc-demo" "$@"
    fi
    exec "$vpy" main.py run --mode kiosk --demo "$@" ;;
  test)
    exec scripts/check.sh "$@" ;;
  setup) echo "[bootstrap] ready: .venv/bin/python main.py --help" ;;
  *) echo "usage: scripts/bootstrap.sh demo|test|setup" >&2; exit 2 ;;
esac
