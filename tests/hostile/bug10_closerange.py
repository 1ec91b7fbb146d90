# hostile: the program closes every fd above 2 (issue 7 bug 10)
# expect: status=finished
import os
os.closerange(3, 65536)
x = [1, 2]
print("still here", x)
