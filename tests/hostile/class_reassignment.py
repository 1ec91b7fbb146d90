# hostile: __class__ reassignment between steps
# expect: status=finished
class A:
    pass
class B:
    pass
x = A()
x.v = 1
x.__class__ = B
y = type(x).__name__
x.__class__ = A
print(y, type(x).__name__)
