# Words to the lines they stand on: a column of short lists of line
# numbers, far taller than the picture is wide, beside a column of
# tuples whose arrows leave it, so that it cannot wrap.
text = ['a b c', 'b c d', 'c d e', 'd e f', 'e f g', 'f g h']
index = {}
for number, line in enumerate(text):
    for word in line.split():
        index.setdefault(word, []).append(number)
pairs = [(word, index[word]) for word in 'abcdefgh']
