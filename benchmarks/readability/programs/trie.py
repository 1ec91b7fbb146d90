# A trie of dicts: one dict a letter, '$' marks the end of a word.
trie = {}
for word in ['car', 'cat', 'cart', 'dog', 'do']:
    node = trie
    for letter in word:
        node = node.setdefault(letter, {})
    node['$'] = word
