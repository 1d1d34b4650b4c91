#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run every check and test: ruff, mypy, the import contracts,
# then pytest (scripts/pytest.sh: beside a throw-away PostgreSQL server, a private D-Bus
# session with an unlocked gnome-keyring, and an Xvfb screen). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh

echo "== ruff, mypy, import contracts"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache >/dev/null

echo "== pytest"
exec bash scripts/pytest.sh "$@"
