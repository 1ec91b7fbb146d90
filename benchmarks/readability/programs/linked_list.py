# A singly linked list built at the head, then walked.
class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next


head = None
for value in [5, 4, 3, 2, 1]:
    head = Node(value, head)

total = 0
node = head
while node is not None:
    total += node.value
    node = node.next
