"""Password hashes and bearer tokens.

Passwords are hashed with scrypt (stdlib), a per-password salt and parameters
stored beside the hash so they can be raised later. Tokens are 256 random bits;
only their SHA-256 is stored, so a database leak does not leak sessions.
"""

import base64
import functools
import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1  # about 16 MiB and tens of ms per hash: slow for a guesser
_DKLEN = 32


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` in a self-describing string."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password`."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def new_token() -> str:
    """A fresh bearer token (URL-safe text)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database stores of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


@functools.cache
def dummy_hash() -> str:
    """A hash to check against for an unknown username, so it costs as much as a wrong password."""
    return hash_password(secrets.token_hex(8))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
