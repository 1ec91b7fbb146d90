# What runs after the last line: atexit handlers and __del__
import atexit
import sys


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print('del', self.name)


def goodbye(who):
    print('atexit', who)
    print('atexit to stderr', file=sys.stderr)


atexit.register(goodbye, 'first')
atexit.register(goodbye, 'second')
keep = Noisy('global')
temp = Noisy('temp')
temp = None
print('end of program')
