# hostile: eight threads update a shared counter under a lock
# expect: status=finished
import threading
lock = threading.Lock()
total = [0]
def work():
    for i in range(2000):
        with lock:
            total[0] += 1
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total[0])
