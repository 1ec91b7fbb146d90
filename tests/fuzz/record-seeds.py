#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Records the frames real worker sessions send, as fuzzing seeds.

    tests/fuzz/record-seeds.py BUILD-DIR OUT-DIR PROGRAM.py...

Runs `heapscope trace` on each program with this script standing in as the
worker (HEAPSCOPE_RUNTIME): it starts the real worker with its app-bound
pipe (fd 3) replaced by one of its own, and copies every byte both to the
app and to a file.  Each recording is then cut at a frame boundary to stay
small (the hello, the first batches of steps up to about 48 KiB, and the
"done" message), which keeps it a valid stream the app would accept.
"""
import os
import signal
import struct
import subprocess
import sys

KEEP_BYTES = 48 * 1024


def stand_in_worker():
    record = os.environ["HS_FUZZ_RECORD_TO"]
    real = os.environ["HS_FUZZ_REAL_RUNTIME"]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 3)
        os.close(w)
        os.execv(real, [real])
    os.close(w)
    with open(record, "wb") as out:
        while True:
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            out.write(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(3, view):]
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    sys.exit(os.WEXITSTATUS(status))


def frames(data):
    pos = 0
    while pos + 4 <= len(data):
        (n,) = struct.unpack_from("<I", data, pos)
        if pos + 4 + n > len(data):
            break
        yield data[pos:pos + 4 + n]
        pos += 4 + n


def trim(data):
    kept = []
    size = 0
    last = None
    for f in frames(data):
        last = f
        if size + len(f) <= KEEP_BYTES or not kept:
            kept.append(f)
            size += len(f)
    # the closing message, so the seed reaches the end of a session
    if last is not None and last is not kept[-1] and b"done" in last[:16]:
        kept.append(last)
    return b"".join(kept)


def neutral_path(directory):
    """A path of the same length (GVariant offsets stay right) that names
    no folder of the recording machine."""
    d = directory.rstrip("/") + "/"
    base = "/snippets/"
    if len(d) < len(base):
        return "/" + "x" * (len(d) - 2) + "/"
    return "/snippets" + "_" * (len(d) - len(base)) + "/"


def main():
    build, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    heapscope = os.path.join(build, "src", "heapscope")
    env = dict(os.environ,
               HEAPSCOPE_RUNTIME=os.path.abspath(__file__),
               HS_FUZZ_REAL_RUNTIME=os.path.join(os.path.abspath(build), "src", "heapscope-runtime"))
    for program in sys.argv[3:]:
        name = os.path.splitext(os.path.basename(program))[0]
        raw = os.path.join(out_dir, name + ".raw")
        env["HS_FUZZ_RECORD_TO"] = raw
        app = subprocess.Popen([heapscope, "trace", "--timeout", "10", "-o", os.devnull, program],
                               env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print(f"{name}: heapscope trace did not end; keeping what it sent")
        # nothing of the session may outlive it
        try:
            os.killpg(app.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        app.wait()
        with open(raw, "rb") as f:
            data = trim(f.read())
        # tracebacks and file names carry the program's absolute folder
        folder = os.path.dirname(os.path.abspath(program)) + "/"
        data = data.replace(folder.encode(), neutral_path(folder).encode())
        data = data.replace(folder[:-1].encode(), neutral_path(folder)[:-1].encode())
        os.unlink(raw)
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    if "HS_FUZZ_RECORD_TO" in os.environ and len(sys.argv) == 1:
        stand_in_worker()
    else:
        main()
