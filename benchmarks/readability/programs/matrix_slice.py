# A slice copies the outer list only: its rows are the matrix's rows.
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
top = matrix[:2]
top[0][0] = 100
column = [row[1] for row in matrix]
transposed = [list(col) for col in zip(*matrix)]
