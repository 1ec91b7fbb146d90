class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next


head = None
for value in range(6):
    head = Node(value, head)
