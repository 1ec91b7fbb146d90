# The interpreter the program finds itself in: which modules are loaded
import sys

print(sorted(m for m in sys.modules))
