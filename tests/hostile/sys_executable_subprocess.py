# hostile: runs sys.executable as a subprocess, as tutorials do
# expect: status=finished
import subprocess, sys
r = subprocess.run([sys.executable, "-c", "print('child says hi')"], capture_output=True, text=True)
print(r.returncode, r.stdout.strip())
