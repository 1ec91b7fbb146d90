# SPDX-License-Identifier: GPL-3.0-or-later
"""Python Tutor's tracer alone, for bench-trace --pytutor: runs FILE under
pg_logger.exec_script_str_local with a finalizer that only counts the
steps, so that its trace is built in memory and never dumped as JSON.

Python Tutor itself is not kept in this repository (see README.md): put
the directory holding its pg_logger.py and pg_encoder.py on PYTHONPATH.
"""
import sys

import pg_logger

# its default stops a run at 1,000 steps
pg_logger.MAX_EXECUTED_LINES = 10 ** 7


def finalizer(code, trace):
    print(len(trace), "steps", file=sys.stderr)


with open(sys.argv[1]) as f:
    source = f.read()
pg_logger.exec_script_str_local(source, None, False, False, finalizer)
