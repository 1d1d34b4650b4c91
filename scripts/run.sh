#!/usr/bin/env bash
# Set up (scripts/setup.sh) and start the flashbuy console on its embedded default platform.
# Extra arguments go to the console, e.g. --server URL for a real platform.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/flashbuy "$@"
