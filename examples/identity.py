# heapscope: every-object
# Equal is not identical.
# Small ints and short strings
# are shared.
a = 256
b = 256
c = 1000
d = int("1000")
s = "spam"
t = "".join(["sp", "am"])
same = a is b
different = c is d
equal = s == t
