import sys

a = 256
b = 256
print(a is b)
c = int('257')
d = int('257')
print(c == d, c is d)
e = 257
f = 257
print(e is f)
s = 'spam'
t = ''.join(['sp', 'am'])
print(s == t, s is t)
t = sys.intern(t)
print(s is t)
