# hostile: gc.set_threshold(1): a collection at almost every allocation
# expect: status=finished
import gc
gc.set_threshold(1)
keep = []
for i in range(50):
    d = {"i": i}
    d["self"] = d
    keep.append([d])
print(len(keep))
