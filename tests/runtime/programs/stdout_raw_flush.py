# sys.stdout replaced by a wrapper around Python code: the tracer must not
# flush it at each step, or the program sees flush() calls python3 never makes
import io
import sys

calls = 0


class Raw(io.RawIOBase):
    def writable(self):
        return True

    def write(self, b):
        return len(b)

    def flush(self):
        global calls
        calls += 1


sys.stdout = io.TextIOWrapper(Raw())
x = 1
y = 2
z = 3
sys.__stdout__.write(f"flush calls: {calls}\n")
