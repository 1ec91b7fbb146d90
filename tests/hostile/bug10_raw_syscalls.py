# hostile: raw system calls through ctypes on every descriptor above 2: write, dup3 over them, close (issue 7 bug 10)
# expect: status=finished
# timeout: 20
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
SYS_write, SYS_close, SYS_dup3 = 1, 3, 292
frame = b"\x10\x00\x00\x00forged frame...."

numbers = list(range(3, 1024))
print("before", [1, 2, 3])
wrote = [fd for fd in numbers if libc.syscall(SYS_write, fd, frame, len(frame)) >= 0]
print("wrote to", wrote)

scratch = os.open("scratch.bin", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
taken = [fd for fd in numbers if fd != scratch and libc.syscall(SYS_dup3, scratch, fd, 0) == fd]
print("took", len(taken), "numbers")
for fd in taken:
    libc.syscall(SYS_write, fd, frame, len(frame))
closed = [fd for fd in numbers if libc.syscall(SYS_close, fd) == 0]
print("closed", len(closed))
print("scratch holds", os.path.getsize("scratch.bin"), "bytes")

values = {"a": [1, 2], "b": (3, 4)}
for i in range(3):
    values["a"].append(i)
    print("step", i, values["a"])
print("after", sorted(values))
