#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv.
#   bash scripts/setup.sh          the app alone (what scripts/run-app.sh needs)
#   bash scripts/setup.sh dev      the app and its test tools (scripts/test.sh)
# Each set of extras has its own stamp, so the app and the tests share one .venv without
# reinstalling each other's packages at every start; a change to pyproject.toml refreshes it.
# pip runs -qq: errors still show (and fail the script); setuptools' notes about editable installs do not.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras=${1:-}
case "$extras" in
  "") target="." flavour=app ;;
  dev|server) target=".[$extras]" flavour=$extras ;;
  *) echo "setup.sh: unknown extras '$extras' (use nothing, dev or server)" >&2; exit 2 ;;
esac
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$flavour-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --quiet -e "$target"
  rm -f .venv/.installed-"$flavour"-*
  touch "$stamp"
fi
