import gc
gc.disable()
a = []
b = [a]
a.append(b)
del a, b
found = gc.collect()
