small = set(range(50))
big = set(range(500))
frozen = frozenset(range(200))
