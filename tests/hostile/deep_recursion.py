# hostile: unbounded recursion ends in RecursionError
# expect: status=exception
# timeout: 20
def f(n):
    return f(n + 1)
f(0)
