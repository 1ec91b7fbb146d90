# hostile: an atexit handler that loops for ever, in C (issue 7 bug 7)
# expect: status=timeout
# python: skip
# timeout: 3
import atexit, collections, itertools
atexit.register(collections.deque, itertools.count(), 0)
print("registered")
