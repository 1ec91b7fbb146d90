# a forked child runs a line and exits: its steps must not reach the trace,
# and the parent goes on as under python3
import os

pid = os.fork()
if pid == 0:
    x = 1
    os._exit(0)
os.waitpid(pid, 0)
print("parent done")
