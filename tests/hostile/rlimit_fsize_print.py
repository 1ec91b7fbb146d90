# hostile: the program limits file sizes to 1,024 bytes, then prints 5,000 characters (issue 48 item 10)
# expect: status=finished
# python: skip
import resource
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
print('x' * 5000)
