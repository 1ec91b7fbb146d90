# hostile: a SIGALRM handler rebinding a global, every 0.2 ms during a loop (issue 48 item 4)
# expect: status=finished
import signal
count = 0
def handler(signum, frame):
    global count
    count = count + 1
signal.signal(signal.SIGALRM, handler)
signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
total = 0
for i in range(20000):
    total += i
signal.setitimer(signal.ITIMER_REAL, 0)
print("total", total, "handler ran", count > 0)
