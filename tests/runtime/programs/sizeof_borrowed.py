# a class that borrows another type's __sizeof__: sys.getsizeof refuses it,
# and so must the tracer when it measures the object
class A(bytes):
    __sizeof__ = dict.__sizeof__


a = A(b"A" * 64)
print("ok")
