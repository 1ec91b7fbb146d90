# hostile: an infinite loop inside C code: no steps, only the timeout can end it
# expect: status=timeout
# python: skip
# timeout: 2
import collections, itertools
collections.deque(itertools.count(), maxlen=0)
