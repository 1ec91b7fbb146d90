# A set of frozensets: the friendships of a small group, without order.
people = ['ann', 'ben', 'cy', 'dee']
pairs = [('ann', 'ben'), ('ben', 'cy'), ('cy', 'ann'), ('dee', 'ann')]
friendships = set()
for x, y in pairs:
    friendships.add(frozenset((x, y)))
groups = {frozenset(people[:2]): 'first', frozenset(people[2:]): 'second'}
