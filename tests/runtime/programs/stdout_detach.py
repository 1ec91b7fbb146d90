# A program that detaches sys.stdout and wraps the raw file again: the
# runtime must stop reading the old wrapper's buffers.
import sys, io
print("before")
raw = sys.stdout.detach()
x = 1
sys.stdout = io.TextIOWrapper(raw)
print("after")
sys.stdout.flush()
y = 2
