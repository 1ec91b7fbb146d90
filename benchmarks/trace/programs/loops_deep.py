# A recursion 900 deep with a for loop in every frame: the iterators on
# the stacks of frames that do not run cost only a refcount check a step.
import sys
sys.setrecursionlimit(5000)
nums = [1, 2]
def f(n):
    for x in nums:
        if n:
            return f(n - 1)
    return 0
for _ in range(10):
    f(900)
print("done")
