# hostile: sys.exit(4)
# expect: status=exited exit_code=4
import sys
print("bye")
sys.exit(4)
