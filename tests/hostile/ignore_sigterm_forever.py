# hostile: ignores SIGTERM and SIGINT, then loops for ever in C
# expect: status=timeout
# python: skip
# timeout: 2
import signal, collections, itertools
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
collections.deque(itertools.count(), maxlen=0)
