# hostile: a write fills Python's 8192-byte text buffer while a new piece waits (issue 7 bug 12a)
# expect: status=finished
import sys
sys.stdout.write("b" * 4095 + "\n")
sys.stdout.write("b" * 4096)
sys.stdout.write("b" * 4096 + "\n")
sys.stdout.write("\n" + "b" * 4096)
print("end")
