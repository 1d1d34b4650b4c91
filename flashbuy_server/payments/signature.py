"""Signing a payment provider's callback, and checking one: pure functions, no I/O.

The provider signs ``"<unix seconds>.<raw body>"`` with HMAC-SHA256 under the secret it
shares with the platform and sends ``Flashbuy-Signature: t=<unix seconds>,v1=<hex digest>``
with the body. The platform checks the signature over the bytes as they arrived (before
it parses them: what it parses is what was signed), then that the time is within
:data:`~flashbuy_protocol.limits.CALLBACK_TOLERANCE_SECONDS` of its own clock, either way.
A callback copied off the wire can therefore be replayed for five minutes at most, and
within them the transaction id makes a replay change nothing.
"""

import hashlib
import hmac
import re
from datetime import datetime

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import CALLBACK_TOLERANCE_SECONDS
from flashbuy_server.errors import ApiError

HEADER = "Flashbuy-Signature"
SCHEME = "v1"
# A header far longer than one timestamp and a few signatures is not one.
HEADER_MAX = 500
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_DIGEST = re.compile(r"[0-9a-f]{64}")


def digest(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the :data:`HEADER` header for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},{SCHEME}={digest(secret, timestamp, body)}"


def _invalid(message: str) -> ApiError:
    return ApiError(ErrorCode.PAYMENT_SIGNATURE_INVALID, message, header=HEADER)


def parse(header: str | None) -> tuple[int, list[str]]:
    """The timestamp and the ``v1`` signatures of a header; refuses a malformed one.

    Several ``v1`` values are allowed (a provider rotating its secret signs with both);
    parts of other schemes are ignored, as a newer provider may add them.
    """
    if not header:
        raise _invalid(f"the callback is not signed: no {HEADER} header")
    if len(header) > HEADER_MAX:
        raise _invalid(f"the {HEADER} header is longer than {HEADER_MAX} characters")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise _invalid(f"the {HEADER} header must be 't=<seconds>,{SCHEME}=<hex>'")
        if key == "t":
            if timestamp is not None or not _TIMESTAMP.fullmatch(value):
                raise _invalid(f"the {HEADER} header needs one 't' of whole seconds")
            timestamp = int(value)
        elif key == SCHEME:
            if not _DIGEST.fullmatch(value):
                raise _invalid(f"a {SCHEME} signature is 64 lowercase hex digits")
            signatures.append(value)
    if timestamp is None or not signatures:
        raise _invalid(f"the {HEADER} header must be 't=<seconds>,{SCHEME}=<hex>'")
    return timestamp, signatures


def verify(
    secret: str,
    header: str | None,
    body: bytes,
    now: datetime,
    tolerance_seconds: int = CALLBACK_TOLERANCE_SECONDS,
) -> int:
    """Check a callback's signature, then its age; the signed timestamp.

    The signature comes first, so that only a callback the provider really sent can be told
    it is stale: a forger learns nothing from the answer. Digests are compared in constant
    time.
    """
    timestamp, signatures = parse(header)
    expected = digest(secret, timestamp, body)
    # Every candidate is compared, so the time taken does not tell which one matched.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise _invalid("the callback's signature does not match its body")
    skew = timestamp - now.timestamp()
    if abs(skew) > tolerance_seconds:
        raise ApiError(
            ErrorCode.PAYMENT_STALE,
            f"the callback was signed {abs(int(skew))} s "
            f"{'ahead of' if skew > 0 else 'before'} the platform's clock; "
            f"at most {tolerance_seconds} s either way is taken",
            tolerance_seconds=tolerance_seconds,
        )
    return timestamp
