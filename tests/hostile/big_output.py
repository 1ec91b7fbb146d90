# hostile: 20 MB of output in one step, then 2,000 small prints
# expect: status=finished
# timeout: 20
import sys
sys.stdout.write(("x" * 99 + "\n") * 200_000)
for i in range(2000):
    print(i)
