# SPDX-License-Identifier: GPL-3.0-or-later
"""Bills each customer named on the command line, twice.

    python3 main.py [CUSTOMER ...]

Expected: each customer's invoice is the same both times, and the points
count the orders only.  The second invoice is a pound higher each time,
and the customers read from standard input get theirs too: step into
billing.py and store.py and watch which list the service line goes into.
"""
import sys

from billing import invoice, loyalty_points
from store import CachedStore, Store

customers = sys.argv[1:] or ["ada", "linus"]
for line in sys.stdin.read().split():
    customers.append(line)

store = CachedStore(Store())
for customer in customers:
    first = invoice(store, customer)
    second = invoice(store, customer)
    points = loyalty_points(store, customer)
    print(f"{customer:<6} first {first:6.2f}  second {second:6.2f}  points {points}")
    if first != second:
        print("       wrong: the same orders cost more the second time")

print("queries to the store:", store.store.queries)
