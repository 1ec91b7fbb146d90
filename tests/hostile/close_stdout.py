# hostile: the program closes fd 1 and then prints
# expect: status=exception
# compare: stderr
import os
os.close(1)
print("nowhere")
