import copy

a = [[1, 2], [3, 4]]
b = a[:]
c = a.copy()
d = copy.copy(a)
e = copy.deepcopy(a)
a[0].append(99)
print(b[0], c[0], d[0], e[0])
print(b is a, b[0] is a[0], e[0] is a[0])
shared = [0]
pair = [shared, shared]
pair2 = copy.deepcopy(pair)
print(pair2[0] is pair2[1])
loop = [1]
loop.append(loop)
loop2 = copy.deepcopy(loop)
print(loop2[1] is loop2, loop2 is loop)
