"""Postage as the seller types it (yuan) and as the platform keeps it (whole fen).

:func:`flashbuy_protocol.money.parse_yuan` decides, with 0 as a valid fee and
:data:`~flashbuy_protocol.limits.FEE_MAX_FEN` as the maximum; the reason a fee is refused is
worded once, by :func:`flashbuy_desktop.services.money_words.money_reason`.
"""

from flashbuy_desktop.services.money_words import Amount, money_reason
from flashbuy_protocol.limits import FEE_MAX_FEN
from flashbuy_protocol.money import MoneyError, format_fen, parse_yuan


class FeeError(MoneyError):
    """A postage that is not an amount; ``str()`` says why in the seller's language."""

    def __init__(self, error: MoneyError) -> None:
        super().__init__(error.problem, error.minimum, error.maximum)
        self.args = (money_reason(error, Amount.POSTAGE),)


def parse_fee(text: str) -> int:
    """The fen in a postage typed in yuan (``"0"``, ``"12"``, ``"¥1,288.50"``).

    Raises :class:`FeeError` saying why, in the seller's language.
    """
    try:
        return parse_yuan(text, minimum=0, maximum=FEE_MAX_FEN)
    except MoneyError as exc:
        raise FeeError(exc) from exc


def fen_text(fen: int) -> str:
    """A fee as the editor shows it for editing: ``"23.00"``."""
    return format_fen(fen).replace(",", "")
