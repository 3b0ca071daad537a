"""Why a bundle, an enrollment or a sync step was refused, in plain Chinese and English.

Every refusal carries a short ``reason`` code as well, so the county server can keep it
with the received bundle and tests can tell one rejection from another.
"""

from __future__ import annotations

from fieldvisit.errors import FieldVisitError


class SyncError(FieldVisitError):
    def __init__(self, reason: str, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.reason = reason
