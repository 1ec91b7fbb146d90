# hostile: a stream whose flush is overridden counts its calls, up to exit (issue 7 bug 15)
# expect: status=finished
# compare: stderr
import atexit, io, os, sys
class Counting(io.TextIOWrapper):
    flushes = 0
    def flush(self):
        Counting.flushes += 1
        return super().flush()
sys.stdout = Counting(open(1, "wb", closefd=False))
atexit.register(lambda: os.write(2, b"flushes: %d\n" % Counting.flushes))
print("a")
print("b")
print("c")
