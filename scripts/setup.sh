#!/usr/bin/env bash
# Prepare this checkout on Debian 12+ / Ubuntu 24.04+: the system packages flashbuy needs
# (installed only when missing, with sudo unless root) and a Python virtual environment in
# .venv with the project and its development tools. Safe to run again; quick when nothing changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  python3 python3-venv
  # Qt's xcb platform under a real (virtual) X server
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libegl1
  libfontconfig1 libdbus-1-3 fonts-wqy-microhei
  # a window manager and real key events, so tests place and focus windows as a desktop does
  openbox xdotool
  # a real keyring (Secret Service) and a throw-away PostgreSQL for the tests
  dbus gnome-keyring postgresql postgresql-common
  # the packaged build (strip for a smaller folder) and its start-up benchmark (/usr/bin/time)
  binutils time
  # the card set's inks (handwriting-style Chinese and Latin faces) and the OCR engine the
  # card-reading benchmark compares with ours (Tesseract with its Chinese data)
  fonts-arphic-ukai fonts-arphic-gkai00mp fonts-comic-neue tesseract-ocr tesseract-ocr-chi-sim
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: flashbuy needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

# Reinstall only when the declared dependencies changed.
stamp=.venv/.flashbuy-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$want" >"$stamp"
fi
