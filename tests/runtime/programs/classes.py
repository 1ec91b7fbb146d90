# Calling a class makes the object and runs __init__ on it; the call holds
# the object until __init__ returns, which sys.getrefcount(self) counts.
import sys


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        print("in __init__:", sys.getrefcount(self))


class Labelled(Point):
    def __init__(self, x, y, label):
        super().__init__(x, y)
        self.label = label

        def show():
            return self.label

        self.show = show
        print("in Labelled.__init__:", sys.getrefcount(self))


p = Point(1, 2)
q = Labelled(3, 4, "q")
Point.__init__(p, 5, 6)
print("after:", sys.getrefcount(p), sys.getrefcount(q))
