# hostile: the program closes fd 0 and reads a line
# expect: status=exception
import os
os.close(0)
input()
