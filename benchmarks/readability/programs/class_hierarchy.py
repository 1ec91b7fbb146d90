# A class hierarchy with a few instances of each class.
class Shape:
    def __init__(self, name):
        self.name = name


class Circle(Shape):
    def __init__(self, name, radius):
        super().__init__(name)
        self.radius = radius


class Rect(Shape):
    def __init__(self, name, width, height):
        super().__init__(name)
        self.width = width
        self.height = height


class Square(Rect):
    def __init__(self, name, side):
        super().__init__(name, side, side)


shapes = [Circle('c1', 1.5), Rect('r1', 2, 3), Square('s1', 4), Circle('c2', 0.5)]
