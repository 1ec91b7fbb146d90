#!/bin/sh
# Heapscope ended by a signal while its worker runs a program (Ctrl+C in
# the terminal it was started from, SIGTERM or SIGHUP as the session
# ends) exits with status 0 within 10 s, its worker ends with it, and it
# leaves nothing in the temporary folder.  The signal used to kill it
# where it stood.  (A saved file runs in place, without a run folder: that
# an edited snippet's folder goes is /ui/window/end-session.)
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

# Whether process $1 has ended (a zombie waiting for its reaper has)
ended () {
  ! [ -r "/proc/$1/stat" ] || sed 's/^.*) //' "/proc/$1/stat" | grep -q '^Z'
}

# The run has started when the app has a child: its worker
found_worker () {
  worker=$(cat /proc/"$pid"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . | head -n 1)
  [ -n "$worker" ]
}

for sig in INT TERM HUP; do
  mkdir "$dir/state" "$dir/tmp"
  # A job the shell starts in the background ignores SIGINT; one started
  # from a terminal does not, nor one whose suite runs under nohup (GNU
  # env, coreutils 8.31 or later).  Leaks
  # at exit are the window tests' to find: under ASan, GLib's array of
  # quarks, made before main, is reported with a stack that stops in
  # g_malloc, which no suppression can name (tests/sanitizers/lsan.supp).
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" TMPDIR=$dir/tmp XDG_STATE_HOME=$dir/state \
    env --default-signal=INT,TERM,HUP "$app" --run "$dir/loop.py" &
  pid=$!
  if ! poll 300 found_worker; then
    echo "SIG$sig: no worker after 30 s"
    kill -9 "$pid"
    exit 1
  fi
  sleep 1
  kill -s "$sig" "$pid"
  if ! poll 100 ended "$pid"; then
    echo "SIG$sig: the app still runs 10 s after the signal"
    kill -9 "$pid" "$worker"
    exit 1
  fi
  wait "$pid"
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "SIG$sig: exit status $status"
    exit 1
  fi
  if ! poll 100 ended "$worker"; then
    echo "SIG$sig: the worker $worker still runs 10 s after the app ended"
    kill -9 "$worker"
    exit 1
  fi
  left=$(ls -A "$dir/tmp")
  if [ -n "$left" ]; then
    echo "SIG$sig: left in the temporary folder: $left"
    exit 1
  fi
  rm -rf "$dir/state" "$dir/tmp"
  echo "SIG$sig: ended with status 0, and so did its worker; nothing left behind"
done

# Started with SIGHUP ignored (nohup), the app keeps ignoring it
mkdir "$dir/state"
(trap '' HUP; ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" XDG_STATE_HOME=$dir/state \
   exec env --default-signal=INT,TERM "$app" --run "$dir/loop.py") &
pid=$!
if ! poll 300 found_worker; then
  echo "nohup: no worker after 30 s"
  kill -9 "$pid"
  exit 1
fi
sleep 1
kill -s HUP "$pid"
sleep 2
if ended "$pid"; then
  echo "nohup: SIGHUP, ignored from the start, ended the app"
  exit 1
fi
kill -s TERM "$pid"
if ! poll 100 ended "$pid"; then
  echo "nohup: the app still runs 10 s after SIGTERM"
  kill -9 "$pid" "$worker"
  exit 1
fi
wait "$pid"
echo "nohup: SIGHUP ignored, as it was from the start; SIGTERM ended it"
