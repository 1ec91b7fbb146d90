# hostile: a list nested 300,000 deep, built and measured by code outside the file (no steps)
# expect: status=finished
# timeout: 20
g = {}
exec("l = []\nfor i in range(300000):\n    l = [l]\nn = 0\np = l\nwhile p:\n    p = p[0]\n    n += 1\n", g)
deep = g["l"]
print(g["n"])
