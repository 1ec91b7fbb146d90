# A mutable class attribute is shared by every instance.
class Basket:
    items = []

    def __init__(self, owner):
        self.owner = owner

    def add(self, item):
        self.items.append(item)


alice = Basket('alice')
bob = Basket('bob')
alice.add('apple')
bob.add('pear')
