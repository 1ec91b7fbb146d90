# hostile: a write fills Python's 8192-byte text buffer while a new piece waits (issue 7 bug 12a)
# expect: status=finished 'out_after_4={b*4095}\n' 'out_after_5={b*4096}' 'out_after_6={b*4096}\n' 'out_after_7=\n{b*4096}'
import sys
sys.stdout.write("b" * 4095 + "\n")
sys.stdout.write("b" * 4096)
sys.stdout.write("b" * 4096 + "\n")
sys.stdout.write("\n" + "b" * 4096)
print("end")
