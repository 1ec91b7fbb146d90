# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds the settings of each environment named on the command line.

    python3 main.py [ENVIRONMENT ...]

Expected: production talks to db.internal with a timeout of 5 seconds, and
the defaults never change.  Built after development and staging, it gets
their timeout and retries, and the defaults end up pointing at the last
environment's database: step into settings.py and watch which dict
set_path() writes to.
"""
import sys

import settings
from report import describe

environments = sys.argv[1:] or ["development", "staging", "production"]
before = settings.DEFAULTS["database"]["host"]

built = {}
for name in environments:
    built[name] = settings.settings_for(name)

for name, values in built.items():
    describe(name, values, settings.DEFAULTS)

after = settings.DEFAULTS["database"]["host"]
print("defaults' host before:", before, "after:", after)
if before != after:
    print("wrong: building an environment changed the defaults")
