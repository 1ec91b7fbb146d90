# Non-ASCII names, keys and attributes: Heapscope reads their text without
# leaving an encoded copy inside the program's strings, so their sizes do not
# change under tracing.
import sys

नाम = [1, 2]
ключ = "значение"
k = [n for n in globals() if not n.isascii()][0]
print(sys.getsizeof(k), sys.getsizeof(ключ))


class Точка:
    def __init__(self):
        self.координата = 3


p = Точка()
attr = [n for n in vars(p)][0]
print(sys.getsizeof(attr))


def функция(параметр=[]):
    параметр.append(1)
    return len(параметр)


функция()
print(sys.getsizeof(функция.__qualname__), sys.getsizeof(функция.__code__.co_varnames[0]))
