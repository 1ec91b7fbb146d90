# hostile: gc.disable() with cycles piling up
# expect: status=finished
import gc
gc.disable()
for i in range(100):
    a = []
    a.append(a)
print(gc.isenabled(), gc.collect() >= 100)
