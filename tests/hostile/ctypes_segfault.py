# hostile: a segfault through ctypes
# expect: status=crashed signal=11
import ctypes
print("reading address 0", flush=True)
ctypes.string_at(0)
