# hostile: the program forges a "finished" on fd 500, then kills itself (issue 7 bug 10)
# expect: status=crashed signal=9
import os, signal, struct
def frame(payload):
    return struct.pack("<I", len(payload)) + payload
for fd in (500, 501):
    try:
        os.write(fd, frame(b"done\0\0\0\0finished\0" + b"\0" * 24))
    except OSError:
        pass
os.kill(os.getpid(), signal.SIGKILL)
