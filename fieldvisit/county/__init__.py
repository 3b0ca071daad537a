"""The county side of sync, free of any web framework: devices and enrollment, verifying
and merging received bundles, conflicts, return bundles. The web server
(fieldvisit.server) and the ``fieldvisit server …`` CLI both call it."""
