#!/usr/bin/env bash
# Builds the Kylin/UOS .deb of bdc-kiosk (app id cn.gov.luohe.bdckiosk).
#
#   installer/build-deb.sh --out DIR [--mode venv|bundle] [--bundle DIR] [--python PY]
#                          [--target-python PY] [--compress xz|gzip|none] [--build N]
#                          [--maintainer "Name <mail>"]
#
#   --mode venv    (default) the application plus a venv copied from the tested build venv
#                  (--python, default .venv/bin/python), linked to the distribution's
#                  Python (--target-python, default /usr/bin/python3; same minor version).
#                  Fast: what CI builds.  Needs Python >= 3.10 on the target.
#   --mode bundle  the PyInstaller onedir bundle (--bundle, default build/bundle/dist/bdc-kiosk,
#                  built by installer/build-bundle.sh when missing): its own Python, so it
#                  also runs on Kylin V10 / UOS 20 whose Python is 3.7/3.8.
#   --compress     xz for releases (default), gzip or none for quick local builds.
#
# Layout follows the UOS packaging rules: everything under /opt/apps/<appid>/ with info,
# entries/ and files/.  A few files must live where the system looks for them and are
# placed there directly (udev rules, the systemd user unit, the X session entry, menu and
# command links); docs/deployment.md lists them.  The maintainer scripts only reload udev.
# Architecture = the build host's (native code comes from its wheels): build arm64 packages
# on an arm64 host.  Output: DIR/cn.gov.luohe.bdckiosk_<version>_<arch>.deb
set -euo pipefail
umask 022
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
APPID=cn.gov.luohe.bdckiosk
OPT=/opt/apps/$APPID

out=""
mode=venv
bundle="$repo/build/bundle/dist/bdc-kiosk"
py="$repo/.venv/bin/python"
target_py=/usr/bin/python3
compress=xz
build=1
maintainer="bdc-kiosk build <bdc-kiosk@localhost>"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    --target-python) target_py=$2; shift 2 ;;
    --compress) compress=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --maintainer) maintainer=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "build-deb.sh: --out DIR is required" >&2; exit 2; }
case "$mode" in venv|bundle) ;; *) echo "build-deb.sh: --mode venv|bundle" >&2; exit 2 ;; esac
case "$compress" in xz|gzip|none) ;; *) echo "build-deb.sh: --compress xz|gzip|none" >&2; exit 2 ;; esac
case "$build" in ''|*[!0-9]*) echo "build-deb.sh: --build takes a number" >&2; exit 2 ;; esac
for tool in dpkg-deb dpkg gzip; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing (apt-get install dpkg-dev)" >&2; exit 1; }
done

arch=$(dpkg --print-architecture)
version=$("$py" - "$repo/pyproject.toml" <<'PY'
import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])
PY
)
debversion="$version-$build"
# UOS `info` wants four numeric parts.
infoversion=$(echo "$version" | awk -F. -v b="$build" '{printf "%d.%d.%d.%d", $1, $2, $3, b}')

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/bdc-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
app="$root$OPT"
mkdir -p "$app/files/bin" "$app/files/doc" "$app/files/share" \
         "$app/entries/applications" "$app/entries/icons/hicolor/scalable/apps" \
         "$root/DEBIAN"

# --- the program ----------------------------------------------------------------------
if [ "$mode" = venv ]; then
  mkdir -p "$app/files/app"
  (cd "$repo" && tar --exclude=__pycache__ --exclude='*.pyc' -cf - main.py kiosk devices ui refplatform resources) \
    | tar -xf - -C "$app/files/app"
  "$py" "$here/linux/stage_venv.py" --pyproject "$repo/pyproject.toml" \
    --dest "$app/files/venv" --final-path "$OPT/files/venv" --target-python "$target_py"
  # Byte-compile the application once here: /opt is read-only for the kiosk account.
  "$target_py" -m compileall -q "$app/files/app" >/dev/null
  pyver=$("$target_py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  glibc=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["glibc_min"])' \
          "$app/files/venv/bdc-kiosk-runtime.json")
  runtime_depends="python$pyver"
else
  if [ ! -x "$bundle/bdc-kiosk" ]; then
    "$here/build-bundle.sh" --out "$(dirname "$bundle")" --python "$py"
  fi
  cp -a "$bundle" "$app/files/bundle"
  # The bundle carries its own Python: the glibc floor is the newest symbol version any of
  # its ELF files asks for (the build host's glibc if libpython was built there).
  glibc=$(find "$app/files/bundle" -type f \( -name '*.so*' -o -name bdc-kiosk \) -print0 \
          | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2,2n -u \
          | tail -n 1 | sed 's/GLIBC_//')
  runtime_depends=""
fi
install -m 755 "$here/linux/bdc-kiosk-launcher" "$app/files/bin/bdc-kiosk"
install -m 755 "$here/linux/bdc-kiosk-session" "$here/linux/bdc-kiosk-setup-kiosk" \
               "$here/linux/bdc-kiosk-install-model" "$app/files/bin/"
install -m 644 "$here/linux/bdc-kiosk-autostart.desktop" "$app/files/share/"

# --- UOS entries and info ---------------------------------------------------------------
install -m 644 "$here/linux/$APPID.desktop" "$app/entries/applications/$APPID.desktop"
install -m 644 "$here/linux/$APPID.svg" "$app/entries/icons/hicolor/scalable/apps/$APPID.svg"
"$py" - "$app/info" "$APPID" "$infoversion" "$arch" <<'PY'
import json, sys
path, appid, version, arch = sys.argv[1:]
info = {
    "appid": appid,
    "name": "不动产登记双录签名终端",
    "version": version,
    "arch": [arch],
    "permissions": {
        "autostart": True, "notification": False, "trayicon": False, "clipboard": False,
        "account": False, "bluetooth": False, "camera": True, "audio_record": True,
        "installed_apps": False,
    },
}
with open(path, "w", encoding="utf-8") as f:
    json.dump(info, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY
chmod 644 "$app/info"

# --- documentation ----------------------------------------------------------------------
for doc in deployment.md operations.md xinchuang.md; do
  [ -f "$repo/docs/$doc" ] && install -m 644 "$repo/docs/$doc" "$app/files/doc/"
done
docdir="$root/usr/share/doc/$APPID"
mkdir -p "$docdir"
install -m 644 "$here/linux/copyright" "$docdir/copyright"
sed -e "s/@DEBVERSION@/$debversion/" -e "s/@DATE@/$(date -R)/" "$here/linux/changelog" \
  | gzip -9n > "$docdir/changelog.Debian.gz"
chmod 644 "$docdir/changelog.Debian.gz"
cp "$docdir/copyright" "$app/files/doc/copyright"
cp "$docdir/changelog.Debian.gz" "$app/files/doc/changelog.gz"
mkdir -p "$root/usr/share/man/man1" "$root/usr/share/man/man8"
gzip -9n < "$here/linux/bdc-kiosk.1" > "$root/usr/share/man/man1/bdc-kiosk.1.gz"
for tool in bdc-kiosk-setup-kiosk bdc-kiosk-install-model; do
  # Their man page is their usage header (the comment block at the top of the script).
  {
    echo ".TH $(echo "$tool" | tr a-z A-Z) 8 \"\" \"bdc-kiosk\" \"System Administration\""
    echo ".SH NAME"
    echo "$tool \\- $(sed -n '2p' "$here/linux/$tool" | sed 's/^# [^:]*: //')"
    echo ".SH DESCRIPTION"
    echo ".nf"
    sed -n '3,/^set -eu/p' "$here/linux/$tool" | grep '^#' | sed -e 's/^# \{0,1\}//' -e 's/\\/\\\\/g' -e 's/^\./\\\&./'
    echo ".fi"
  } | gzip -9n > "$root/usr/share/man/man8/$tool.8.gz"
done
chmod 644 "$root"/usr/share/man/man*/*.gz

# --- files the system looks for in fixed places -------------------------------------------
install -D -m 644 "$here/linux/99-bdc-kiosk.rules" "$root/lib/udev/rules.d/99-bdc-kiosk.rules"
install -D -m 644 "$here/linux/bdc-kiosk.service" "$root/usr/lib/systemd/user/bdc-kiosk.service"
install -D -m 644 "$here/linux/bdc-kiosk.xsession.desktop" "$root/usr/share/xsessions/bdc-kiosk.desktop"
mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/share/applications" \
         "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/lintian/overrides"
ln -s "$OPT/files/bin/bdc-kiosk" "$root/usr/bin/bdc-kiosk"
ln -s "$OPT/files/bin/bdc-kiosk-setup-kiosk" "$root/usr/sbin/bdc-kiosk-setup-kiosk"
ln -s "$OPT/files/bin/bdc-kiosk-install-model" "$root/usr/sbin/bdc-kiosk-install-model"
# Same desktop id as the UOS entry, so a UOS launcher that also reads entries/ shows it once.
ln -s "$OPT/entries/applications/$APPID.desktop" "$root/usr/share/applications/$APPID.desktop"
ln -s "$OPT/entries/icons/hicolor/scalable/apps/$APPID.svg" \
      "$root/usr/share/icons/hicolor/scalable/apps/$APPID.svg"
install -m 644 "$here/linux/lintian-overrides" "$root/usr/share/lintian/overrides/$APPID"
# AppStream: software centres match the pads and readers of the udev rules to this app.
install -D -m 644 "$here/linux/$APPID.metainfo.xml" "$root/usr/share/metainfo/$APPID.metainfo.xml"

# --- control ------------------------------------------------------------------------------
install -m 755 "$here/linux/postinst" "$here/linux/postrm" "$root/DEBIAN/"
installed_kb=$(du -sk --apparent-size "$root" --exclude=DEBIAN | cut -f1)
# Qt's xcb platform plugin, EGL/GL, PortAudio and a CJK font: what the wheels do not carry.
depends="libc6 (>= ${glibc:-2.17}), libegl1, libgl1, libglib2.0-0, libfontconfig1, libfreetype6"
depends+=", libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libx11-xcb1, libxcb1, libxcb-cursor0"
depends+=", libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0"
depends+=", libxcb-shape0, libxcb-xfixes0, libxcb-xinerama0, libxcb-xkb1, libportaudio2"
depends+=", fonts-wqy-zenhei | fonts-noto-cjk | fonts-wqy-microhei"
[ -z "$runtime_depends" ] || depends="$runtime_depends, $depends"
cat > "$root/DEBIAN/control" <<EOF
Package: $APPID
Version: $debversion
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: $depends
Recommends: speech-dispatcher, espeak-ng, lightdm, x11-xserver-utils, curl, ffmpeg, tpm2-tools
Section: misc
Priority: optional
Description: real-estate registration identity, dual recording and signing kiosk
 不动产登记双录签名终端: ID card and face 1:1 with liveness,
 one continuous audio/video recording per party with offline speech
 checking, signing on a pen pad, and a hashed, signed evidence package
 uploaded through a durable outbox.
 .
 This package ($mode build) installs under $OPT.
 Run bdc-kiosk-setup-kiosk once to make the machine a self-service kiosk
 (auto-login, restart on crash).
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum \
  | sed 's| \./| |' > DEBIAN/md5sums)
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

deb="$out/${APPID}_${debversion}_${arch}.deb"
level=()
[ "$compress" = none ] || level=(-z6)
dpkg-deb --root-owner-group -Z"$compress" "${level[@]}" --build "$root" "$deb" >/dev/null
echo "built $deb ($(du -m "$deb" | cut -f1) MB, mode $mode, glibc >= ${glibc:-?}, installed ${installed_kb} kB)"
