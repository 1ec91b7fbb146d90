#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rebuild the full steps of a heapscope-trace-4 (or -2) file.

    trace-v2-reader.py TRACE.json              # print it as heapscope-trace-3 (or -1)
    trace-v2-reader.py TRACE.json --step N     # print step N in full
    trace-v2-reader.py TRACE.json --compare V1.json
                                   # exit 1 unless every rebuilt step equals
                                   # the same trace written with --snapshots

Python 3 standard library only.  The rule it follows is the one in
docs/trace-format.md ("Rebuilding a step"); import it and call
rebuild_steps(doc) to get each full step in turn.
"""

import argparse
import copy
import json
import sys


# What a version 2 object record leaves out when it is false, null or empty.
DEFAULTS = {
    "size": None,
    "mutable": False,
    "small_int": False,
    "interned": False,
    "immortal": False,
    "reachable": False,
    "gc": {"tracked": False, "generation": None},
    "new": False,
    "created": False,
    "edges": [],
}


def full_record(o):
    """A version 2 object record with what it left out put back."""
    full = dict(DEFAULTS)
    full.update(o)
    return full


# each version of what steps changed, and its version with every step whole
FULL_FORMAT = {
    "heapscope-trace-4": "heapscope-trace-3",
    "heapscope-trace-2": "heapscope-trace-1",
}


def rebuild_steps(doc):
    """Yield every step of a heapscope-trace-4 (or -2) document in full,
    as a heapscope-trace-3 (or -1) step."""
    if doc.get("format") not in ("heapscope-trace-4", "heapscope-trace-2"):
        raise ValueError("not a heapscope-trace-4 or -2 document")
    ranges = doc["format"] == "heapscope-trace-4"
    ends = {"out": 0, "err": 0}
    objects = {}
    frames = []
    for step in doc["steps"]:
        listed = set()
        if step.get("snapshot"):
            # 1. a snapshot step replaces the whole state
            objects = {o["ref"]: full_record(o) for o in step["objects"]}
            frames = step["frames"]
            listed = set(objects)
        else:
            # 2. frames: the outer frames_keep ones and the step's own when
            #    they changed, else the innermost frame moved to the line
            if "frames" in step:
                frames = frames[:step.get("frames_keep", 0)] + step["frames"]
            elif frames:
                frames = frames[:-1] + [dict(frames[-1], line=step["line"])]
            # 3. objects entering or changing replace what was known of them
            for o in step.get("objects", []):
                objects[o["ref"]] = full_record(o)
                listed.add(o["ref"])
            # 4. refcount-only changes
            for ref, refcount in step.get("refcounts", []):
                objects[ref] = dict(objects[ref], refcount=refcount)
            # 5. refs that left the snapshot alive, and the freed
            for ref in step.get("removed", []):
                objects.pop(ref, None)
            for f in step.get("freed", []):
                objects.pop(f["ref"], None)

        # 6. the full step: objects by ref, "new" and "created" only where this step says
        #    so, and edges only to objects present
        full_objects = []
        for ref in sorted(objects):
            o = dict(objects[ref])
            if ref not in listed:
                o["new"] = False
                o["created"] = False
            o["edges"] = [e for e in o["edges"] if e["ref"] in objects]
            full_objects.append(o)
        full_step = {
            "index": step["index"],
            "line": step["line"],
            "event": step["event"],
            # version 4: a range of the top-level text, written always in 3
            "out": step.get("out", [ends["out"]] * 2) if ranges else step.get("out", ""),
            "err": step.get("err", [ends["err"]] * 2) if ranges else step.get("err", ""),
            "return": step.get("return"),
            "frames": copy.deepcopy(frames),
            "objects": full_objects,
            "freed": step.get("freed", []),
            "gc": step.get("gc", []),
        }
        if ranges:
            ends = {"out": full_step["out"][1], "err": full_step["err"][1]}
        # written only when true, in both versions
        if step.get("return_borrowed"):
            full_step["return_borrowed"] = True
        if step.get("yielded"):
            full_step["yielded"] = True
        yield full_step


def to_version_1(doc):
    """The whole document as --snapshots would have written it."""
    v1 = {k: v for k, v in doc.items() if k not in ("steps", "snapshot_every")}
    v1["format"] = "heapscope-trace-3" if doc["format"] == "heapscope-trace-4" else "heapscope-trace-1"
    v1["steps"] = list(rebuild_steps(doc))
    return v1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trace")
    parser.add_argument("--step", type=int)
    parser.add_argument("--compare", metavar="V1_JSON")
    args = parser.parse_args()

    with open(args.trace, encoding="utf-8") as f:
        doc = json.load(f)

    if args.compare:
        with open(args.compare, encoding="utf-8") as f:
            expected = json.load(f)
        rebuilt = to_version_1(doc)
        if len(rebuilt["steps"]) != len(expected["steps"]):
            print(f"{len(rebuilt['steps'])} steps rebuilt, {len(expected['steps'])} expected")
            return 1
        for mine, theirs in zip(rebuilt["steps"], expected["steps"]):
            if mine != theirs:
                print(f"step {theirs['index']} differs")
                print("rebuilt: ", json.dumps(mine, sort_keys=True))
                print("expected:", json.dumps(theirs, sort_keys=True))
                return 1
        for key in expected:
            if key != "steps" and rebuilt.get(key) != expected[key]:
                print(f"member {key} differs")
                return 1
        print(f"{len(rebuilt['steps'])} steps rebuilt and equal")
        return 0

    if args.step is not None:
        for step in rebuild_steps(doc):
            if step["index"] == args.step:
                json.dump(step, sys.stdout)
                print()
                return 0
        print(f"no step {args.step}", file=sys.stderr)
        return 1

    json.dump(to_version_1(doc), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
