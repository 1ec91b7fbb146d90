# hostile: the program lowers its own RLIMIT_AS to 120 MB, then allocates (issue 48 item 5)
# expect: status=finished
import resource
resource.setrlimit(resource.RLIMIT_AS, (120 * 1024 * 1024, resource.getrlimit(resource.RLIMIT_AS)[1]))
data = bytearray(1024 * 1024)
print(len(data))
