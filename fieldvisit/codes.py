"""One-time codes read out by phone: an enrollment's activation code, a recovery's code.

Sixteen characters of a 32-letter alphabet without look-alikes (80 bits), typed in any
case with or without dashes; Argon2id turns one into a key, so guessing a code against a
copied file is slow.
"""

from __future__ import annotations

import secrets

from nacl.pwhash import argon2id

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS = 4


def new_code() -> str:
    """``XXXX-XXXX-XXXX-XXXX``: easy to read out by phone, hard to guess."""
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(4 * CODE_GROUPS))
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def normalise_code(code: str) -> str:
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def code_key(code: str, salt: bytes) -> bytes:
    """32 bytes from the code."""
    return argon2id.kdf(32, normalise_code(code).encode("ascii"), salt,
                        opslimit=argon2id.OPSLIMIT_INTERACTIVE,
                        memlimit=argon2id.MEMLIMIT_INTERACTIVE)
