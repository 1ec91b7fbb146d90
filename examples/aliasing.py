# Names are references:
# assignment never copies.
a = [1, 2, [3, 4]]
b = a
b.append(5)
c = a[:]
c[2].append(6)
word = "heap"
n = 7
