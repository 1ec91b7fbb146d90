def append_to(item, bucket=[]):
    bucket.append(item)
    return bucket


first = append_to(1)
second = append_to(2)
print(first is second, first)
grid = [[0] * 3] * 3
grid[0][0] = 1
print(grid)
rows = [[0] * 3 for _ in range(3)]
rows[0][0] = 1
print(rows)
groups = {'a': [1], 'b': [2]}
backup = groups.copy()
groups['a'].append(99)
print(backup['a'] is groups['a'], backup)
