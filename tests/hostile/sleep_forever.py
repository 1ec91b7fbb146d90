# hostile: sleeps for an hour
# expect: status=timeout
# python: skip
# timeout: 2
import time
time.sleep(3600)
