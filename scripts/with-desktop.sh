#!/usr/bin/env bash
# Run a command on the current X display with a window manager (openbox) running, so windows
# are placed and focused as on a seller's desktop. Waits until openbox says it is up.
set -euo pipefail
ready=$(mktemp -u "${TMPDIR:-/tmp}/flashbuy-wm.XXXXXX")
openbox --startup "touch $ready" >/dev/null 2>&1 &
wm=$!
for _ in $(seq 200); do
  [ -e "$ready" ] && break
  kill -0 "$wm" 2>/dev/null || { echo "with-desktop: openbox did not start" >&2; exit 1; }
  sleep 0.05
done
[ -e "$ready" ] || { echo "with-desktop: openbox did not come up within 10 s" >&2; exit 1; }
rm -f "$ready"
"$@" && status=0 || status=$?
kill "$wm" 2>/dev/null || true
exit "$status"
