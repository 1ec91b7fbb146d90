#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a window test on an X display of its own, so that window tests
# can run side by side: no test sees another's windows, focus or key
# presses.  Xvfb picks a free display itself (-displayfd), which two
# `xvfb-run -a` started at once may not.
# Usage: own-display.sh [--screen WxHxD] COMMAND [ARGS...]
set -u
screen=1280x800x24
if [ "${1:-}" = "--screen" ]; then
  screen=$2
  shift 2
fi

dir=$(mktemp -d)
Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp 3>"$dir/display" 2>"$dir/log" &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null; rm -rf "$dir"' EXIT

# Xvfb writes the display's number and a newline once it accepts clients
i=0
until grep -q '^[0-9][0-9]*$' "$dir/display" 2>/dev/null; do
  if ! kill -0 "$xvfb" 2>/dev/null || [ "$i" -ge 200 ]; then
    echo "own-display.sh: Xvfb did not start:" >&2
    cat "$dir/log" >&2
    exit 1
  fi
  i=$((i + 1))
  sleep 0.05
done
DISPLAY=:$(cat "$dir/display")
export DISPLAY
unset WAYLAND_DISPLAY

"$@"
status=$?
exit "$status"
