#!/usr/bin/env bash
# Run pytest (arguments pass through) in the environment the tests need, without the linters:
# a scratch HOME, a throw-away PostgreSQL server, a private D-Bus session with an unlocked
# gnome-keyring, and an Xvfb screen. scripts/test.sh runs setup and the linters, then this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Tests never touch the real home, settings or keyring: all of it lives in a scratch dir.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
  XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
# The keyring and PostgreSQL below are throw-away ones: tests may use them, and must find them.
export FLASHBUY_TEST_REQUIRE_POSTGRES=1 FLASHBUY_TEST_KEYRING=scratch PYTHONDONTWRITEBYTECODE=1

# with-postgres.sh: a PostgreSQL server for this run only (PG* variables point at it).
# dbus-run-session + gnome-keyring: a real Secret Service, unlocked with a throw-away password.
# xvfb-run: a 1920x1080 X screen to show windows on and grab from, managed by openbox.
bash scripts/with-postgres.sh dbus-run-session -- sh -c '
  printf scratch | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec xvfb-run -a -s "-screen 0 1920x1080x24" \
    bash scripts/with-desktop.sh .venv/bin/python -m pytest "$@"
' pytest "$@"
