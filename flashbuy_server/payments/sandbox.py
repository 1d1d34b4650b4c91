"""The sandbox payment provider: a pretend payment company for the demo and the tests.

It behaves as another company's service would, on its side of the payment boundary
(flashbuy_server.payments.provider): it keeps its own book (table ``sandbox_payments``),
gives the buyer a page to pay on (``POST /sandbox/payments/{id}/pay``: the viewer's app calls
it, and no card is asked for), and tells the platform over real HTTP, with a signed callback
to the ``notify_url`` it was given, from a thread of its own after answering the buyer,
trying again with growing pauses while the platform cannot be reached or fails. It shares
the platform's database and clock only because it runs in the same process; it never reads
or writes the platform's tables, nor the platform its.

In the order of every domain module: statements, service, router.
"""

import json
import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Annotated, Any, Literal

import httpx
import sqlalchemy as sa
from fastapi import APIRouter, BackgroundTasks, Path, Request
from pydantic import BaseModel

from flashbuy_server.db import Database
from flashbuy_server.deps import API_PREFIX
from flashbuy_server.errors import not_found
from flashbuy_server.payments.provider import (
    PAYMENT_ID_PATTERN,
    CreatedPayment,
    PaymentNotice,
    answered_with,
)
from flashbuy_server.payments.signature import HEADER, sign
from flashbuy_server.tables import sandbox_payments

log = logging.getLogger(__name__)

router = APIRouter(tags=["sandbox payment provider"])

NAME = "sandbox"
# Pauses before each further delivery of a callback the platform did not take (seconds):
# five tries over about 7.5 s, as a real provider keeps trying for a while.
RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0)
DELIVERY_TIMEOUT_SECONDS = 10.0
DELIVERIES_AT_ONCE = 8

PENDING, PAID, REFUNDED = "pending", "paid", "refunded"

# --- statements ---------------------------------------------------------------------------

_PAY = (
    sa.update(sandbox_payments)
    .where(
        sandbox_payments.c.id == sa.bindparam("payment"),
        sandbox_payments.c.status == PENDING,
    )
    .values(status=PAID, transaction_id=sa.bindparam("transaction"), paid_at=sa.bindparam("now"))
    .returning(*sandbox_payments.c)
)

_REFUND = (
    sa.update(sandbox_payments)
    .where(
        sandbox_payments.c.transaction_id == sa.bindparam("transaction"),
        sandbox_payments.c.status == PAID,
    )
    .values(status=REFUNDED)
    .returning(sandbox_payments.c.id)
)

_ONE = sa.select(sandbox_payments).where(sandbox_payments.c.id == sa.bindparam("payment"))


class SandboxPayment(BaseModel):
    """A payment as the sandbox provider's page shows it."""

    payment_id: str
    merchant_reference: str
    amount_fen: int
    status: Literal["pending", "paid", "refunded"]
    transaction_id: str | None
    created_at: datetime
    paid_at: datetime | None


def _shown(row: Any) -> SandboxPayment:
    return SandboxPayment(
        payment_id=row.id,
        merchant_reference=row.merchant_reference,
        amount_fen=row.amount_fen,
        status=row.status,
        transaction_id=row.transaction_id,
        created_at=row.created_at,
        paid_at=row.paid_at,
    )


# --- service ------------------------------------------------------------------------------


class Notifier:
    """Delivers the sandbox's signed callbacks on a few threads of its own (a burst of
    payments queues its deliveries rather than starting a thread each).

    A delivery is signed afresh at each try (its timestamp is the time of that try), and
    tried again after a pause while the platform cannot be reached or answers 5xx; any other
    answer is final (a 4xx would be the same the next time). The platform makes one per
    process and stops it as it stops (``create_app``).
    """

    def __init__(self, secret: str, clock: Callable[[], datetime]) -> None:
        self.secret = secret
        self.clock = clock
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(DELIVERIES_AT_ONCE, thread_name_prefix="sandbox-notify")

    def deliver(self, notify_url: str, notice: PaymentNotice) -> "Future[None]":
        """Start delivering ``notice``; done when it was taken, refused or given up."""
        body = json.dumps(notice.model_dump(), separators=(",", ":")).encode()
        return self._pool.submit(self._send, notify_url, body)

    def stop(self) -> None:
        """Give up the deliveries under way at their next pause, drop those not started,
        and wait for the threads (a try in hand ends within its timeout)."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _send(self, notify_url: str, body: bytes) -> None:
        with httpx.Client(timeout=DELIVERY_TIMEOUT_SECONDS) as client:
            for attempt, pause in enumerate((0.0, *RETRY_PAUSES), start=1):
                if pause and self._stop.wait(pause):
                    return
                timestamp = int(self.clock().timestamp())
                headers = {HEADER: sign(self.secret, timestamp, body)}
                headers["Content-Type"] = "application/json"
                try:
                    answer = client.post(notify_url, content=body, headers=headers)
                except httpx.HTTPError as error:
                    log.warning(
                        "sandbox: callback try %d to %s failed: %s", attempt, notify_url, error
                    )
                    continue
                if answer.status_code < 500:
                    if not answer.is_success:
                        log.error(
                            "sandbox: the platform refused a callback (%d): %s",
                            answer.status_code,
                            answer.text[:300],
                        )
                    return
                log.warning("sandbox: callback try %d answered %d", attempt, answer.status_code)
        log.error("sandbox: gave up delivering a callback to %s", notify_url)


class SandboxProvider:
    """The sandbox as a :class:`~flashbuy_server.payments.provider.PaymentProvider`, its
    pages at ``base_url``."""

    name = NAME

    def __init__(
        self, db: Database, clock: Callable[[], datetime], notifier: Notifier, base_url: str
    ) -> None:
        self.db = db
        self.clock = clock
        self.notifier = notifier
        self.base_url = base_url.rstrip("/")

    def create_payment(
        self, amount_fen: int, merchant_reference: str, notify_url: str
    ) -> CreatedPayment:
        """Open a payment in the sandbox's book; where the buyer pays it."""
        payment_id = "sbx_" + secrets.token_hex(16)
        with self.db.write() as conn:
            conn.execute(
                sandbox_payments.insert().values(
                    id=payment_id,
                    merchant_reference=merchant_reference,
                    amount_fen=amount_fen,
                    notify_url=notify_url,
                    status=PENDING,
                    created_at=self.clock(),
                )
            )
        return CreatedPayment(
            payment_id=payment_id,
            pay_url=f"{self.base_url}{API_PREFIX}/sandbox/payments/{payment_id}/pay",
        )

    def pay(self, payment_id: str) -> tuple[SandboxPayment, str | None]:
        """The buyer pays: the payment as it now stands, and the URL to notify when this call
        paid it (None when it was paid or refunded before: nothing more to tell)."""
        with self.db.write() as conn:
            transaction = "sbx_tx_" + secrets.token_hex(16)
            row = conn.execute(
                _PAY, {"payment": payment_id, "transaction": transaction, "now": self.clock()}
            ).first()
            if row is not None:
                return _shown(row), row.notify_url
            row = conn.execute(_ONE, {"payment": payment_id}).first()
        if row is None:
            raise not_found("payment", payment_id)
        return _shown(row), None

    def payment(self, payment_id: str) -> SandboxPayment:
        """One payment as the sandbox's book has it."""
        with self.db.read() as conn:
            row = conn.execute(_ONE, {"payment": payment_id}).first()
        if row is None:
            raise not_found("payment", payment_id)
        return _shown(row)

    def refund(self, transaction_id: str) -> None:
        """Give a paid transaction's money back (once; a refunded one stays refunded)."""
        with self.db.write() as conn:
            refunded = conn.execute(_REFUND, {"transaction": transaction_id}).first()
        if refunded is None:
            log.warning("sandbox: nothing to refund for transaction %s", transaction_id)


def sandbox_for(request: Request) -> SandboxProvider:
    """The sandbox provider of the request's platform, its pages on the request's host."""
    state = request.app.state
    notifier: Notifier = state.sandbox_notifier
    return SandboxProvider(state.db, state.settings.clock, notifier, str(request.base_url))


# --- router -------------------------------------------------------------------------------

PaymentId = Annotated[str, Path(pattern=PAYMENT_ID_PATTERN, max_length=40)]


@router.post(
    "/sandbox/payments/{payment_id}/pay",
    response_model=None,
    responses=answered_with(SandboxPayment, "The payment, now paid."),
)
def pay_page(payment_id: PaymentId, request: Request, later: BackgroundTasks) -> SandboxPayment:
    """The buyer pays (the sandbox asks for no card): the payment is paid at once, and the
    platform is told by a signed callback after this answer. Paying again changes nothing."""
    sandbox = sandbox_for(request)
    shown, notify_url = sandbox.pay(payment_id)
    if notify_url is not None:
        assert shown.transaction_id is not None
        notice = PaymentNotice(
            payment_id=shown.payment_id,
            transaction_id=shown.transaction_id,
            order_id=int(shown.merchant_reference),
            amount_fen=shown.amount_fen,
            status="succeeded",
        )
        # After the answer is sent, and on a thread of its own: the buyer never waits on it.
        later.add_task(sandbox.notifier.deliver, notify_url, notice)
    return shown


@router.get(
    "/sandbox/payments/{payment_id}",
    response_model=None,
    responses=answered_with(SandboxPayment, "The payment."),
)
def show_payment(payment_id: PaymentId, request: Request) -> SandboxPayment:
    """A payment as the sandbox's book has it: pending, paid or refunded."""
    return sandbox_for(request).payment(payment_id)
