#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes memory_graph's picture of each benchmark program's last step as DOT.

For every program bench-readability measures (or the PROGRAM.py files
given), runs the program to its end with this python3 and writes the
graphviz source memory_graph draws of the module's globals, as a user
of memory_graph gets it with `mg.render(locals(), "x.gv")` on the
program's last line: dunder names, modules and functions hidden, as
memory_graph hides them by default.  bench-readability --memory-graph DIR
then lays each DIR/NAME.gv out with dot and counts it as it counts ours.

memory_graph is not installed: give the path of a checkout of
https://github.com/bterwijn/memory_graph (the folder holding the
memory_graph package) as the first argument or as MEMORY_GRAPH.  It needs
the graphviz Python package (Debian: python3-graphviz).

NAME is the program's label as bench-readability prints it, with "/"
turned into "-" and ".py" dropped: corpus-bst, examples-copies,
lessons-copies; a program given by path is named by its file name.

Each program runs in its own python3 process, with PYTHONHASHSEED=0 as
the benchmark runs ours, its standard output discarded.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FOLDERS = (
    ("corpus", os.path.join(HERE, "programs")),
    ("examples", os.path.join(ROOT, "examples")),
    ("lessons", os.path.join(ROOT, "data", "lessons")),
)
TIMEOUT = 60


def default_programs():
    """The (name, path) pairs bench-readability runs without arguments,
    in its order."""
    for label, folder in FOLDERS:
        for file in sorted(os.listdir(folder)):
            if file.endswith(".py"):
                yield f"{label}-{file[:-3]}", os.path.join(folder, file)


def draw_one(checkout, program, out):
    """In the child: runs program as __main__, then writes memory_graph's
    DOT of its globals to out."""
    import builtins

    program = os.path.abspath(program)
    sys.argv = [program]
    sys.path[0] = os.path.dirname(program)
    with open(program, "rb") as f:
        code = compile(f.read(), program, "exec")
    namespace = {"__name__": "__main__", "__file__": program, "__builtins__": builtins,
                 "__doc__": None, "__package__": None, "__spec__": None, "__loader__": None}
    status = 0
    try:
        exec(code, namespace)
    except SystemExit:
        pass
    except BaseException as e:  # the state where it stopped, as Heapscope's last step
        print(f"{program}: {type(e).__name__}: {e}", file=sys.stderr)
        status = 3

    sys.path.insert(0, checkout)
    import memory_graph as mg

    # What mg.render(locals(), "x.gv") saves, at module level
    graph = mg.create_graph(namespace)
    with open(out, "w", encoding="utf-8") as f:
        f.write(graph.source)
    return status


def is_checkout(path):
    return path is not None and os.path.isfile(os.path.join(path, "memory_graph", "__init__.py"))


def main():
    parser = argparse.ArgumentParser(usage="%(prog)s [CHECKOUT] OUT [PROGRAM.py ...]", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="[CHECKOUT] OUT [PROGRAM.py ...]",
                        help="a memory_graph checkout (default: $MEMORY_GRAPH), the folder to write "
                             "NAME.gv into, and the programs (default: the benchmark's corpus, the "
                             "examples and the lessons)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = args.paths

    # The checkout is the first path when it is one, else $MEMORY_GRAPH
    if is_checkout(paths[0]):
        checkout, paths = paths[0], paths[1:]
    elif is_checkout(os.environ.get("MEMORY_GRAPH")):
        checkout = os.environ["MEMORY_GRAPH"]
    else:
        parser.error("give a memory_graph checkout (the folder holding memory_graph/__init__.py) "
                     "as the first argument or as MEMORY_GRAPH")
    if not paths:
        parser.error("give the folder to write into")
    checkout = os.path.abspath(checkout)
    out, programs = paths[0], paths[1:]

    if args.one:
        return draw_one(checkout, programs[0], out)

    if programs:
        programs = [(os.path.splitext(os.path.basename(p))[0], p) for p in programs]
    else:
        programs = list(default_programs())
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, PYTHONHASHSEED="0")
    failed = 0
    for name, path in programs:
        gv = os.path.join(os.path.abspath(out), name + ".gv")
        if os.path.exists(gv):
            os.remove(gv)
        try:
            child = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", checkout, gv,
                                    os.path.abspath(path)],
                                   cwd=os.path.dirname(os.path.abspath(path)), env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   timeout=TIMEOUT)
            ok = child.returncode == 0
        except subprocess.TimeoutExpired:
            print(f"{path}: still running after {TIMEOUT} s", file=sys.stderr)
            ok = False
        failed += not ok
        print(f"{name}: {'written' if os.path.exists(gv) else 'FAILED'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
