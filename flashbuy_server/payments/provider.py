"""The payment boundary: what the platform asks of a payment provider, and what it is told.

A provider takes a payment for an amount (:meth:`PaymentProvider.create_payment`), sends
the buyer to its own page to pay (``pay_url``), and confirms the payment by POSTing a
signed :class:`PaymentNotice` to the ``notify_url`` the platform gave it
(flashbuy_server.payments.callback). A payment confirmed after its order closed is
refunded (:meth:`PaymentProvider.refund`). The sandbox provider
(flashbuy_server.payments.sandbox) is the one that ships; a real one is another class with
these two methods, calling its service over HTTP.
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from flashbuy_protocol.limits import FEE_MAX_FEN, ID_MAX
from flashbuy_protocol.money import MAX_PRICE_FEN

# A provider's ids: letters, digits, '-' and '_' only, so none carries a control
# character, a separator or markup into a log or a page.
PAYMENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
TRANSACTION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# An order's total: its price and its postage, each within their own bounds.
AMOUNT_MAX_FEN = MAX_PRICE_FEN + FEE_MAX_FEN


@dataclass(frozen=True)
class CreatedPayment:
    """A payment the provider opened: its id, and the page where the buyer pays it."""

    payment_id: str
    pay_url: str


class PaymentProvider(Protocol):
    """What the platform needs of a payment provider."""

    name: str

    def create_payment(
        self, amount_fen: int, merchant_reference: str, notify_url: str
    ) -> CreatedPayment:
        """Open a payment of ``amount_fen`` for the platform's ``merchant_reference`` (the
        order id); the provider will POST its signed confirmation to ``notify_url``."""
        ...

    def refund(self, transaction_id: str) -> None:
        """Give the money of a confirmed transaction back (its order had closed)."""
        ...


class PaymentNotice(BaseModel):
    """The body of a provider's callback: this payment succeeded, as that transaction.

    Strict: every field as JSON's own type (no ``"42"`` for 42, no ``42.0``), no other field.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    payment_id: Annotated[str, Field(pattern=PAYMENT_ID_PATTERN, max_length=40)]
    transaction_id: Annotated[str, Field(pattern=TRANSACTION_ID_PATTERN, max_length=64)]
    order_id: Annotated[int, Field(ge=1, le=ID_MAX)]
    amount_fen: Annotated[int, Field(ge=1, le=AMOUNT_MAX_FEN)]
    status: Literal["succeeded"]


class CallbackReceipt(BaseModel):
    """The platform's answer to a callback it took: what the payment did.

    ``paid``: the order is paid; ``late``: the order had already expired or been cancelled,
    so the payment is refunded; ``duplicate``: this transaction was recorded before, and
    nothing changed.
    """

    status: Literal["paid", "late", "duplicate"]


def answered_with(model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """A route's 200 answer as ``model``, documented inline: the document's components are
    the protocol the console shares (flashbuy_protocol), and the provider's side of the
    boundary is not part of it."""
    return {
        200: {
            "description": description,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
