# Cycles keep refcounts above 0.
# Select x, press Del, do the same
# for y, then press gc.collect().
import gc

x = []
y = [x]
x.append(y)
node = {"name": "loop"}
node["self"] = node
del node
