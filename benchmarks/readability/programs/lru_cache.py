# An LRU cache: a dict for the values, a list for the order of use.
class LRU:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = {}
        self.order = []

    def get(self, key):
        if key in self.data:
            self.order.remove(key)
            self.order.append(key)
            return self.data[key]
        return None

    def put(self, key, value):
        if key in self.data:
            self.order.remove(key)
        elif len(self.data) >= self.capacity:
            del self.data[self.order.pop(0)]
        self.data[key] = value
        self.order.append(key)


cache = LRU(3)
for key, value in [('a', [1]), ('b', [2]), ('c', [3]), ('a', [4]), ('d', [5])]:
    cache.put(key, value)
hit = cache.get('c')
