# hostile: os._exit with output still in the buffer, which is lost
# expect: status=exited exit_code=3
# steps-output: any
import os
print("lost in the buffer")
os._exit(3)
