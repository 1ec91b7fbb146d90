# Twelve small tuples in one list: a rank of leaves far taller than the
# picture is wide, which wraps into a second column.
title = 'twelve pairs'
pairs = []
for i in range(12):
    pairs.append((i, str(i)))
