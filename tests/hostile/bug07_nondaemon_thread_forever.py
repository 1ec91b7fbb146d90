# hostile: a non-daemon thread that never ends keeps python3 alive for ever (issue 7 bug 7)
# expect: status=timeout
# python: skip
# timeout: 3
import threading, time
threading.Thread(target=time.sleep, args=(10**6,)).start()
print("main done")
