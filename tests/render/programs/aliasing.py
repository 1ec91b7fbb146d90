a = [1, 2, 3]
b = a
c = {"x": a, "y": (4, 5)}
b.append(4)
def double(n):
    s = n * 2
    return s
r = double(a[0])
