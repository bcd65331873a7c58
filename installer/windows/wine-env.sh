# Sourced by build-wine.sh and ci-wine.sh: one Wine prefix (a throw-away Windows 10 under build/),
# and how to run Windows programs in it.
#
# The Windows user is deliberately "Nguyễn Thị An": every build and check runs with the profile
# C:\users\Nguyễn Thị An\ (so %LOCALAPPDATA%, the store and the program folder all have Vietnamese
# letters in their paths, as on a commune PC). Wine names the profile after $USER.
# shellcheck shell=bash
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WIN_BUILD=${QMC_WIN_BUILD:-$ROOT/build/windows}
export WINEPREFIX=${QMC_WINEPREFIX:-$WIN_BUILD/prefix}
export WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
export USER="Nguyễn Thị An" LOGNAME="Nguyễn Thị An"
# No Mono / Gecko prompts when the prefix is made; no .desktop files for the installer's shortcuts
# in the Linux user's menus.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
WIN_USER_DIR="$WINEPREFIX/drive_c/users/$USER"
WIN_LOCALAPPDATA="$WIN_USER_DIR/AppData/Local"
WIN_PYTHON="$WIN_BUILD/python/python.exe"
# Test-only DLLs (installer/windows/wine-shims/): never in the bundle.
SHIM_DLLS=(icuuc bcryptprimitives)

# winpath UNIX_PATH: the same file as Windows programs in the prefix see it (Z:\…).
winpath() { printf 'Z:%s' "$(realpath -m "$1" | tr / '\\')"; }

# wine_run CMD...: a Windows program with pipes for stdin/stdout/stderr. Under Wine 8 CPython dies
# at start (init_sys_streams, WinError 6) when a standard handle is a regular file or a terminal.
wine_run() {
  true | wine "$@" 2>&1 | cat
  return "${PIPESTATUS[1]}"
}

# ensure_prefix: make the prefix once (Windows 10, the test-only DLLs in its system32).
ensure_prefix() {
  if [ ! -f "$WINEPREFIX/.qmc-ready" ]; then
    echo "wine: creating the prefix $WINEPREFIX (user $USER)"
    rm -rf "$WINEPREFIX"
    mkdir -p "$(dirname "$WINEPREFIX")"
    wine wineboot -i >/dev/null 2>&1 || true
    wineserver -w
    wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1   # Python 3.11 needs it
    [ -d "$WIN_USER_DIR" ] || { echo "wine: the prefix has no profile $WIN_USER_DIR" >&2; return 1; }
    # Wine links Desktop, Documents, … to $HOME: make them the profile's own folders, so shortcuts
    # and files land inside the prefix (and the checks see only what the installer made).
    local link
    for link in "$WIN_USER_DIR"/*; do
      if [ -L "$link" ]; then rm "$link"; mkdir "$link"; fi
    done
    touch "$WINEPREFIX/.qmc-ready"
  fi
  local n dll
  for n in "${SHIM_DLLS[@]}"; do
    dll="$WIN_BUILD/shims/$n.dll"
    if [ ! -f "$dll" ] || [ "$ROOT/installer/windows/wine-shims/$n.c" -nt "$dll" ]; then
      mkdir -p "$WIN_BUILD/shims"
      x86_64-w64-mingw32-gcc -O2 -shared -Wall -o "$dll" "$ROOT/installer/windows/wine-shims/$n.c" -ladvapi32
    fi
    if ! cmp -s "$dll" "$WINEPREFIX/drive_c/windows/system32/$n.dll"; then
      cp "$dll" "$WINEPREFIX/drive_c/windows/system32/$n.dll"
      wine reg add 'HKCU\Software\Wine\DllOverrides' /v "$n" /d native,builtin /f >/dev/null 2>&1
    fi
  done
}

# check_no_shims BUNDLE: fail when a test-only DLL (by name or by content) is in BUNDLE.
check_no_shims() {
  local n found=0 sum
  for n in "${SHIM_DLLS[@]}"; do
    if find "$1" -iname "$n.dll" | grep -c . >/dev/null; then
      echo "FAIL - the test-only $n.dll is in $1" >&2; found=1
    fi
    sum=$(sha256sum <"$WIN_BUILD/shims/$n.dll" | cut -c1-64)
    if find "$1" -type f -iname '*.dll' -exec sha256sum {} + | grep -c "^$sum" >/dev/null; then
      echo "FAIL - a copy of the test-only $n.dll is in $1" >&2; found=1
    fi
  done
  return "$found"
}
