# hostile: the program deletes its own module from sys.modules (issue 7 bug 2)
# expect: status=finished
import sys
x = [1, 2, 3]
del sys.modules["__main__"]
y = {"k": x}
print(len(y))
