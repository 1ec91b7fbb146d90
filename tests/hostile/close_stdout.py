# hostile: the program closes fd 1 and then prints: python3's flush at exit fails, exit code 120
# expect: status=finished
# compare: stderr
# steps-output: any
import os
os.close(1)
print("nowhere")
