# hostile: a subprocess writes to the shared stdout between two steps (issue 7 bug 12b)
# expect: status=finished
import subprocess, sys
print("before", flush=True)
subprocess.run(["echo", "from the child"])
print("after")
