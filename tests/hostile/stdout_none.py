# hostile: sys.stdout set to None, then restored
# expect: status=finished
import sys
sys.stdout = None
print("lost")
sys.stdout = sys.__stdout__
print("back")
