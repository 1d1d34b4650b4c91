"""One error shape for every failure, and a code for each rule the platform enforces.

Every 4xx/5xx response body is ``{"error": {"code": ..., "message": ..., "details": {...}}}``.
The console keys its translated messages on :class:`ErrorCode`; ``message`` is an
English sentence for operators and API users.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ErrorCode(StrEnum):
    """Machine-readable reason for a refused request."""

    # request shape
    MALFORMED_JSON = "MALFORMED_JSON"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    IDEMPOTENCY_KEY_INVALID = "IDEMPOTENCY_KEY_INVALID"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    BODY_TOO_LARGE = "BODY_TOO_LARGE"
    HEADERS_TOO_LARGE = "HEADERS_TOO_LARGE"
    REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
    SERVER_BUSY = "SERVER_BUSY"
    # identity
    UNAUTHENTICATED = "UNAUTHENTICATED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"  # noqa: S105 (a code, not a secret)
    TOKEN_REVOKED = "TOKEN_REVOKED"  # noqa: S105
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"  # sign-in guessing: wait retry_after_seconds
    FORBIDDEN = "FORBIDDEN"
    # eligibility (rule 1)
    CREATOR_NOT_INVITED = "CREATOR_NOT_INVITED"
    SHOP_NOT_QUALIFIED = "SHOP_NOT_QUALIFIED"
    CATEGORY_NOT_APPROVED = "CATEGORY_NOT_APPROVED"
    SHOP_NOT_BOUND = "SHOP_NOT_BOUND"
    # quotas (rule 2)
    QUOTA_FULL_EXCEEDED = "QUOTA_FULL_EXCEEDED"
    QUOTA_TARGETED_EXCEEDED = "QUOTA_TARGETED_EXCEEDED"
    # targeting (rule 3)
    TARGETS_REQUIRED = "TARGETS_REQUIRED"
    TARGETS_NOT_ALLOWED = "TARGETS_NOT_ALLOWED"
    TARGET_NOT_IN_ROOM = "TARGET_NOT_IN_ROOM"
    # live rooms
    LIVE_NOT_ACTIVE = "LIVE_NOT_ACTIVE"
    LIVE_ALREADY_ACTIVE = "LIVE_ALREADY_ACTIVE"
    VIEWER_NOT_IN_ROOM = "VIEWER_NOT_IN_ROOM"
    # event streams
    EVENT_ID_UNKNOWN = "EVENT_ID_UNKNOWN"  # resuming after an id the room never had
    # pictures and templates (rules 6, 8)
    PICTURE_INVALID = "PICTURE_INVALID"
    PICTURE_TOO_LARGE = "PICTURE_TOO_LARGE"
    PICTURE_NOT_FOUND = "PICTURE_NOT_FOUND"
    TEMPLATE_NOT_FOUND = "TEMPLATE_NOT_FOUND"
    TEMPLATE_IN_USE = "TEMPLATE_IN_USE"
    # problem reports (rule 10)
    REPORT_NOT_ZIP = "REPORT_NOT_ZIP"
    REPORT_TOO_LARGE = "REPORT_TOO_LARGE"
    REPORT_INVALID = "REPORT_INVALID"
    REPORT_RATE_LIMITED = "REPORT_RATE_LIMITED"
    # floods (joins, comments): wait retry_after_seconds
    RATE_LIMITED = "RATE_LIMITED"
    # buying (rules 3, 4, 5)
    FLASHBUY_SOLD_OUT = "FLASHBUY_SOLD_OUT"
    FLASHBUY_ENDED = "FLASHBUY_ENDED"
    NOT_OFFERED_TO_VIEWER = "NOT_OFFERED_TO_VIEWER"
    ALREADY_PURCHASED = "ALREADY_PURCHASED"
    REGION_EXCLUDED = "REGION_EXCLUDED"
    # the sale after the click (issue 14)
    VIEWER_BLOCKED = "VIEWER_BLOCKED"  # the seller blocked this viewer
    VIEWER_HELD_BACK = "VIEWER_HELD_BACK"  # too many unpaid orders for this offer's rule
    ORDER_NOT_HELD = "ORDER_NOT_HELD"  # already paid, expired or cancelled
    NO_PIECE_FREE = "NO_PIECE_FREE"  # hand-over with every piece taken
    NOT_IN_QUEUE = "NOT_IN_QUEUE"
    # payment callbacks: refused, nothing changed
    PAYMENT_SIGNATURE_INVALID = "PAYMENT_SIGNATURE_INVALID"  # unsigned or forged
    PAYMENT_STALE = "PAYMENT_STALE"  # signed too long ago (or in the future)
    PAYMENT_MISMATCH = "PAYMENT_MISMATCH"  # not the amount or order the checkout asked for
    # the platform itself
    INTERNAL_ERROR = "INTERNAL_ERROR"


_STATUS: dict[ErrorCode, int] = {
    ErrorCode.MALFORMED_JSON: 400,
    ErrorCode.VALIDATION_FAILED: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.IDEMPOTENCY_KEY_INVALID: 400,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    ErrorCode.BODY_TOO_LARGE: 413,
    ErrorCode.HEADERS_TOO_LARGE: 431,
    ErrorCode.REQUEST_TIMEOUT: 408,
    ErrorCode.SERVER_BUSY: 503,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.TOKEN_REVOKED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.TOO_MANY_ATTEMPTS: 429,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CREATOR_NOT_INVITED: 403,
    ErrorCode.SHOP_NOT_QUALIFIED: 403,
    ErrorCode.CATEGORY_NOT_APPROVED: 403,
    ErrorCode.SHOP_NOT_BOUND: 403,
    ErrorCode.QUOTA_FULL_EXCEEDED: 409,
    ErrorCode.QUOTA_TARGETED_EXCEEDED: 409,
    ErrorCode.TARGETS_REQUIRED: 422,
    ErrorCode.TARGETS_NOT_ALLOWED: 422,
    ErrorCode.TARGET_NOT_IN_ROOM: 422,
    ErrorCode.LIVE_NOT_ACTIVE: 409,
    ErrorCode.LIVE_ALREADY_ACTIVE: 409,
    ErrorCode.VIEWER_NOT_IN_ROOM: 403,
    ErrorCode.EVENT_ID_UNKNOWN: 409,
    ErrorCode.PICTURE_INVALID: 415,
    ErrorCode.PICTURE_TOO_LARGE: 413,
    ErrorCode.PICTURE_NOT_FOUND: 422,
    ErrorCode.TEMPLATE_NOT_FOUND: 422,
    ErrorCode.TEMPLATE_IN_USE: 409,
    ErrorCode.REPORT_NOT_ZIP: 415,
    ErrorCode.REPORT_TOO_LARGE: 413,
    ErrorCode.REPORT_INVALID: 422,
    ErrorCode.REPORT_RATE_LIMITED: 429,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.FLASHBUY_SOLD_OUT: 409,
    ErrorCode.FLASHBUY_ENDED: 409,
    ErrorCode.NOT_OFFERED_TO_VIEWER: 403,
    ErrorCode.ALREADY_PURCHASED: 409,
    ErrorCode.REGION_EXCLUDED: 422,
    ErrorCode.VIEWER_BLOCKED: 403,
    ErrorCode.VIEWER_HELD_BACK: 403,
    ErrorCode.ORDER_NOT_HELD: 409,
    ErrorCode.NO_PIECE_FREE: 409,
    ErrorCode.NOT_IN_QUEUE: 404,
    ErrorCode.PAYMENT_SIGNATURE_INVALID: 401,
    ErrorCode.PAYMENT_STALE: 401,
    ErrorCode.PAYMENT_MISMATCH: 422,
    ErrorCode.INTERNAL_ERROR: 500,
}


def http_status_for(code: ErrorCode) -> int:
    """The HTTP status a response with ``code`` carries."""
    return _STATUS[code]


class ErrorBody(BaseModel):
    """What went wrong: a stable code, an English sentence, and structured details."""

    code: ErrorCode
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody
