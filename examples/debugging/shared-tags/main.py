# SPDX-License-Identifier: GPL-3.0-or-later
"""Tags a small catalog and prints which products are bargains.

    python3 main.py [LIMIT]

Expected: only the mug is a bargain, only the lamp is new and only the
vase is fragile.  Every product gets every tag instead: step into
catalog.py and watch which list add_tag() appends to.
"""
import sys

from catalog import Catalog, Product
from rules import apply_rules

limit = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0

shop = Catalog()
shop.add(Product("A1", "Mug", 6.50))
shop.add(Product("B2", "Desk lamp", 34.00))
shop.add(Product("C3", "Glass vase", 22.90))

apply_rules(shop, limit, new_skus={"B2"}, fragile_words=["glass"])

for line in shop.lines():
    print(line)

bargains = [p.name for p in shop.tagged("bargain")]
print("bargains:", bargains)
if len(bargains) != 1:
    print("wrong: only the mug costs less than", limit)
