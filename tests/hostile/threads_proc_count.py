# hostile: the program counts its threads in /proc (the task listing, stat's num_threads, status's Threads:, by /proc/self, /proc/PID and /proc/thread-self, through open, os.open (also relative to a directory descriptor or the working directory) and os.scandir): the worker's channel threads are not the program's, python3 has one thread, then two with the program's own
# expect: status=finished
import os
import threading
import time


def stat_threads(path):
    with open(path) as f:
        return int(f.read().rsplit(")", 1)[1].split()[17])


def status_threads(path):
    with open(path) as f:
        return [int(line.split()[1]) for line in f if line.startswith("Threads:")]


def counts():
    pid = os.getpid()
    fd = os.open("/proc/self/stat", os.O_RDONLY)
    raw = int(os.read(fd, 4096).decode().rsplit(")", 1)[1].split()[17])
    os.close(fd)
    return [
        len(os.listdir("/proc/self/task")),
        len(list(os.scandir("/proc/%d/task" % pid))),
        stat_threads("/proc/self/stat"),
        stat_threads("/proc/%d/stat" % pid),
        stat_threads("/proc/thread-self/stat"),
        stat_threads("/proc/self/task/%d/stat" % pid),
        status_threads("/proc/self/status"),
        status_threads("/proc/%d/status" % pid),
        raw,
    ]


print(counts())
print(os.listdir("/proc/self/task") == [str(os.getpid())])
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
print(counts())
print(sorted(os.listdir("/proc/self/task")) == sorted([str(os.getpid()), str(t.native_id)]))
stop.set()
t.join()
# join() returns before the kernel has reaped the thread: wait for its
# task entry to go, or python3 itself sometimes counts it
while os.path.exists("/proc/self/task/%d" % t.native_id):
    time.sleep(0.001)
# relative to a directory descriptor, and to the working directory
proc = os.open("/proc/self", os.O_RDONLY)
fd = os.open("status", os.O_RDONLY, dir_fd=proc)
print([line for line in os.read(fd, 4096).decode().splitlines() if line.startswith("Threads:")])
os.close(fd)
os.close(proc)
os.chdir("/proc/%d/task" % os.getpid())
print(stat_threads("%d/stat" % os.getpid()))
