# hostile: __getattr__ and __getattribute__ that count and raise
# expect: status=finished
class Evil:
    calls = 0
    def __init__(self):
        object.__setattr__(self, "x", 1)
    def __getattribute__(self, name):
        type(self).calls += 1
        raise AttributeError(name)
    def __getattr__(self, name):
        type(self).calls += 1
        raise AttributeError(name)
    def __dir__(self):
        type(self).calls += 1
        return []
e = Evil()
f = [e]
print("calls:", Evil.calls)
