# SPDX-License-Identifier: GPL-3.0-or-later
# python-steps.py RECORD PROGRAM: runs PROGRAM under python3 as `python3
# PROGRAM` would (as __main__, with its argv and sys.path[0]), and writes to
# RECORD, for every trace event in PROGRAM's own file (the events Heapscope
# makes steps of), how many bytes stdout's file held at that moment.  With
# PYTHONUNBUFFERED=1 every print reaches the file at once, so the bytes
# between two events are exactly what python3 printed between them: the
# reference for which step printed what (tests/runtime/test-differential.c).
# A size of -1 means fd 1 no longer was that file.  The tracer is Python
# code, so a program that looks at the tracer, the collector or refcounts
# may print something else; the test compares only programs whose whole
# stdout is python3's own.
import os, sys

record, program = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]
sys.path[0] = os.path.dirname(program)
events = []
out_fd = os.open("/proc/self/fd/1", os.O_RDONLY | os.O_CLOEXEC)
out_ino = os.fstat(out_fd).st_ino


def size():
    try:
        st = os.fstat(out_fd)
        return st.st_size if st.st_ino == out_ino else -1
    except OSError:
        return -1


def tracer(frame, event, arg):
    if frame.f_code.co_filename == program:
        events.append((event, frame.f_lineno, size()))
        return tracer
    return None


def dump():
    sys.settrace(None)
    events.append(("end", 0, size()))
    with open(record, "w") as f:
        for e in events:
            f.write("%s %d %d\n" % e)


import atexit
atexit.register(dump)
import runpy
sys.settrace(tracer)
runpy.run_path(program, run_name="__main__")
