# Each call gets its own frame;
# a closure keeps its cell alive.
def make_counter(start):
    count = [start]

    def step():
        count[0] += 1
        return count[0]

    return step


counter = make_counter(10)
first = counter()
second = counter()
