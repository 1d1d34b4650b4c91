"""The wire contract between the flash-buy console and the platform.

Both sides import this package; it depends on pydantic only. Money is integer fen
(分) everywhere on the wire; :mod:`flashbuy_protocol.money` converts to and from
the yuan strings people type.
"""

from flashbuy_protocol.enums import FlashBuyStatus, LiveStatus, Mode, TemplateKind
from flashbuy_protocol.errors import ErrorCode, ErrorResponse, http_status_for
from flashbuy_protocol.money import MAX_PRICE_FEN, MIN_PRICE_FEN, format_fen, parse_yuan

__all__ = [
    "MAX_PRICE_FEN",
    "MIN_PRICE_FEN",
    "ErrorCode",
    "ErrorResponse",
    "FlashBuyStatus",
    "LiveStatus",
    "Mode",
    "TemplateKind",
    "format_fen",
    "http_status_for",
    "parse_yuan",
]
