import sys


def numbers(limit):
    seen = []
    for n in range(limit):
        seen.append(n)
        yield seen


def counter():
    total = 0

    def add(k):
        nonlocal total
        total += k
        return total
    yield add
    yield total


async def job(box):
    return box


fresh = numbers(2)
it = numbers(3)
last = next(it)
held = sys.getrefcount(last) - 1
c = counter()
add = next(c)
add(4)
co = job([7])
co.close()
del fresh
print(held, sys.getrefcount(numbers) - 1)
