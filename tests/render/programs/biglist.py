big = list(range(10000))
small = big[:3]
