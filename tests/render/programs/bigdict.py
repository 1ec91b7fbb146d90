small = {i: str(i) for i in range(50)}
big = {i: i for i in range(500)}
