# hostile: 6 GiB of untouched memory: python3 gets it (overcommit), the worker's 4 GiB limit does not
# expect: status=exception error.type=MemoryError
# unlimited: status=finished
# python: skip
# timeout: 20
chunks = [bytes(2 ** 27) for _ in range(48)]
print(len(chunks))
