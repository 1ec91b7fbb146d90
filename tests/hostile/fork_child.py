# hostile: os.fork; the child prints and leaves with os._exit
# expect: status=finished
import os
print("before fork", flush=True)
pid = os.fork()
if pid == 0:
    print("child", flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print("parent")
