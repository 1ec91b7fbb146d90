# A binary heap of (priority, task) tuples with heapq.
import heapq

tasks = []
for priority, name in [(3, 'write'), (1, 'plan'), (4, 'test'), (2, 'code'), (5, 'ship')]:
    heapq.heappush(tasks, (priority, {'name': name, 'done': False}))
first = heapq.heappop(tasks)
first[1]['done'] = True
