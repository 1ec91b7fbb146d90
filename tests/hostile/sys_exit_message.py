# hostile: sys.exit with a message, printed on stderr, exit code 1
# expect: status=exited exit_code=1
# compare: stderr
import sys
sys.exit("goodbye")
