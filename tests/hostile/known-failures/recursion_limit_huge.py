# hostile: sys.setrecursionlimit(10**6) and a recursion 50,000 deep: the step limit ends it
# expect: status=step-limit exit_code=null
# python: skip
# timeout: 30
import sys
sys.setrecursionlimit(10 ** 6)
def f(n):
    return n if n == 0 else f(n - 1)
print(f(50_000))
