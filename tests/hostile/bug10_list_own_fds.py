# hostile: the program lists its open fds; python3 has 0, 1, 2 and the listing's own (issue 7 bug 10)
# expect: status=finished
import os
print(sorted(int(f) for f in os.listdir("/proc/self/fd")))
