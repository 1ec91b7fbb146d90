# A list of 100 user records, each a dict with a list of tags.
users = []
for i in range(100):
    users.append({'name': 'u%d' % i, 'tags': ['a', 'b'], 'score': i})
best = users[-1]
