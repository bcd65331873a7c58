#!/usr/bin/env bash
# Set up and run every test. Qt runs offscreen; no screen needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected no tests: that is not a pass.
if [ "$status" -eq 5 ]; then
  echo "no tests were collected" >&2
  exit 1
fi
exit "$status"
