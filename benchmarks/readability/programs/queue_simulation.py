# Customers wait in a deque; a clerk serves them in turn.
from collections import deque

waiting = deque()
served = []
arrivals = [('ann', 3), ('ben', 1), ('cy', 2), ('dee', 4)]
for name, minutes in arrivals:
    waiting.append((name, minutes))
    if len(waiting) > 2:
        served.append(waiting.popleft())
