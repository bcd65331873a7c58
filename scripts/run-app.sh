#!/usr/bin/env bash
# Set up and start the counter window on the embedded default: a local SQLite store in the user's
# data folder with the demo catalogue (the first start asks for the office in a short setup dialog).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/counter-app "$@"
