# hostile: os.dup2 puts a file on fd 1 and back (issue 7 bug 12b)
# expect: status=finished
import os
print("one", flush=True)
with open("other.txt", "w") as f:
    f.write("bytes of an unrelated file\n")
saved = os.dup(1)
fd = os.open("other.txt", os.O_RDONLY)
os.dup2(fd, 1)
os.dup2(saved, 1)
print("two")
