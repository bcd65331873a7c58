#!/usr/bin/env bash
# Set up and start the counter window on the embedded default: a local SQLite store in the user's
# data folder with the demo catalogue (the first start asks for the office in a short setup dialog).
# Installs the app alone (no test or server extras). On Linux it first checks the system libraries
# Qt's window (the xcb platform) needs and says which are missing, with the apt-get line.
set -euo pipefail
cd "$(dirname "$0")/.."

# library the dynamic loader must find -> the Debian/Ubuntu package that ships it (README.md lists them)
QT_LIBS="
libGL.so.1 libgl1
libEGL.so.1 libegl1
libfontconfig.so.1 libfontconfig1
libfreetype.so.6 libfreetype6
libglib-2.0.so.0 libglib2.0-0
libdbus-1.so.3 libdbus-1-3
libxkbcommon.so.0 libxkbcommon0
libX11.so.6 libx11-6
libX11-xcb.so.1 libx11-xcb1
libxcb.so.1 libxcb1
libxkbcommon-x11.so.0 libxkbcommon-x11-0
libxcb-cursor.so.0 libxcb-cursor0
libxcb-icccm.so.4 libxcb-icccm4
libxcb-image.so.0 libxcb-image0
libxcb-keysyms.so.1 libxcb-keysyms1
libxcb-randr.so.0 libxcb-randr0
libxcb-render-util.so.0 libxcb-render-util0
libxcb-render.so.0 libxcb-render0
libxcb-shape.so.0 libxcb-shape0
libxcb-shm.so.0 libxcb-shm0
libxcb-sync.so.1 libxcb-sync1
libxcb-util.so.1 libxcb-util1
libxcb-xfixes.so.0 libxcb-xfixes0
libxcb-xkb.so.1 libxcb-xkb1
"

opens_window() {  # no command given (only --data-dir): the window opens
  while [ $# -gt 0 ]; do
    case "$1" in
      --data-dir) shift 2 || return 1 ;;
      --data-dir=*) shift ;;
      *) return 1 ;;
    esac
  done
}

missing_packages() {
  local known
  # the loader's cache: one "\tlibGL.so.1 (libc6,x86-64) => /lib/…" line per library
  known=$({ command -v ldconfig >/dev/null && ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null \
          | awk '{print $1}' || true)
  echo "$QT_LIBS" | while read -r lib package; do
    [ -n "$lib" ] || continue
    if ! grep -qxF "$lib" <<<"$known"; then
      echo "$package"
    fi
  done
}

if [ "$(uname -s)" = Linux ] && opens_window "$@" && [ "${QT_QPA_PLATFORM:-xcb}" = xcb ]; then
  missing=$(missing_packages | xargs)
  if [ -n "$missing" ]; then
    sudo=$([ "$(id -u)" -eq 0 ] || echo "sudo ")
    echo "Máy còn thiếu thư viện hệ thống để mở cửa sổ Quầy Một Cửa: $missing." >&2
    echo "Cài bằng lệnh (quyền quản trị), rồi chạy lại:" >&2
    echo "  ${sudo}apt-get install --no-install-recommends $missing" >&2
    exit 1
  fi
fi

bash scripts/setup.sh
exec .venv/bin/counter-app "$@"
