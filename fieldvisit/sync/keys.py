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

from nacl.encoding import RawEncoder
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from fieldvisit.codes import code_key


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def box_private(key: SigningKey) -> PrivateKey:
    return key.to_curve25519_private_key()


def box_public(key: VerifyKey | bytes) -> PublicKey:
    verify = key if isinstance(key, VerifyKey) else VerifyKey(key)
    return verify.to_curve25519_public_key()


def activation_key(code: str, salt: bytes) -> bytes:
    """The key an enrollment file is encrypted with, from the code given by phone."""
    return code_key(code, salt)


def activation_proof(key: bytes, device: str, public_key: bytes) -> bytes:
    """What a laptop sends with its first bundle: it knows the code, for this key."""
    return blake2b(device.encode() + b"\x00" + public_key, key=key, digest_size=32,
                   encoder=RawEncoder)


def proof_matches(key: bytes, device: str, public_key: bytes, proof: bytes) -> bool:
    return hmac.compare_digest(activation_proof(key, device, public_key), proof)
