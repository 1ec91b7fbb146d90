import sys

x = [1, 2, 3]
print(sys.getrefcount(x))
y = x
print(sys.getrefcount(x))
print(sys.getrefcount(24601))
code = compile('print(sys.getrefcount(24601))', 'inner', 'exec')
exec(code)
print(sys.getrefcount(1))
print(sys.getrefcount('h'))
