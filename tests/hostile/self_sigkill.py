# hostile: the program sends itself SIGKILL
# expect: status=crashed signal=9
import os, signal
print("about to die", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
