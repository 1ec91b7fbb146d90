a = [[1, 2], 3]
del a
