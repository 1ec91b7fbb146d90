#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Saves real runs as seeds for the trace reader's fuzzer.

    tests/fuzz/record-trace-seeds.py BUILD-DIR OUT-DIR PROGRAM.py...

Runs `heapscope trace` on each program in both of today's formats
(heapscope-trace-4, and heapscope-trace-3 with --snapshots; the corpus
keeps the older formats' seeds, which the reader still reads) and keeps
each trace that fits in
KEEP_BYTES, under the fuzzer's -max_len, with the program's folder
replaced so that no seed names a folder of the recording machine.
"""
import os
import subprocess
import sys

KEEP_BYTES = 48 * 1024


def main():
    build, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    heapscope = os.path.join(build, "src", "heapscope")
    env = dict(os.environ, HEAPSCOPE_RUNTIME=os.path.join(os.path.abspath(build), "src", "heapscope-runtime"))
    for program in sys.argv[3:]:
        name = os.path.splitext(os.path.basename(program))[0]
        folder = os.path.dirname(os.path.abspath(program))
        if name == "main":
            # a program of several files, named by its folder
            name = os.path.basename(folder)
        for suffix, extra in (("v4", []), ("v3", ["--snapshots"])):
            run = subprocess.run([heapscope, "trace", "--timeout", "10", *extra, program],
                                 env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
            data = run.stdout.replace(folder.encode(), b"/snippets")
            if run.returncode != 0 or len(data) > KEEP_BYTES:
                print(f"{name}-{suffix}: {len(data)} bytes, left out")
                continue
            with open(os.path.join(out_dir, f"{name}-{suffix}.json"), "wb") as f:
                f.write(data)
            print(f"{name}-{suffix}: {len(data)} bytes")


if __name__ == "__main__":
    main()
