"""Why a typed amount was refused, in the seller's language: a price, or a postage.

:func:`flashbuy_protocol.money.parse_yuan` decides (one parser, bounds passed by the caller)
and says which rule broke as a :class:`~flashbuy_protocol.money.MoneyProblem`; this module
is the one place that words each problem, for each kind of amount the console asks for.
"""

from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from flashbuy_protocol.money import MoneyError, MoneyProblem, format_fen


class Amount(Enum):
    """What the seller was typing: the words differ, the rules are parse_yuan's."""

    PRICE = "price"
    POSTAGE = "postage"


# Marked with QT_TRANSLATE_NOOP (lupdate reads literal strings only) and translated when
# shown. The contexts are the windows' that first said them, so their translations stay.
_CONTEXT = {Amount.PRICE: "NewFlashBuyDialog", Amount.POSTAGE: "Shipping"}
_REASONS: dict[Amount, dict[MoneyProblem, object]] = {  # QT_TRANSLATE_NOOP is typed object
    Amount.PRICE: {
        MoneyProblem.EMPTY: QT_TRANSLATE_NOOP("NewFlashBuyDialog", "Enter a price"),
        MoneyProblem.NEGATIVE: QT_TRANSLATE_NOOP(
            "NewFlashBuyDialog", "The price cannot be negative"
        ),
        MoneyProblem.NOT_AN_AMOUNT: QT_TRANSLATE_NOOP(
            "NewFlashBuyDialog", "The price can contain only digits and a decimal point"
        ),
        MoneyProblem.TOO_MANY_DECIMALS: QT_TRANSLATE_NOOP(
            "NewFlashBuyDialog", "The price has at most two decimals"
        ),
        MoneyProblem.TOO_LOW: QT_TRANSLATE_NOOP(
            "NewFlashBuyDialog", "The price is at least {min} yuan"
        ),
        MoneyProblem.TOO_HIGH: QT_TRANSLATE_NOOP(
            "NewFlashBuyDialog", "The price is at most {max} yuan"
        ),
    },
    Amount.POSTAGE: {
        MoneyProblem.EMPTY: QT_TRANSLATE_NOOP("Shipping", "Enter the postage"),
        MoneyProblem.NEGATIVE: QT_TRANSLATE_NOOP("Shipping", "The postage cannot be negative"),
        MoneyProblem.NOT_AN_AMOUNT: QT_TRANSLATE_NOOP(
            "Shipping", "The postage can contain only digits and a decimal point"
        ),
        MoneyProblem.TOO_MANY_DECIMALS: QT_TRANSLATE_NOOP(
            "Shipping", "The postage has at most two decimals"
        ),
        # A postage's minimum is 0: below it can only mean a negative amount.
        MoneyProblem.TOO_LOW: QT_TRANSLATE_NOOP("Shipping", "The postage cannot be negative"),
        MoneyProblem.TOO_HIGH: QT_TRANSLATE_NOOP("Shipping", "The postage is at most {max} yuan"),
    },
}


def money_reason(error: MoneyError, amount: Amount) -> str:
    """Why ``error``'s amount was refused, worded for ``amount``, in the seller's language."""
    source = str(_REASONS[amount][error.problem])
    return QCoreApplication.translate(_CONTEXT[amount], source).format(
        min=format_fen(error.minimum), max=format_fen(error.maximum)
    )
