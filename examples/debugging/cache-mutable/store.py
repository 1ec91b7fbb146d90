# SPDX-License-Identifier: GPL-3.0-or-later
"""A slow store of orders, and a cache in front of it."""

ORDERS = {
    "ada": [("tea", 3.20), ("scones", 4.50)],
    "grace": [("coffee", 2.80)],
    "linus": [("cake", 3.90), ("tea", 3.20), ("jam", 2.10)],
}


class Store:
    """Pretends to be a database: counts each query it answers."""

    def __init__(self):
        self.queries = 0

    def orders_of(self, customer):
        self.queries += 1
        return [{"item": item, "price": price} for item, price in ORDERS.get(customer, [])]


class CachedStore:
    """Answers each customer's query once, then from its cache."""

    def __init__(self, store):
        self.store = store
        self.cache = {}

    def orders_of(self, customer):
        if customer not in self.cache:
            self.cache[customer] = self.store.orders_of(customer)
        # The bug: the caller gets the cached list itself, not a copy.
        # Whatever it does to the list (append, sort, remove) it does to
        # the cache, and every later caller sees it.
        return self.cache[customer]
