# Scalars of every kind, held by names, a list, a dict's keys and values
# and a set; one shared by two slots; a long string; one freed.
nothing = None
flag = True
count = 3
ratio = 2.5
wave = 1j
word = 'hello'
raw = b'xy'
long_text = 'a sentence much longer than any slot'
row = [nothing, flag, count, ratio, wave, word, raw, count]
table = {'x': 1, 2: 'y'}
members = {10, 'ten'}
temp = 12345678
del temp
