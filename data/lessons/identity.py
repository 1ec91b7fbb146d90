a = [1, 2]
b = [1, 2]
print(a == b, a is b)
c = a
print(a == c, a is c)
a.append(3)
print(a == b, c)
nothing = None
print(nothing is None)


class Agreeable:
    def __eq__(self, other):
        return True


yes = Agreeable()
print(yes == None, yes is None)
nan = float('nan')
print(nan == nan, nan is nan)
