#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Remakes data/screenshots/window.png from the app itself: builds, opens
# examples/aliasing.py under a private X server, runs it to its last step
# through the window's D-Bus actions, and grabs the screen.
#
# Usage: build-aux/screenshot.sh [BUILD_DIR]   (needs xvfb-run, dbus-run-session, ImageMagick)

set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$srcdir/_build}
out=$srcdir/data/screenshots/window.png

[ -d "$builddir" ] || meson setup "$builddir" "$srcdir"
meson compile -C "$builddir"

if [ -z "${HS_SCREENSHOT_INNER:-}" ]; then
  HS_SCREENSHOT_INNER=1 exec xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- "$0" "$builddir"
fi

# A home of its own, so the title shows ~/examples rather than this checkout's path.
export HOME="$(mktemp -d)"
export GSETTINGS_BACKEND=memory
mkdir -p "$HOME/examples"
cp "$srcdir/examples/aliasing.py" "$HOME/examples/"
"$builddir/src/heapscope" "$HOME/examples/aliasing.py" &
app=$!
trap 'kill "$app" 2>/dev/null || true; rm -rf "$HOME"' EXIT

act () {
  gdbus call --session --dest io.github.heapscope.Heapscope \
    --object-path /io/github/heapscope/Heapscope/window/1 \
    --method org.gtk.Actions.Activate "$1" [] {} >/dev/null
}

tries=0
until act zoom-fit 2>/dev/null; do
  tries=$((tries + 1))
  [ "$tries" -lt 100 ] || { echo "the window never appeared" >&2; exit 1; }
  sleep 0.2
done

act run
sleep 8
act last-step
sleep 3

mkdir -p "$(dirname "$out")"
# The screen is black around the window: keep the window alone.
import -window root -trim +repage "$out"
echo "wrote $out"
