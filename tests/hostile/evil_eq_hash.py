# hostile: __eq__ and __hash__ that count their calls and raise
# expect: status=finished
class Evil:
    calls = 0
    def __eq__(self, other):
        Evil.calls += 1
        raise RuntimeError("eq")
    def __hash__(self):
        Evil.calls += 1
        return 7
e = Evil()
d = {e: 1}
s = {e}
x = [e, e]
print("calls:", Evil.calls)
