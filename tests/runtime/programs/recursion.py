# How deep a program can recurse
import sys

depth = 0


def down(n):
    global depth
    depth = n
    down(n + 1)


try:
    down(1)
except RecursionError as e:
    print('recursion error', e)
print('deepest', depth)
sys.setrecursionlimit(200)
try:
    down(1)
except RecursionError:
    pass
print('deepest with 200', depth)
