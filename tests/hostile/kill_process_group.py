# hostile: the program SIGKILLs its whole process group
# expect: status=crashed signal=9
import os, signal
print("about to kill my group", flush=True)
os.kill(0, signal.SIGKILL)
