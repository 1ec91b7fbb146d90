# hostile: a child process outlives the program holding every inherited fd (issue 7 bug 7)
# expect: status=finished
import subprocess
subprocess.Popen(["sleep", "60"], close_fds=False)
print("parent done")
