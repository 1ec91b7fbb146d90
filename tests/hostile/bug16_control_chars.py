# hostile: output and an exception message with U+001F and other controls (issue 7 bug 16)
# expect: status=exception error.type=ValueError
print("unit\x1fseparator\x01\x7f")
raise ValueError("bad\x1fvalue")
