# hostile: input() with no stdin
# expect: status=exception error.type=EOFError
name = input("name? ")
