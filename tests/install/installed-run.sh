#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a DESTDIR and runs the installed heapscope trace
# and render on an example, with the installed workers, and checks that the
# help and the translations are in place.
#
# Usage: installed-run.sh BUILD_DIR SOURCE_DIR PREFIX LIBEXECDIR DATADIR

set -eu

build=$1 src=$2 prefix=$3 libexecdir=$4 datadir=$5
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

fail () { echo "not ok: $*"; exit 1; }

meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null

bin=$dest$prefix/bin/heapscope
libexec=$dest$libexecdir
data=$dest$datadir
[ -x "$bin" ] || fail "no installed heapscope"
[ -x "$libexec/heapscope-runtime" ] || fail "no worker in libexec"
[ -f "$data/help/C/io.github.heapscope.Heapscope/index.page" ] || fail "no help pages"
[ -f "$data/locale/hi/LC_MESSAGES/heapscope.mo" ] || fail "no Hindi translation"
[ -f "$data/applications/io.github.heapscope.Heapscope.desktop" ] || fail "no desktop file"
[ -f "$data/metainfo/io.github.heapscope.Heapscope.metainfo.xml" ] || fail "no metainfo"

# The installed tree is not at its prefix: the app finds its workers in
# the libexec folder of the tree its executable is in, with no help from
# the environment.
unset HEAPSCOPE_PYTHON HEAPSCOPE_RUNTIME
cd "$dest"
"$bin" trace "$src/examples/aliasing.py" -o run.json >/dev/null || fail "installed heapscope trace failed"
grep -q '"steps"' run.json || fail "the trace has no steps"
"$bin" render run.json --step last -o last.png || fail "installed heapscope render failed"
[ -s last.png ] || fail "render wrote nothing"
for w in "$libexec"/heapscope-runtime-3.*; do
  [ -x "$w" ] || continue
  v=${w##*-}
  "$bin" trace --python "$v" "$src/examples/aliasing.py" -o "run-$v.json" >/dev/null \
    || fail "installed worker for $v failed"
done
echo "ok: installed trace and render work"
