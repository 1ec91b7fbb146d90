# The collector as the program sees it
import gc
import sys

print('enabled', gc.isenabled())
print('threshold', gc.get_threshold())
print('first collect', gc.collect())
print('nothing left', gc.collect())


class Node:
    def __init__(self):
        self.other = None


for n in range(3):
    a = Node()
    b = Node()
    a.other = b
    b.other = a
a = b = None
print('cycles collected', gc.collect())
l = []
l.append(l)
del l
print('self-cycle collected', gc.collect(0))
print('tracked', gc.is_tracked([]), gc.is_tracked(1), gc.is_tracked({}), gc.is_tracked({'a': []}))
print('garbage', gc.garbage)
print('gettrace', sys.gettrace())
print('getprofile', sys.getprofile())
gc.disable()
print('disabled', gc.isenabled())
gc.enable()
print('stats', len(gc.get_stats()))
