# hostile: poll() and mmap() (through ctypes) on every descriptor above 2 see them all closed, as under python3 (issue 7 bug 10)
# expect: status=finished
import ctypes
import select

p = select.poll()
for fd in range(3, 1024):
    p.register(fd, select.POLLIN)
events = p.poll(0)
print("polled", len(events), "descriptors, events", sorted({ev for _, ev in events}))

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
PROT_READ, MAP_PRIVATE, MAP_FAILED = 1, 2, ctypes.c_void_p(-1).value
mapped = [fd for fd in range(3, 1024) if libc.mmap(None, 4096, PROT_READ, MAP_PRIVATE, fd, 0) != MAP_FAILED]
print("mapped", mapped)
x = [1, 2, 3]
print("done", x)
