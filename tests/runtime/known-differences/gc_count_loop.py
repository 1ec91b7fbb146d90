# gc.get_count() while the program allocates, across a gen0 collection, with
# output flushed during the loop: the tracer's own allocations must not show
import gc

gc.collect()
keep = []
for i in range(2000):
    keep.append([])
    if i % 50 == 0:
        print(i, gc.get_count())
    if i % 100 == 0:
        print("flushed at", i, flush=True)
print("done", len(keep))
