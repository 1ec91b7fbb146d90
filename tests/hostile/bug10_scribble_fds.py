# hostile: the program writes junk to every fd above 2 (issue 7 bug 10)
# expect: status=finished
import os
n = 0
for fd in range(3, 1024):
    try:
        os.write(fd, b"\x10\x00\x00\x00junk junk junk junk")
        n += 1
    except OSError:
        pass
print("wrote to", n, "fds")
