# hostile: __repr__ and __str__ that count calls, raise or never end; Heapscope must not call them
# expect: status=finished
class Evil:
    calls = 0
    def __repr__(self):
        Evil.calls += 1
        while True:
            pass
    def __str__(self):
        Evil.calls += 1
        raise RuntimeError("str")
    def __format__(self, spec):
        Evil.calls += 1
        return "?"
e = Evil()
items = [e, {"e": e}]
print("calls:", Evil.calls)
