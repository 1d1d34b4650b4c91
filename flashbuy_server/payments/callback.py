"""The payment provider's callback: a signed "this payment succeeded", and what it does.

``POST /payments/callback`` takes the raw body (a few KiB at most, refused by the guard
beyond), checks its signature and age before parsing a byte of it
(flashbuy_server.payments.signature), then reads it as a strict :class:`PaymentNotice`. The
payment must be one the platform opened, for that order and that amount. Then, in one write
transaction, the provider's transaction id is recorded on the payment and the order is paid
(:func:`flashbuy_server.settlement.pay`); an order that had already expired or been
cancelled is not paid, the payment is recorded as late, and the provider is asked to refund
it. A transaction already recorded answers ``duplicate`` and changes nothing: providers
deliver a callback again until they are answered. Every refusal changes nothing.

In the order of every domain module: statements, service, router.
"""

import logging
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.db import Database
from flashbuy_server.deps import DbDep, SettingsDep
from flashbuy_server.errors import ApiError
from flashbuy_server.guard import BodyLimit
from flashbuy_server.payments import signature
from flashbuy_server.payments.checkout import CALLBACK_PATH, provider_for
from flashbuy_server.payments.provider import CallbackReceipt, PaymentNotice, answered_with
from flashbuy_server.settlement import PayOutcome, pay
from flashbuy_server.tables import payments

log = logging.getLogger(__name__)

router = APIRouter(tags=["payments"])

# A notice is about 200 bytes; nothing a provider sends here comes near this.
CALLBACK_BODY_MAX = 4 * 1024


def _too_large(size: int) -> ApiError:
    return ApiError(
        ErrorCode.BODY_TOO_LARGE,
        f"the request body is larger than {CALLBACK_BODY_MAX} bytes",
        max_bytes=CALLBACK_BODY_MAX,
        size_bytes=size,
    )


BODY_LIMIT = BodyLimit(CALLBACK_BODY_MAX, _too_large)

# --- statements ---------------------------------------------------------------------------

_PAYMENT = sa.select(payments).where(payments.c.id == sa.bindparam("payment"))
_BY_TRANSACTION = sa.select(payments.c.id).where(
    payments.c.transaction_id == sa.bindparam("transaction")
)

# Recording the transaction is conditional too: of two deliveries racing, one records it.
_RECORD = (
    sa.update(payments)
    .where(payments.c.id == sa.bindparam("payment"), payments.c.transaction_id.is_(None))
    .values(
        transaction_id=sa.bindparam("transaction"),
        outcome=sa.bindparam("outcome"),
        settled_at=sa.bindparam("now"),
    )
    .returning(payments.c.id)
)

# --- service ------------------------------------------------------------------------------


def _mismatch(message: str, notice: PaymentNotice) -> ApiError:
    return ApiError(
        ErrorCode.PAYMENT_MISMATCH,
        message,
        payment_id=notice.payment_id,
        order_id=notice.order_id,
        amount_fen=notice.amount_fen,
    )


class _RacedError(Exception):
    """Another delivery of a callback for this payment recorded its transaction first."""


def parse_notice(body: bytes) -> PaymentNotice:
    """The notice a verified body holds; the one error shape for a body that is not one
    (not JSON: ``MALFORMED_JSON``; not a notice: ``VALIDATION_FAILED`` naming the fields)."""
    try:
        return PaymentNotice.model_validate_json(body)
    except ValidationError as invalid:
        # As FastAPI reports a body it validated: the app's handler gives the one shape.
        raise RequestValidationError(
            [{**problem, "loc": ("body", *problem["loc"])} for problem in invalid.errors()]
        ) from None


def _answer_known(notice: PaymentNotice, db: Database) -> CallbackReceipt | None:
    """A duplicate's receipt if this transaction is recorded; refuses a notice that is not
    the payment the platform opened; None when the notice is new."""
    with db.read() as conn:
        found = conn.execute(_PAYMENT, {"payment": notice.payment_id}).first()
        other = conn.execute(_BY_TRANSACTION, {"transaction": notice.transaction_id}).first()
    if found is None:
        raise _mismatch(f"payment {notice.payment_id} was never opened here", notice)
    if found.order_id != notice.order_id or found.amount_fen != notice.amount_fen:
        raise _mismatch(
            f"payment {notice.payment_id} is for order {found.order_id}, "
            f"{found.amount_fen} fen: the callback says otherwise",
            notice,
        )
    # The two reads may straddle another delivery's commit (PostgreSQL reads each statement
    # afresh): the transaction found on this very payment is that delivery's, a duplicate.
    if found.transaction_id == notice.transaction_id or (
        other is not None and other.id == notice.payment_id
    ):
        return CallbackReceipt(status="duplicate")
    if found.transaction_id is not None:
        raise _mismatch(f"payment {notice.payment_id} was settled by another transaction", notice)
    if other is not None:
        raise _mismatch(f"transaction {notice.transaction_id} settled another payment", notice)
    return None


def settle(db: Database, notice: PaymentNotice, now: datetime) -> CallbackReceipt:
    """Record a verified notice's transaction and pay its order, in one transaction.

    The order is paid first (it locks the room, as every writer does first), then the
    transaction is recorded on the payment only if none is yet: a delivery that lost a race
    with another delivery of the same callback rolls back, and is a duplicate.
    """
    known = _answer_known(notice, db)
    if known is not None:
        return known
    try:
        with db.write() as conn:
            _order, outcome = pay(conn, notice.order_id, now)
            values = {
                "payment": notice.payment_id,
                "transaction": notice.transaction_id,
                "outcome": outcome.value,
                "now": now,
            }
            if conn.execute(_RECORD, values).first() is None:
                raise _RacedError
    except (_RacedError, IntegrityError):
        # Rolled back: the other delivery's outcome stands. Which answer is this one's?
        known = _answer_known(notice, db)
        if known is None:  # cannot be: a recorded transaction made us roll back
            raise
        return known
    return CallbackReceipt(status="paid" if outcome is PayOutcome.PAID else "late")


# --- router -------------------------------------------------------------------------------


@router.post(
    CALLBACK_PATH,
    response_model=None,
    responses=answered_with(CallbackReceipt, "The payment was taken, or was taken before."),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PaymentNotice.model_json_schema()}},
        }
    },
)
async def receive(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    flashbuy_signature: Annotated[
        str | None,
        Header(
            alias=signature.HEADER,
            description="t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>",
        ),
    ] = None,
) -> CallbackReceipt:
    """The payment provider confirms a payment (signed; see docs/platform.md)."""
    body = await request.body()  # at most BODY_LIMIT: the guard refuses more as it arrives
    signature.verify(settings.payment_secret, flashbuy_signature, body, settings.clock())
    notice = parse_notice(body)
    receipt = await run_in_threadpool(settle, db, notice, settings.clock())
    if receipt.status == "late":
        provider = provider_for(request)
        try:
            await run_in_threadpool(provider.refund, notice.transaction_id)
        except Exception:
            # The payment stays recorded as late: support refunds it by hand from there.
            log.exception("refunding late transaction %s failed", notice.transaction_id)
    return receipt
