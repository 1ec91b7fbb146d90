#!/bin/sh
# Heapscope ended by a signal while its worker runs a program (Ctrl+C in
# the terminal it was started from, SIGTERM or SIGHUP as the session
# ends) exits with status 0 within 10 s, and its worker ends with it.
# The signal used to kill it where it stood.
# Usage: ends-on-signal.sh HEAPSCOPE
set -u
app=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'import time\n\nwhile True:\n    time.sleep(0.05)\n' > "$dir/loop.py"

# Runs the rest of its arguments every 0.1 s until it succeeds, at most
# $1 times; fails if it never does
poll () {
  n=$1
  shift
  i=0
  until "$@"; do
    i=$((i + 1))
    [ "$i" -le "$n" ] || return 1
    sleep 0.1
  done
}

# The run has started when the app has a child: its worker
found_worker () {
  worker=$(cat /proc/"$pid"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . | head -n 1)
  [ -n "$worker" ]
}

# Whether the worker has ended (a zombie waiting for its reaper has)
worker_gone () {
  ! [ -r "/proc/$worker/stat" ] || sed 's/^.*) //' "/proc/$worker/stat" | grep -q '^Z'
}

for sig in INT TERM HUP; do
  mkdir "$dir/state"
  # A job the shell starts in the background ignores SIGINT; one
  # started from a terminal does not (GNU env, coreutils 8.31 or later)
  XDG_STATE_HOME=$dir/state env --default-signal=INT "$app" --run "$dir/loop.py" &
  pid=$!
  if ! poll 300 found_worker; then
    echo "SIG$sig: no worker after 30 s"
    kill -9 "$pid"
    exit 1
  fi
  sleep 1
  kill -s "$sig" "$pid"
  (sleep 10; kill -9 "$pid" 2>/dev/null) &
  watchdog=$!
  wait "$pid"
  status=$?
  kill "$watchdog" 2>/dev/null
  if [ "$status" -ne 0 ]; then
    echo "SIG$sig: exit status $status"
    exit 1
  fi
  if ! poll 100 worker_gone; then
    echo "SIG$sig: the worker $worker still runs 10 s after the app ended"
    kill -9 "$worker"
    exit 1
  fi
  rm -rf "$dir/state"
  echo "SIG$sig: ended with status 0, and so did its worker"
done
