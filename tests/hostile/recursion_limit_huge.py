# hostile: sys.setrecursionlimit(10**6) and a recursion 50,000 deep (about 150,000 steps) finishes as under python3
# expect: status=finished exit_code=0
# timeout: 150
import sys
sys.setrecursionlimit(10 ** 6)
def f(n):
    return n if n == 0 else f(n - 1)
print(f(50_000))
