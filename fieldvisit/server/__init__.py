"""The county server over HTTP (FastAPI, uvicorn): a thin layer over fieldvisit.county.

Only ``fieldvisit.server.web`` imports the web framework; the core never does, so a
laptop's frozen app carries none of it.
"""
