# hostile: a SIGALRM handler raises into a tight loop, which catches it (issue 48 item 4)
# expect: status=finished
# timeout: 30
import signal
def handler(signum, frame):
    raise KeyError("from handler")
signal.signal(signal.SIGALRM, handler)
for round in range(20):
    signal.setitimer(signal.ITIMER_REAL, 0.002)
    try:
        n = 0
        while True:
            n = n + 1
    except KeyError as e:
        pass
print("caught 20")
