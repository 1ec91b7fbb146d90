# hostile: an integer of ten million bits
# expect: status=finished
x = 1 << 10 ** 7
y = x - 1
print(y.bit_length())
