# A circular doubly linked list: every node points both ways.
class Node:
    def __init__(self, value):
        self.value = value
        self.prev = self
        self.next = self


def insert_after(node, value):
    new = Node(value)
    new.prev = node
    new.next = node.next
    node.next.prev = new
    node.next = new
    return new


ring = Node(0)
last = ring
for value in range(1, 5):
    last = insert_after(last, value)
