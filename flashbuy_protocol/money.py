"""Money as integer fen (分), parsed from and formatted to yuan strings without floats.

A float cannot hold 0.1 exactly, so a price never passes through one: the
console parses what the seller types with :func:`parse_yuan` and the wire
carries whole fen.

What a Chinese input method types in 全角 mode is read as the seller meant it: full-width
digits (１８８８), the full-width point and comma (．，), the ideographic full stop that
the 中文标点 mode types for "." (。), ￥/¥ before and 元 after the amount, full-width
spaces. Everything else is refused with a :class:`MoneyProblem` the console translates;
an amount with thousands separators must group them by three, so "12,88" (meant as 12.88?
as 1288?) is refused rather than guessed.
"""

import re
from enum import StrEnum

MIN_PRICE_FEN = 1  # 0.01 yuan
MAX_PRICE_FEN = 999_999_999  # 9,999,999.99 yuan

# ASCII digits only, after normalising: Python's \d would also take Thai or Arabic digits.
_YUAN = re.compile(r"(?P<whole>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]*))?")

# What an input method types for the characters of an amount, in full-width (全角) mode.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},  # ０..９
        "\uff0e": ".",  # ．
        "\u3002": ".",  # 。(what 中文标点 mode types for ".")
        "\uff0c": ",",  # ，
        "\u3000": " ",  # ideographic space
        "\uffe5": "¥",  # ￥
        "\uff0d": "-",  # －
    }
)


_BLANK = " \t"


class MoneyProblem(StrEnum):
    """Why a typed amount is not a price; the console says each in the seller's language."""

    EMPTY = "EMPTY"
    NEGATIVE = "NEGATIVE"
    NOT_AN_AMOUNT = "NOT_AN_AMOUNT"  # anything but digits, one point, grouped commas
    TOO_MANY_DECIMALS = "TOO_MANY_DECIMALS"  # fen is the smallest unit
    TOO_LOW = "TOO_LOW"
    TOO_HIGH = "TOO_HIGH"


_REASONS = {
    MoneyProblem.EMPTY: "请输入价格 (enter a price)",
    MoneyProblem.NEGATIVE: "价格不能为负数 (the price cannot be negative)",
    MoneyProblem.NOT_AN_AMOUNT: "价格只能包含数字和小数点 (only digits and one decimal point)",
    MoneyProblem.TOO_MANY_DECIMALS: "价格最多两位小数 (at most two decimals)",
    MoneyProblem.TOO_LOW: "价格至少 {min} 元 (the price must be at least {min} yuan)",
    MoneyProblem.TOO_HIGH: "价格最多 {max} 元 (the price is at most {max} yuan)",
}


class MoneyError(ValueError):
    """A price a person typed that is not a valid amount.

    ``problem`` says which rule it breaks and ``minimum``/``maximum`` the bounds in force
    (fen), so a caller can word it; ``str()`` is a fixed bilingual sentence for logs.
    """

    def __init__(self, problem: MoneyProblem, minimum: int, maximum: int) -> None:
        super().__init__(_REASONS[problem].format(min=format_fen(minimum), max=format_fen(maximum)))
        self.problem = problem
        self.minimum = minimum
        self.maximum = maximum


def normalize_amount(text: str) -> str:
    """``text`` with what an input method types in 全角 mode made plain, and ¥/元 removed."""
    # Only spaces and tabs are trimmed: str.strip() would also drop control characters
    # such as U+0085, which are refused instead of silently ignored.
    cleaned = text.translate(_FULL_WIDTH).strip(_BLANK)
    return cleaned.removeprefix("¥").strip(_BLANK).removesuffix("元").strip(_BLANK)


def parse_yuan(text: str, *, minimum: int = MIN_PRICE_FEN, maximum: int = MAX_PRICE_FEN) -> int:
    """Return the fen in a yuan amount such as ``"1288"``, ``"1,288.5"``, ``"￥１２８８元"``.

    ``minimum`` and ``maximum`` (fen) bound the amount: a price by default; a fee passes
    its own. Raises :class:`MoneyError` for anything that is not a plain amount with at
    most two decimals within the bounds.
    """

    def refuse(problem: MoneyProblem) -> MoneyError:
        return MoneyError(problem, minimum, maximum)

    cleaned = normalize_amount(text)
    if not cleaned:
        raise refuse(MoneyProblem.EMPTY)
    if cleaned.startswith("-"):
        raise refuse(MoneyProblem.NEGATIVE)
    match = _YUAN.fullmatch(cleaned)
    if match is None:
        raise refuse(MoneyProblem.NOT_AN_AMOUNT)
    frac = match.group("frac") or ""
    if len(frac) > 2:
        raise refuse(MoneyProblem.TOO_MANY_DECIMALS)
    fen = int(match.group("whole").replace(",", "")) * 100 + int(frac.ljust(2, "0"))
    if fen < minimum:
        raise refuse(MoneyProblem.TOO_LOW)
    if fen > maximum:
        raise refuse(MoneyProblem.TOO_HIGH)
    return fen


def format_fen(fen: int) -> str:
    """Format fen as a yuan string with two decimals and thousands separators."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{part:02d}"
