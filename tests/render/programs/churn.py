rows = []
for i in range(12):
    rows.append([i, str(i)])
rows = None
table = {}
for i in range(12):
    table[str(i)] = (i, [i])
del table
pairs = [(i, [i, i + 1]) for i in range(12)]
