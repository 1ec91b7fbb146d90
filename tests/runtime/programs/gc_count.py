# gc.get_count(): allocations since the last collection, per generation
import gc

gc.collect()
print('after collect', gc.get_count())
x = [[] for _ in range(10)]
print('after ten lists', gc.get_count())


def f():
    return gc.get_count()


print('in a call', f())
