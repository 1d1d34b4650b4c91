"""Checkout: the buyer of a held order asks to pay it, and is sent to the provider's page.

The platform opens a payment at the provider for the order's total (price and postage)
and keeps it in ``payments``; the provider's signed callback later names that payment
(flashbuy_server.payments.callback). Each checkout opens a new payment: should two of them
be paid, the second comes after the order closed and is refunded.

In the order of every domain module: queries, service, router.
"""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.enums import OrderStatus
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import Checkout
from flashbuy_server import viewer_records
from flashbuy_server.db import Database
from flashbuy_server.deps import API_PREFIX, DbDep, PathId, SettingsDep, ViewerDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.payments.provider import PaymentProvider
from flashbuy_server.payments.sandbox import sandbox_for
from flashbuy_server.settlement import order_row
from flashbuy_server.tables import payments

router = APIRouter(tags=["payments"])

CALLBACK_PATH = "/payments/callback"

# --- queries ------------------------------------------------------------------------------


def payable(conn: Connection, viewer_id: int, order_id: int, now: datetime) -> Row[Any]:
    """The viewer's own order, if it can be paid now; refuses it otherwise.

    Another viewer's order is the same 404 as one that does not exist. A held order whose
    window has run out is refused like a closed one, even before its expiry job ran.
    """
    row = order_row(conn, order_id)
    if row is None or row.viewer_id != viewer_id:
        raise not_found("order", order_id)
    if row.status != OrderStatus.HELD.value:
        raise ApiError(
            ErrorCode.ORDER_NOT_HELD,
            f"order {order_id} is {row.status}, not waiting for payment",
            order_id=order_id,
            status=row.status,
        )
    if row.pay_until is None or row.pay_until <= now:
        raise ApiError(
            ErrorCode.ORDER_NOT_HELD,
            f"order {order_id}'s time to pay has run out",
            order_id=order_id,
            status=OrderStatus.EXPIRED.value,
        )
    refused = viewer_records.refusal(conn, row.creator_id, viewer_id)
    if refused is not None:
        raise refused
    return row


# --- service ------------------------------------------------------------------------------


def check_out(
    db: Database,
    provider: PaymentProvider,
    viewer_id: int,
    order_id: int,
    notify_url: str,
    now: datetime,
) -> Checkout:
    """Open a payment for the viewer's held order at the provider, and record it.

    The provider is asked outside any transaction of the platform's (a real one is a
    network call away). Should the order close in between, its payment, if made, comes
    late and is refunded.
    """
    with db.read() as conn:
        order = payable(conn, viewer_id, order_id, now)
    amount = order.price_fen + order.shipping_fen
    created = provider.create_payment(amount, str(order_id), notify_url)
    with db.write() as conn:
        conn.execute(
            payments.insert().values(
                id=created.payment_id,
                order_id=order_id,
                provider=provider.name,
                amount_fen=amount,
                created_at=now,
            )
        )
    return Checkout(
        order_id=order_id,
        payment_id=created.payment_id,
        provider=provider.name,
        pay_url=created.pay_url,
        amount_fen=amount,
        pay_until=order.pay_until,
    )


def provider_for(request: Request) -> PaymentProvider:
    """The payment provider the platform works with: the sandbox (the one that ships)."""
    return sandbox_for(request)


def notify_url_for(request: Request, public_url: str | None = None) -> str:
    """Where the provider sends its callback: this platform at its configured public address
    (``FLASHBUY_PUBLIC_URL``), else as the request reached it."""
    base = public_url or str(request.base_url)
    return base.rstrip("/") + API_PREFIX + CALLBACK_PATH


# --- router -------------------------------------------------------------------------------


@router.post("/orders/{order_id}/checkout", response_model=Checkout, status_code=201)
def post_checkout(
    order_id: PathId, me: ViewerDep, db: DbDep, settings: SettingsDep, request: Request
) -> Checkout:
    """Pay one's own held order: a payment opened at the provider, and its page."""
    return check_out(
        db,
        provider_for(request),
        me.id,
        order_id,
        notify_url_for(request, settings.public_url),
        settings.clock(),
    )
