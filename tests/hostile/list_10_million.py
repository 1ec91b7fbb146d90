# hostile: a list of ten million elements
# expect: status=finished
# timeout: 20
big = list(range(10 ** 7))
total = sum(big)
print(len(big), total)
