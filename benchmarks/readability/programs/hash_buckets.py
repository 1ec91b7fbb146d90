# A hash table by hand: a list of buckets, each a list of [key, value].
buckets = [[] for _ in range(5)]


def put(key, value):
    bucket = buckets[hash(key) % len(buckets)]
    for pair in bucket:
        if pair[0] == key:
            pair[1] = value
            return
    bucket.append([key, value])


for i, word in enumerate(['red', 'green', 'blue', 'cyan', 'pink', 'gold', 'gray']):
    put(word, i)
put('red', 10)
