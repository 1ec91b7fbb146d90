# SPDX-License-Identifier: GPL-3.0-or-later
"""Invoices and a loyalty discount built from a customer's orders."""


def total(orders):
    return round(sum(order["price"] for order in orders), 2)


def invoice(store, customer):
    orders = store.orders_of(customer)
    # a service charge line, added to this invoice only (or so it seems)
    orders.append({"item": "service", "price": 1.00})
    return total(orders)


def loyalty_points(store, customer):
    orders = store.orders_of(customer)
    return sum(1 for order in orders if order["item"] != "service")
