# A slice copies the outer list only: the slice's two rows are the
# matrix's first two rows, and the slice is named after the matrix.
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
top = matrix[:2]
top[0][0] = 100
