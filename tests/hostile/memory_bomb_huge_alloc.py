# hostile: asks for a petabyte at once
# expect: status=exception error.type=MemoryError
x = bytearray(2 ** 50)
