"""What the seller reads when something goes wrong: one sentence per platform error code.

Every failure, from any task, is turned into words here and shown in one place
(the main window's error bar), so messages stay consistent and translatable.
"""

from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from flashbuy_desktop.api.client import ClientError, OfflineError, PlatformError
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import REPORT_MAX_BYTES, REPORT_RATE_MAX

# Built at import time, before any translator is installed: the sources are marked here
# (for lupdate) and translated each time one is shown.
_MESSAGES: Final[dict[str, object]] = {
    ErrorCode.INVALID_CREDENTIALS: QT_TRANSLATE_NOOP("Messages", "Wrong account or password"),
    # The sign-in window counts the wait down itself (flashbuy_desktop/ui/signin.py).
    ErrorCode.TOO_MANY_ATTEMPTS: QT_TRANSLATE_NOOP(
        "Messages", "Too many attempts; please try again in a moment"
    ),
    ErrorCode.RATE_LIMITED: QT_TRANSLATE_NOOP(
        "Messages", "Too many requests in a short time; please try again in a moment"
    ),
    ErrorCode.UNAUTHENTICATED: QT_TRANSLATE_NOOP("Messages", "Please sign in again"),
    ErrorCode.TOKEN_EXPIRED: QT_TRANSLATE_NOOP(
        "Messages", "Your sign-in has expired; please sign in again"
    ),
    ErrorCode.TOKEN_REVOKED: QT_TRANSLATE_NOOP(
        "Messages", "You were signed out elsewhere; please sign in again"
    ),
    ErrorCode.FORBIDDEN: QT_TRANSLATE_NOOP(
        "Messages", "You are not allowed to manage this live room"
    ),
    ErrorCode.CREATOR_NOT_INVITED: QT_TRANSLATE_NOOP(
        "Messages",
        "Flash-buys are opened by invitation of the platform: your account has not been invited",
    ),
    ErrorCode.SHOP_NOT_QUALIFIED: QT_TRANSLATE_NOOP(
        "Messages", "This shop does not meet the platform's standard for flash-buys"
    ),
    ErrorCode.CATEGORY_NOT_APPROVED: QT_TRANSLATE_NOOP(
        "Messages",
        "This category cannot be flash-bought (only non-standard categories the platform approved)",
    ),
    ErrorCode.SHOP_NOT_BOUND: QT_TRANSLATE_NOOP(
        "Messages", "You are not bound to this shop and cannot sell its products"
    ),
    ErrorCode.QUOTA_FULL_EXCEEDED: QT_TRANSLATE_NOOP(
        "Messages", "This product has no full flash-buys left"
    ),
    ErrorCode.QUOTA_TARGETED_EXCEEDED: QT_TRANSLATE_NOOP(
        "Messages", "This product has no targeted flash-buys left"
    ),
    ErrorCode.TARGET_NOT_IN_ROOM: QT_TRANSLATE_NOOP(
        "Messages", "The targeted viewer is no longer in the live room"
    ),
    ErrorCode.LIVE_NOT_ACTIVE: QT_TRANSLATE_NOOP("Messages", "The live has ended"),
    ErrorCode.LIVE_ALREADY_ACTIVE: QT_TRANSLATE_NOOP("Messages", "A live is already going on"),
    ErrorCode.PICTURE_INVALID: QT_TRANSLATE_NOOP(
        "Messages", "The product picture cannot be read; please capture it again"
    ),
    ErrorCode.PICTURE_TOO_LARGE: QT_TRANSLATE_NOOP("Messages", "The product picture is too large"),
    ErrorCode.TEMPLATE_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Messages", "The shipping template does not exist; please choose again"
    ),
    ErrorCode.TEMPLATE_IN_USE: QT_TRANSLATE_NOOP(
        "Messages", "An active flash-buy uses this shipping template"
    ),
    ErrorCode.FLASHBUY_SOLD_OUT: QT_TRANSLATE_NOOP("Messages", "Sold out"),
    ErrorCode.FLASHBUY_ENDED: QT_TRANSLATE_NOOP("Messages", "The flash-buy has ended"),
    ErrorCode.MALFORMED_JSON: QT_TRANSLATE_NOOP(
        "Messages", "The platform could not read what the console sent; please update the console"
    ),
    ErrorCode.NOT_FOUND: QT_TRANSLATE_NOOP(
        "Messages", "It is no longer on the platform (it may have been deleted)"
    ),
    ErrorCode.METHOD_NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "Messages", "The platform does not support this action; please update the console"
    ),
    ErrorCode.IDEMPOTENCY_KEY_INVALID: QT_TRANSLATE_NOOP(
        "Messages", "The platform refused the request's identifier; please update the console"
    ),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: QT_TRANSLATE_NOOP(
        "Messages", "This request was already made with other content; please try again"
    ),
    ErrorCode.TARGETS_REQUIRED: QT_TRANSLATE_NOOP(
        "Messages", "A targeted flash-buy needs the viewer it is for"
    ),
    ErrorCode.TARGETS_NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "Messages", "A full flash-buy goes to every viewer and cannot name one"
    ),
    ErrorCode.VIEWER_NOT_IN_ROOM: QT_TRANSLATE_NOOP(
        "Messages", "The viewer is not in the live room"
    ),
    # The console reloads the live by itself on this one; the sentence is for the log.
    ErrorCode.EVENT_ID_UNKNOWN: QT_TRANSLATE_NOOP(
        "Messages", "The platform's record of this live differs from the console's; reloading it"
    ),
    ErrorCode.PICTURE_NOT_FOUND: QT_TRANSLATE_NOOP(
        "Messages", "The product picture is missing; please capture it again"
    ),
    ErrorCode.REPORT_NOT_ZIP: QT_TRANSLATE_NOOP(
        "Messages",
        "The report is not a valid zip and the platform did not take it; "
        "please save it as a zip and contact support",
    ),
    ErrorCode.REPORT_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Messages",
        "The report is too large (over {limit} MB); untick the capture frame screenshot and "
        "try again, or save it as a zip for support",
    ),
    ErrorCode.REPORT_INVALID: QT_TRANSLATE_NOOP(
        "Messages",
        "The platform did not accept the report's content; please save it as a zip for support",
    ),
    ErrorCode.REPORT_RATE_LIMITED: QT_TRANSLATE_NOOP(
        "Messages",
        "You have sent {count} problem reports in the last hour; save this one as a zip "
        "and send it later",
    ),
    ErrorCode.NOT_OFFERED_TO_VIEWER: QT_TRANSLATE_NOOP(
        "Messages", "This flash-buy was not offered to this viewer"
    ),
    ErrorCode.ALREADY_PURCHASED: QT_TRANSLATE_NOOP("Messages", "This viewer has already bought it"),
    ErrorCode.REGION_EXCLUDED: QT_TRANSLATE_NOOP(
        "Messages", "The shipping template does not deliver to this region"
    ),
    ErrorCode.VIEWER_BLOCKED: QT_TRANSLATE_NOOP(
        "Messages", "You blocked this viewer: unblock them on their card first"
    ),
    ErrorCode.VIEWER_HELD_BACK: QT_TRANSLATE_NOOP(
        "Messages",
        "This viewer left too many orders unpaid and is held back from this flash-buy",
    ),
    ErrorCode.ORDER_NOT_HELD: QT_TRANSLATE_NOOP(
        "Messages", "The order is no longer waiting for payment (paid, expired or cancelled)"
    ),
    ErrorCode.NO_PIECE_FREE: QT_TRANSLATE_NOOP(
        "Messages", "No piece of this flash-buy is free: every one is paid or held for a buyer"
    ),
    ErrorCode.NOT_IN_QUEUE: QT_TRANSLATE_NOOP(
        "Messages", "The viewer is no longer waiting in this flash-buy's queue"
    ),
    # The payment codes answer the payment provider's callbacks: see PROVIDER_ONLY.
    ErrorCode.INTERNAL_ERROR: QT_TRANSLATE_NOOP(
        "Messages", "The platform failed and nothing was done; please try again later"
    ),
    ErrorCode.BODY_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Messages", "The platform refused a request that was too large; please update the console"
    ),
    ErrorCode.HEADERS_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Messages", "The platform refused a request that was too large; please update the console"
    ),
    ErrorCode.REQUEST_TIMEOUT: QT_TRANSLATE_NOOP(
        "Messages", "The request reached the platform too slowly; check the network and try again"
    ),
    ErrorCode.SERVER_BUSY: QT_TRANSLATE_NOOP(
        "Messages", "The platform is busy and nothing was done; please try again in a moment"
    ),
}


# Codes that answer the payment provider's callbacks, never a console's request: the seller
# never meets them, so they have no sentence here (the platform's words would show).
PROVIDER_ONLY: Final = frozenset(
    {ErrorCode.PAYMENT_SIGNATURE_INVALID, ErrorCode.PAYMENT_STALE, ErrorCode.PAYMENT_MISMATCH}
)

# The numbers some sentences name, from the limits the platform enforces.
_VALUES: Final[dict[str, dict[str, int]]] = {
    ErrorCode.REPORT_TOO_LARGE: {"limit": REPORT_MAX_BYTES // (1024 * 1024)},
    ErrorCode.REPORT_RATE_LIMITED: {"count": REPORT_RATE_MAX},
}


def describe(error: BaseException) -> str:
    """A sentence for the seller about ``error`` (the platform's code decides it)."""
    if isinstance(error, PlatformError):
        if error.code == ErrorCode.VALIDATION_FAILED:
            # The platform names the field and the rule; that detail is what helps.
            return QCoreApplication.translate(
                "Messages", "The platform refused the input: {detail}"
            ).format(detail=error.message)
        source = _MESSAGES.get(str(error.code))
        if source is None:  # a code newer than this console
            return error.message
        text = QCoreApplication.translate("Messages", str(source))
        values = _VALUES.get(str(error.code))
        return text.format(**values) if values else text
    if isinstance(error, OfflineError):
        return QCoreApplication.translate(
            "Messages", "Cannot reach the platform; retrying. Please check the network"
        )
    if isinstance(error, ClientError):
        return QCoreApplication.translate(
            "Messages", "The platform's answer was not understood; please update the console"
        )
    return QCoreApplication.translate("Messages", "Something went wrong: {error}").format(
        error=error
    )
