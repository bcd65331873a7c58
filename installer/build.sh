#!/usr/bin/env bash
# Build the one-folder bundle dist/counter-app/ (executable dist/counter-app/counter-app) on Linux,
# from a clean checkout: sets up .venv the project's way, adds PyInstaller, runs the spec, then says
# what the bundle weighs and what takes the space. Windows: installer/windows/build.ps1.
#
#   installer/build.sh            # then: installer/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYINSTALLER_REQ=${PYINSTALLER_REQ:-"pyinstaller>=6.10,<7"}

bash scripts/setup.sh dev                   # .venv with the app and its dev tools (pypdf is among them)
if ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
  echo "build: installing $PYINSTALLER_REQ into .venv"
  .venv/bin/python -m pip install --quiet "$PYINSTALLER_REQ"
fi
if ! command -v objdump >/dev/null || ! command -v readelf >/dev/null || ! command -v strip >/dev/null; then
  echo "build: PyInstaller needs binutils (objdump, readelf, strip): apt-get install binutils" >&2
  exit 1
fi

# The version printed by --version, embedded in the Windows files and shown by the installer.
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)
code_version=$(.venv/bin/python -c "import counter_app; print(counter_app.__version__)")
if [ "$version" != "$code_version" ]; then
  echo "build: pyproject.toml says $version but counter_app/__init__.py says $code_version" >&2
  exit 1
fi

echo "build: Quầy Một Cửa $version with $(.venv/bin/python -m PyInstaller --version) ..."
start=$(date +%s)
rm -rf dist/counter-app
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/counter-app.spec
echo "build: done in $(( $(date +%s) - start )) s"

.venv/bin/python installer/bundle_report.py dist/counter-app --limit-mb 150
echo "build: dist/counter-app/counter-app is ready; test it with installer/smoke.sh"
