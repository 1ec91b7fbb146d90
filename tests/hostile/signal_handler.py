# hostile: a SIGALRM handler runs in the middle of the program
# expect: status=finished
import signal, time
hits = []
def handler(signum, frame):
    hits.append(signum)
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.05)
time.sleep(0.5)
print("hits:", hits)
