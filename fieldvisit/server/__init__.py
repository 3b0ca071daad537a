"""The county server over HTTP (FastAPI, uvicorn): a thin layer over fieldvisit.county.

Only ``fieldvisit.server.web`` imports the web framework; the core never does, so a
laptop's frozen app carries none of it. ``fieldvisit.server.commands`` is the
``fieldvisit server …`` CLI, which starts the web server only for ``server run``.
"""

DEFAULT_PORT = 8000  # `server run` and `python -m fieldvisit.server.web` both listen here
