# hostile: bytes that are not UTF-8 in the source
# expect: status=syntax-error error.type=SyntaxError
s = "café"
print(s)
