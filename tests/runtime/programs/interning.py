# Identity of ints and strings
import sys

a = 256
b = 256
print(a is b)
c = int('257')
d = int('257')
print(c is d, c == d)
e = 257
f = 257
print(e is f)
s1 = 'hello'
s2 = ''.join(['hel', 'lo'])
print(s1 is s2, s1 == s2, s1 is sys.intern(s2))
x = [1, 2]
y = [1, 2]
print(x == y, x is y)
