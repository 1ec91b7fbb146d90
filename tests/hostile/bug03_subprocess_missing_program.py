# hostile: subprocess of a program that does not exist (issue 7 bug 3)
# expect: status=finished
import subprocess
try:
    subprocess.run(["/no/such/program"])
except FileNotFoundError as e:
    print("missing:", e.errno)
print("after")
