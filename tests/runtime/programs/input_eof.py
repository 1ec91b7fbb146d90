# input() with nothing to read
print('before input')
value = input('your name: ')
print('never', value)
