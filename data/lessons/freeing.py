import gc
import weakref

gc.disable()


class Node:
    def __del__(self):
        print('__del__ of', self.name)


x = int('1000')
x = 'chai'
y = 1000
y = 'chai'
first = Node()
first.name = 'first'
first = None
a = Node()
a.name = 'a'
b = Node()
b.name = 'b'
a.partner = b
b.partner = a
watch = weakref.ref(a)
del a, b
print('alive:', watch() is not None)
print(gc.get_threshold(), gc.isenabled())
found = gc.collect()
print('collected', found, 'alive:', watch() is not None)
gc.enable()
