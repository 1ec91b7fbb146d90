# hostile: stdout and stderr interleaved, unbuffered and buffered
# expect: status=finished
# compare: stderr
import sys
for i in range(50):
    print("out", i)
    print("err", i, file=sys.stderr)
