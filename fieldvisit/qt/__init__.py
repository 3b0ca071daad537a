"""The desktop app (PySide6). The only package that imports Qt: it shows and edits core
objects, runs long work in workers, and holds no rules of its own."""
