# code compiled with a str subclass as its filename: telling user code from
# other code must not run the program's own __hash__
class S(str):
    def __hash__(self):
        print("hash called")
        return str.__hash__(self)


code = compile("y = 1\nz = y + 1\n", S("other.py"), "exec")
exec(code)
print("done", z)
