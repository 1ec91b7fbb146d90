# hostile: sys.stdout replaced by an object that counts __eq__ calls, up to exit (issue 7 bug 15)
# expect: status=finished
# compare: stderr
import atexit, os, sys
class Out:
    eqs = 0
    def write(self, s):
        return sys.__stdout__.write(s)
    def flush(self):
        sys.__stdout__.flush()
    def __eq__(self, other):
        Out.eqs += 1
        return self is other
    __hash__ = object.__hash__
sys.stdout = Out()
atexit.register(lambda: os.write(2, b"eq calls: %d\n" % Out.eqs))
print("x")
print("y")
