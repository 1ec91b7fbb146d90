# hostile: an exception class of the program's own, with a message
# expect: status=exception
class Oops(Exception):
    pass
def f():
    raise Oops("it went wrong")
f()
