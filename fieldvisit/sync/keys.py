"""Keys for sync: every party has ONE Ed25519 key pair; encryption uses its X25519 twin.

A laptop's key is the store's device key that also signs its 明白卡 QR codes
(fieldvisit.store.device); the county's is ``county_key`` in the server's data folder.
libsodium converts an Ed25519 key pair to X25519, so a party publishes one public key
and can both sign and receive sealed boxes with it.

Enrollment files are encrypted with a key derived (Argon2id) from a one-time activation
code the county reads to the cadre by phone: a stolen file alone cannot be opened, and
the laptop proves it knows the code when it registers its own public key.
"""

from __future__ import annotations

import base64
import hmac
import secrets

from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey
from nacl.pwhash import argon2id
from nacl.signing import SigningKey, VerifyKey

# Activation codes: 16 characters of a 32-letter alphabet without look-alikes (80 bits).
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS = 4


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def box_private(key: SigningKey) -> PrivateKey:
    return key.to_curve25519_private_key()


def box_public(key: VerifyKey | bytes) -> PublicKey:
    verify = key if isinstance(key, VerifyKey) else VerifyKey(key)
    return verify.to_curve25519_public_key()


def new_activation_code() -> str:
    """``XXXX-XXXX-XXXX-XXXX``: easy to read out by phone, hard to guess."""
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(4 * CODE_GROUPS))
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def normalise_code(code: str) -> str:
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def activation_key(code: str, salt: bytes) -> bytes:
    """32 bytes from the code; Argon2id makes guessing codes offline expensive."""
    return argon2id.kdf(32, normalise_code(code).encode("ascii"), salt,
                        opslimit=argon2id.OPSLIMIT_INTERACTIVE,
                        memlimit=argon2id.MEMLIMIT_INTERACTIVE)


def activation_proof(key: bytes, device: str, public_key: bytes) -> bytes:
    """What a laptop sends with its first bundle: it knows the code, for this key."""
    return blake2b(device.encode() + b"\x00" + public_key, key=key, digest_size=32,
                   encoder=RawEncoder)


def proof_matches(key: bytes, device: str, public_key: bytes, proof: bytes) -> bool:
    return hmac.compare_digest(activation_proof(key, device, public_key), proof)
