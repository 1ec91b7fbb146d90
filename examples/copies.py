# A shallow copy shares the rows;
# a deep copy has its own.
import copy

grid = [[0, 0], [0, 0]]
shallow = copy.copy(grid)
deep = copy.deepcopy(grid)
shallow[0][0] = 1
deep[1][1] = 2
