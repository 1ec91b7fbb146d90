# SPDX-License-Identifier: GPL-3.0-or-later
"""Rules that tag products: cheap ones, heavy ones, new ones."""


def tag_cheap(product, limit):
    if product.price < limit:
        product.add_tag("bargain")


def tag_new(product, new_skus):
    if product.sku in new_skus:
        product.add_tag("new")


def tag_fragile(product, fragile_words):
    for word in fragile_words:
        if word in product.name.lower():
            product.add_tag("fragile")
            return


def apply_rules(catalog, limit, new_skus, fragile_words):
    for product in catalog.products.values():
        tag_cheap(product, limit)
        tag_new(product, new_skus)
        tag_fragile(product, fragile_words)
