# An inverted index: each word to the list of lines it appears on.
lines = ['the cat sat', 'the dog sat', 'a cat ran', 'the end']
index = {}
for number, line in enumerate(lines):
    for word in line.split():
        index.setdefault(word, []).append(number)
common = sorted(index.items(), key=lambda item: -len(item[1]))[:3]
