"""The desktop app (PySide6). The only package that imports Qt: it shows and edits core
objects, runs long work in workers, and holds no rules of its own."""

from fieldvisit.qt.refcounts import keep_booleans_alive

keep_booleans_alive()  # before any screen emits a signal (see refcounts)
