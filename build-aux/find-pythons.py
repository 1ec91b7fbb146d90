#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by meson at configure time: finds the CPythons, other than the
# system's python3-embed, that Heapscope can embed.
#
#   find-pythons.py VERSIONS [--pyenv] [DIR...]
#
# VERSIONS is a comma-separated list of the minor versions that have an
# hs-cpython-3XX.c port ("3.12,3.13").  Each DIR is an install prefix or a
# pkg-config folder; with --pyenv, every pyenv version (under `pyenv root`,
# $PYENV_ROOT or ~/.pyenv) is tried after them.  The first interpreter found
# for a version wins, so the DIRs override pyenv.
#
# Prints one line per interpreter found:
#   VERSION|PREFIX|LIBDIR|CFLAGS|LIBS|PYTHON
# and explains on stderr why a candidate was left out.

import os
import shutil
import subprocess
import sys


def pyenv_root():
    root = os.environ.get("PYENV_ROOT")
    if root:
        return root
    if shutil.which("pyenv"):
        try:
            out = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=20)
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return os.path.join(os.path.expanduser("~"), ".pyenv")


def version_key(name):
    parts = []
    for p in name.split("."):
        parts.append(int(p) if p.isdigit() else -1)
    return parts


def pyenv_prefixes():
    versions = os.path.join(pyenv_root(), "versions")
    try:
        names = os.listdir(versions)
    except OSError:
        return []
    # newest patch release first, so it wins for its minor version
    names = [n for n in names if all(p.isdigit() for p in n.split("."))]
    names.sort(key=version_key, reverse=True)
    return [os.path.join(versions, n) for n in names]


def pkgconfig(pcdir, args):
    env = dict(os.environ, PKG_CONFIG_PATH=pcdir, PKG_CONFIG_LIBDIR=pcdir)
    out = subprocess.run(["pkg-config"] + args, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return None
    return out.stdout.strip()


def candidate(path, wanted):
    """(version, pcdir) pairs a DIR offers: a pkg-config folder or a prefix."""
    for pcdir in (path, os.path.join(path, "lib", "pkgconfig")):
        for v in wanted:
            if os.path.isfile(os.path.join(pcdir, "python-%s-embed.pc" % v)):
                yield v, pcdir


def describe(version, pcdir):
    module = "python-%s-embed" % version
    prefix = pkgconfig(pcdir, ["--variable=prefix", module])
    libdir = pkgconfig(pcdir, ["--variable=libdir", module])
    cflags = pkgconfig(pcdir, ["--cflags", module])
    libs = pkgconfig(pcdir, ["--libs", module])
    if None in (prefix, libdir, cflags, libs):
        return None, "pkg-config cannot read %s in %s" % (module, pcdir)
    include = os.path.join(prefix, "include", "python" + version)
    if not os.path.isfile(os.path.join(include, "internal", "pycore_frame.h")):
        return None, "%s has no internal headers" % include
    pyconfig = os.path.join(include, "pyconfig.h")
    try:
        with open(pyconfig) as f:
            if "\n#define Py_GIL_DISABLED 1" in f.read():
                return None, "%s is a free-threaded build" % prefix
    except OSError:
        return None, "%s has no pyconfig.h" % include
    if not os.path.exists(os.path.join(libdir, "libpython%s.so" % version)):
        return None, "%s has no shared libpython%s" % (libdir, version)
    python = os.path.join(prefix, "bin", "python" + version)
    if not os.access(python, os.X_OK):
        return None, "%s is missing" % python
    return "|".join([version, prefix, libdir, cflags, libs, python]), None


def main(argv):
    wanted = [v for v in argv[1].split(",") if v]
    dirs = []
    use_pyenv = False
    for arg in argv[2:]:
        if arg == "--pyenv":
            use_pyenv = True
        elif arg:
            dirs.append(arg)
    if use_pyenv:
        dirs += pyenv_prefixes()

    found = {}
    for d in dirs:
        for version, pcdir in candidate(d, wanted):
            if version in found:
                continue
            line, why = describe(version, pcdir)
            if line is None:
                print("find-pythons: skipping: " + why, file=sys.stderr)
                continue
            found[version] = line
    for v in wanted:
        if v in found:
            print(found[v])


if __name__ == "__main__":
    main(sys.argv)
