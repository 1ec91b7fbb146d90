# sys.getrefcount wherever a program might ask for it
import sys

a = []
b = a
print('module', sys.getrefcount(a))
print('literal', sys.getrefcount(24601))
print('small', sys.getrefcount(7) > 1000)


def local_counts(p):
    q = p
    inner = [p, q]
    print('function arg', sys.getrefcount(p))
    print('function list', sys.getrefcount(inner))
    fresh = object()
    print('function fresh', sys.getrefcount(fresh))
    return inner


kept = local_counts(a)
print('after call', sys.getrefcount(a))


def make_counter():
    box = [0]

    def bump():
        box[0] += 1
        print('closure cell contents', sys.getrefcount(box))
        return box[0]
    print('enclosing', sys.getrefcount(box))
    return bump


bump = make_counter()
bump()
bump()

for i in range(3):
    kept.append(a)
    print('loop', i, sys.getrefcount(a))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        print('in __init__', sys.getrefcount(self))

    def show(self):
        print('in method', sys.getrefcount(self))


p = Point([1], [2])
print('instance', sys.getrefcount(p))
p.show()
m = p.show
print('bound method holds self', sys.getrefcount(p))
print('attribute', sys.getrefcount(p.x))
print('class', sys.getrefcount(Point) > 2)

items = [[1], [2], a]
print('list element', sys.getrefcount(items[0]), sys.getrefcount(items[2]))
d = {'k': [3], 'a': a}
print('dict value', sys.getrefcount(d['k']), sys.getrefcount(d['a']))
t = (a, a)
print('tuple', sys.getrefcount(a), sys.getrefcount(t))
del t, d, items
print('after del', sys.getrefcount(a))

s = 'a fairly unique string constant'
print('str constant', sys.getrefcount(s))
n = int('123456')
print('computed int', sys.getrefcount(n))
print('None is shared', sys.getrefcount(None) > 100)


def gen():
    x = [9]
    yield sys.getrefcount(x)
    yield sys.getrefcount(x)


print('generator', list(gen()))
print('lambda', (lambda v: sys.getrefcount(v))(object()))
print('comprehension', [sys.getrefcount(v) for v in [object(), a]])


def with_locals():
    x = object()
    before = sys.getrefcount(x)
    locals()
    after = sys.getrefcount(x)
    print('locals() materialises f_locals', before, after)


with_locals()
