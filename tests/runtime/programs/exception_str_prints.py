# an uncaught exception whose __str__ prints: python3 calls it once, while
# writing the traceback, and so must the runtime
class E(Exception):
    def __str__(self):
        print("__str__ called")
        return "boom"


print("before")
raise E()
