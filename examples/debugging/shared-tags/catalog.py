# SPDX-License-Identifier: GPL-3.0-or-later
"""Products and the tags a shop puts on them."""


class Product:
    """A product in the catalog, with the tags shown next to it."""

    # The bug: a class attribute is one list that every Product shares.
    # Each add_tag() below appends to it through self.tags, so a tag given
    # to one product shows on all of them.
    tags = []

    def __init__(self, sku, name, price):
        self.sku = sku
        self.name = name
        self.price = price

    def add_tag(self, tag):
        if tag not in self.tags:
            self.tags.append(tag)

    def has_tag(self, tag):
        return tag in self.tags

    def label(self):
        shown = ", ".join(self.tags) if self.tags else "no tags"
        return f"{self.sku} {self.name:<12} {self.price:>7.2f}  [{shown}]"


class Catalog:
    """The products on sale, by SKU."""

    def __init__(self):
        self.products = {}

    def add(self, product):
        self.products[product.sku] = product
        return product

    def tagged(self, tag):
        return [p for p in self.products.values() if p.has_tag(tag)]

    def lines(self):
        return [p.label() for p in self.products.values()]
