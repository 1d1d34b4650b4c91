"""Money as integer fen (分), parsed from and formatted to yuan strings without floats.

A float cannot hold 0.1 exactly, so a price never passes through one: the
console parses what the seller types with :func:`parse_yuan` and the wire
carries whole fen.
"""

import re

MIN_PRICE_FEN = 1  # 0.01 yuan
MAX_PRICE_FEN = 999_999_999  # 9,999,999.99 yuan

_YUAN = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]*))?")  # ASCII digits only


class MoneyError(ValueError):
    """A price a person typed that is not a valid amount; ``str()`` says why."""


def parse_yuan(text: str) -> int:
    """Return the fen in a yuan amount such as ``"1288"``, ``"1,288.5"`` or ``"¥0.01"``.

    Raises :class:`MoneyError` with a reason a seller understands for anything
    that is not a plain amount with at most two decimals within the price range.
    """
    cleaned = text.strip().removeprefix("¥").removeprefix("￥").strip().replace(",", "")
    if not cleaned:
        raise MoneyError("请输入价格 (enter a price)")
    if cleaned.startswith("-"):
        raise MoneyError("价格不能为负数 (the price cannot be negative)")
    match = _YUAN.fullmatch(cleaned)
    if match is None:
        raise MoneyError("价格只能包含数字和小数点 (only digits and one decimal point)")
    frac = match.group("frac") or ""
    if len(frac) > 2:
        raise MoneyError("价格最多两位小数 (at most two decimals: fen is the smallest unit)")
    fen = int(match.group("whole")) * 100 + int(frac.ljust(2, "0"))
    check_price_fen(fen)
    return fen


def check_price_fen(fen: int) -> None:
    """Raise :class:`MoneyError` unless ``fen`` is within 0.01 to 9,999,999.99 yuan."""
    if fen < MIN_PRICE_FEN:
        raise MoneyError("价格至少 0.01 元 (the price must be at least 0.01 yuan)")
    if fen > MAX_PRICE_FEN:
        raise MoneyError("价格最多 9,999,999.99 元 (the price is at most 9,999,999.99 yuan)")


def format_fen(fen: int) -> str:
    """Format fen as a yuan string with two decimals and thousands separators."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{part:02d}"
