#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints the hostile corpus as a Markdown table for docs/reliability.md:
each case, what it does, what is expected, and what Heapscope reported in
the last `meson test --suite hostile` (read from BUILD/meson-logs).

    tests/hostile/table.py BUILD-DIR
"""
import glob
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1] if len(sys.argv) > 1 else "_build"

results = {}
with open(os.path.join(build, "meson-logs", "testlog.json")) as log:
    for line in log:
        entry = json.loads(line)
        if entry["name"].startswith("heapscope:hostile / "):
            results[entry["name"].split(" / ", 1)[1]] = entry

print("| case | what it does | expected | Heapscope today |")
print("|---|---|---|---|")
for path in sorted(glob.glob(os.path.join(here, "*.py"))):
    name = os.path.basename(path)[:-3]
    if name == "table":
        continue
    what = expect = ""
    python = True
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not line.startswith("#"):
                break
            if line.startswith("# hostile:"):
                what = line[len("# hostile:"):].strip()
            elif line.startswith("# expect:"):
                expect = line[len("# expect:"):].strip()
            elif line.startswith("# python: skip"):
                python = False
    expect += "" if python else " (python3 not run)"
    entry = results.get(name)
    if entry is None:
        today = "not run"
    elif entry["result"] == "OK":
        today = "as expected (%.1f s)" % entry["duration"]
    else:
        notes = [l[2:] for l in entry["stdout"].splitlines()
                 if l.startswith("# ") and not l.startswith(("# random seed", "# Start of", "# End of"))
                 and "took" not in l]
        took = re.search(r"took ([0-9.]+) s", entry["stdout"])
        text = "; ".join(n.strip() for n in notes)[:300]
        today = "**FAILS**: " + text.replace("|", "\\|") + (" (%s s)" % took.group(1) if took else "")
    print(f"| `{name}` | {what.replace('|', '/')} | `{expect}` | {today} |")
