# hostile: an atexit handler ends the process with os._exit(7) during shutdown; python3 exits 7, and what was still buffered is lost
# expect: status=finished exit_code=7
# steps-output: any
import atexit
import os

atexit.register(lambda: os._exit(7))
values = [1, 2, 3]
print("printed before shutdown", values)
