#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A bounded libFuzzer run for `meson test`: new inputs go to a scratch
# folder, never into the committed seeds; a crash fails the test and its
# input is kept in the build folder to be added to the corpus.
#   run-fuzzer.sh FUZZER SEEDS-DIR SECONDS
set -eu
fuzzer=$1 seeds=$2 seconds=$3
work=$(dirname "$fuzzer")/fuzz-work-$(basename "$fuzzer")
mkdir -p "$work/corpus" "$work/artifacts"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
