row = [0] * 10
board = [None] * 9
grid = [[0] * 3 for _ in range(3)]
