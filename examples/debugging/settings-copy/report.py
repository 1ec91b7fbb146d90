# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints settings side by side with the defaults."""


def flatten(settings, prefix=""):
    rows = []
    for key, value in settings.items():
        name = prefix + key
        if isinstance(value, dict):
            rows.extend(flatten(value, name + "."))
        else:
            rows.append((name, value))
    return rows


def describe(environment, settings, defaults):
    changed = []
    default_rows = dict(flatten(defaults))
    for name, value in flatten(settings):
        if default_rows.get(name) != value:
            changed.append(f"{name}={value}")
    print(f"{environment:<12} {settings['database']['host']:<22}"
          f" timeout={settings['database']['options']['timeout']:<3}"
          f" changed: {', '.join(changed) or 'nothing'}")
