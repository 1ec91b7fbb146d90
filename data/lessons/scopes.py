count = 0


def bump():
    global count
    count += 1


def shadow():
    count = 100
    return count


def make_adder():
    total = 0

    def add(n):
        nonlocal total
        total += n
        return total

    return add


bump()
shadow()
adder = make_adder()
adder(5)
adder(2)
print(count, adder.__closure__[0].cell_contents)
