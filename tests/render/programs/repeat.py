# Many references to one object: ten slots to one int, and names and
# slots to None, whose arrowheads need room on one side of its box
row = [0] * 10
board = [None] * 9
a = b = c = d = e = f = None
