# Nested tuples: points, segments, a polygon made of segments.
a = (0, 0)
b = (4, 0)
c = (4, 3)
ab = (a, b)
bc = (b, c)
ca = (c, a)
triangle = (ab, bc, ca)
labels = (('a', a), ('b', b), ('c', c))
