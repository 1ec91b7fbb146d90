# hostile: 16 GiB of untouched memory: python3 gets it (overcommit), the worker's 4 GiB limit does not
# expect: status=exception error.type=MemoryError
# unlimited: status=finished
# python: skip
chunks = [bytes(2 ** 28) for _ in range(64)]
print(len(chunks))
