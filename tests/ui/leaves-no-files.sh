#!/bin/sh
# Runs a window test program in a temporary folder of its own, and fails
# if the program leaves anything in it: each run of the suite used to
# leave a drafts folder behind per test program.
# Usage: leaves-no-files.sh PROGRAM [ARGUMENT...]
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TMPDIR=$tmp "$@"
status=$?
if [ "$status" -ne 0 ]; then
  echo "$1 failed with status $status"
  exit "$status"
fi
left=$(cd "$tmp" && ls -A)
if [ -n "$left" ]; then
  echo "left in the temporary folder: $left"
  exit 1
fi
echo "nothing left in the temporary folder"
