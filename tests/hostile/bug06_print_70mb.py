# hostile: one step prints more than 64 MiB (issue 7 bug 6)
# expect: status=finished
# timeout: 30
print("x" * 70_000_000)
print("done")
