# Iterators hold what they iterate over: drawn when a variable holds
# the iterator, named when only a for loop's value stack does.
import sys

nums = [1, 2, 3]
words = ("a", "b")
d = {"k": nums}
it = iter(nums)
first = next(it)


def drain(i):
    for _ in i:
        pass
    return 0


for x in it:
    drain(it)
print(sys.getrefcount(nums))
it2 = iter(words)
for w in it2:
    it2 = None
    print(sys.getrefcount(words))
for i, pair in enumerate(zip(nums, words)):
    print(i, pair, sys.getrefcount(nums))
for k, v in d.items():
    for y in reversed(v):
        z = y
    v = None
    print(sys.getrefcount(nums))
for m in {1, 2}:
    pass
for ch in "héllo":
    pass
for b in b"ab":
    pass
squares = [n * n for n in nums]
lazy = map(abs, nums)
print(list(lazy), squares, sys.getrefcount(nums))
