small = set(range(50))
big = set(range(1000, 1500))
frozen = frozenset(range(2000, 2200))
