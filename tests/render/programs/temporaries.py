# What a line freed of what the step before held leaves a ghost: `del`.
# What no step before held leaves none: the items that a key function
# saw at earlier steps of the line, or the list only a loop held.
counts = {'the': 3, 'cat': 1, 'sat': 2, 'end': 1}
top = sorted(counts.items(), key=lambda item: -item[1])[:2]
for word, count in sorted(counts.items()):
    last = word
shown = [1, 2]
del shown
