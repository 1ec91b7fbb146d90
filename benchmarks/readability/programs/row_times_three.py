# [row] * 3 makes three references to one row, not three rows.
row = [0] * 3
grid = [row] * 3
grid[0][1] = 5
fixed = [[0] * 3 for _ in range(3)]
fixed[0][1] = 5
