# hostile: a __del__ that loops for ever at interpreter exit (issue 7 bug 7)
# expect: status=timeout
# python: skip
# timeout: 3
import collections, itertools
class Stuck:
    def __del__(self):
        collections.deque(itertools.count(), 0)
keep = Stuck()
print("made")
