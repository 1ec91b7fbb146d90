# hostile: the same bytes written again after the text buffer reached 8,192 bytes (issue 7 bug 12a)
# expect: status=finished 'out_after_3={a*4095}\n' 'out_after_4={b*4096}\n' out_after_5= 'out_after_6={b*4096}\n'
print("a" * 4095)
print("b" * 4096)
x = 1
print("b" * 4096)
y = 2
