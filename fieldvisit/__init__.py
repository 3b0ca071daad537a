"""FieldVisit (驻村走访): offline-first field-visit software for anti-relapse monitoring.

The package is a UI-free core (store, roster, idcard, demo, cli) plus the Qt layer in
``fieldvisit.qt``, which is the only part that imports PySide6.
"""

__version__ = "0.1.0"
