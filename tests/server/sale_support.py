"""Helpers for the tests of a sale's life (held, paid, expired, cancelled, released):
a platform on a clock the test moves, the provider's signed callback, and the invariants
that must hold after every step.

The platform's job runner is stopped once the platform has started (its first pass ran):
the test then runs due jobs itself, with :meth:`SalePlatform.run_due`, at the moment it
chooses. A runner thread left on would race the test for every job, and the races the tests
stage (a payment at the expiry instant) would no longer be the ones they mean.
"""

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from flashbuy_protocol.enums import OrderStatus
from flashbuy_server.config import sqlite_url
from flashbuy_server.db import Database
from flashbuy_server.jobs import JobRunner
from flashbuy_server.payments import signature
from flashbuy_server.server import ServerThread
from flashbuy_server.settlement import EXPIRE_KIND
from flashbuy_server.tables import events, flashbuys, jobs, orders, queue_entries, rooms
from tests.clock import Clock
from tests.conftest import platform_settings, require_backend
from tests.support import Api, Platform, World, fresh_postgres_database

CALLBACK = "/payments/callback"


@dataclass
class SalePlatform(Platform):
    """A platform whose time is ``clock``, and whose due jobs the test runs."""

    clock: Clock

    @property
    def runner(self) -> JobRunner:
        runner: JobRunner = self.server.app.state.jobs
        return runner

    @property
    def secret(self) -> str:
        return self.server.settings.payment_secret

    def run_due(self) -> int:
        """One pass of the platform's own job runner at the clock's time; jobs run."""
        return self.runner.run_due()

    def now(self) -> datetime:
        return self.clock()


def serve_on_clock(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SalePlatform]:
    """A platform on a new database of ``backend``, its time a :class:`Clock`, its runner's
    thread stopped (see the module's docstring)."""
    require_backend(backend)
    clock = Clock()

    def serving(url: str) -> Iterator[SalePlatform]:
        server = ServerThread(replace(platform_settings(url), clock=clock)).start()
        assert server.app.state.jobs.stop(), "the job runner's thread did not stop"
        try:
            yield SalePlatform(server, backend, clock)
        finally:
            server.stop()
            server.app.state.db.dispose()

    if backend == "sqlite":
        yield from serving(sqlite_url(tmp_path_factory.mktemp("sale") / "flashbuy.sqlite3"))
    else:
        with fresh_postgres_database() as url:
            yield from serving(url)


# --- acting as people do -------------------------------------------------------------------


def buy(viewer: Api, flashbuy_id: int, status: int = 201, **body: Any) -> dict[str, Any]:
    """A purchase answered with ``status`` (201: a held order; 202: a place in the queue)."""
    body.setdefault("region", "浙江")
    got: dict[str, Any] = viewer.ok("POST", f"/flash-buys/{flashbuy_id}/orders", status, json=body)
    return got


def progress(world: World, flashbuy_id: int) -> tuple[int, int, int, str, int]:
    """(sold, held, waiting, status, revision) as the creator reads the flash-buy."""
    fb = world.creator.ok("GET", f"/flash-buys/{flashbuy_id}")
    return fb["sold"], fb["held"], fb["waiting"], fb["status"], fb["revision"]


def totals(world: World) -> tuple[int, int, int, int]:
    """(order_count, sales_fen, held_count, held_fen) of the world's live."""
    room = world.creator.ok("GET", f"/rooms/{world.room_id}")
    return room["order_count"], room["sales_fen"], room["held_count"], room["held_fen"]


def orders_of(world: World, flashbuy_id: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = world.creator.ok("GET", f"/flash-buys/{flashbuy_id}/orders")
    return got


def order_of(world: World, order_id: int) -> dict[str, Any]:
    """One order as the creator lists it."""
    room_orders = world.creator.ok("GET", f"/rooms/{world.room_id}/orders")
    [found] = [o for o in room_orders if o["id"] == order_id]
    return dict(found)


def last_event_id(platform: Platform, room_id: int) -> int:
    with platform.db.read() as conn:
        return int(
            conn.execute(sa.select(rooms.c.last_event_id).where(rooms.c.id == room_id)).scalar_one()
        )


def events_after(platform: Platform, room_id: int, after: int) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the room's events after id ``after``, in order."""
    with platform.db.read() as conn:
        rows = conn.execute(
            sa.select(events.c.type, events.c.data)
            .where(events.c.room_id == room_id, events.c.id > after)
            .order_by(events.c.id)
        ).all()
    return [(row.type, dict(row.data)) for row in rows]


def types(found: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [kind for kind, _ in found]


# --- the payment provider -----------------------------------------------------------------


def checkout(viewer: Api, order_id: int) -> dict[str, Any]:
    """The buyer asks to pay: the provider's payment for the order."""
    got: dict[str, Any] = viewer.ok("POST", f"/orders/{order_id}/checkout", 201)
    return got


def notice_for(paying: dict[str, Any], transaction_id: str | None = None) -> dict[str, Any]:
    """The provider's "this payment succeeded" for a checkout, as a new transaction."""
    return {
        "payment_id": paying["payment_id"],
        "transaction_id": transaction_id or "tx_" + secrets.token_hex(12),
        "order_id": paying["order_id"],
        "amount_fen": paying["amount_fen"],
        "status": "succeeded",
    }


def signed(secret: str, notice: dict[str, Any], at: datetime) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a callback signed at ``at`` with ``secret``."""
    body = json.dumps(notice, separators=(",", ":")).encode()
    timestamp = int(at.timestamp())
    return body, {
        signature.HEADER: signature.sign(secret, timestamp, body),
        "Content-Type": "application/json",
    }


def send_callback(
    platform: SalePlatform,
    notice: dict[str, Any],
    *,
    at: datetime | None = None,
    secret: str | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """POST a callback as the provider would: signed with the shared secret at the
    platform's time, unless the test says otherwise."""
    body, signed_headers = signed(
        platform.secret if secret is None else secret, notice, at or platform.now()
    )
    return requests.post(
        platform.api_url + CALLBACK,
        data=body,
        headers=signed_headers if headers is None else headers,
        timeout=60,
    )


def pay(platform: SalePlatform, viewer: Api, order_id: int) -> dict[str, Any]:
    """The buyer pays through the checkout, and the provider confirms by signed callback;
    the receipt."""
    resp = send_callback(platform, notice_for(checkout(viewer, order_id)))
    assert resp.status_code == 200, (resp.status_code, resp.text)
    receipt: dict[str, Any] = resp.json()
    return receipt


# --- waiting on a condition ---------------------------------------------------------------


def until(check: Callable[[], bool], timeout: float = 30) -> bool:
    """Whether ``check`` holds within ``timeout``, asked every 20 ms: work done by another
    thread or process shows only in the database, which tells nobody when it changes."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not check():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.02)
    return True


# --- invariants ---------------------------------------------------------------------------


def order_statuses(db: Database, flashbuy_id: int) -> dict[int, str]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(orders.c.id, orders.c.status).where(orders.c.flashbuy_id == flashbuy_id)
        ).all()
    return {row.id: row.status for row in rows}


def check_invariants(db: Database, room_id: int) -> None:
    """What must hold in a live whatever happened: the counters agree with the orders, no
    flash-buy has more pieces taken than in stock, each held order has its one expiry job
    and no closed order has one, no expiry failed (of any live), and nobody waits while a
    piece of a flash-buy on sale is free."""
    held, paid = OrderStatus.HELD.value, OrderStatus.PAID.value
    with db.read() as conn:
        room = conn.execute(sa.select(rooms).where(rooms.c.id == room_id)).one()
        room_orders = conn.execute(
            sa.select(orders.c.id, orders.c.flashbuy_id, orders.c.status, orders.c.price_fen).where(
                orders.c.room_id == room_id
            )
        ).all()
        offers = conn.execute(sa.select(flashbuys).where(flashbuys.c.room_id == room_id)).all()
        queued = conn.execute(
            sa.select(queue_entries.c.flashbuy_id, sa.func.count())
            .where(queue_entries.c.room_id == room_id)
            .group_by(queue_entries.c.flashbuy_id)
        ).all()
        expiries = conn.execute(
            sa.select(jobs.c.key, jobs.c.attempts, jobs.c.last_error).where(
                jobs.c.kind == EXPIRE_KIND
            )
        ).all()
    waiting_jobs = {row.key for row in expiries}
    # Nothing here has a reason to fail: a failed expiry (a deadlock, say) is a bug even
    # though its retry would put it right.
    assert [row for row in expiries if row.attempts] == [], "an expiry failed"
    held_orders = [o for o in room_orders if o.status == held]
    paid_orders = [o for o in room_orders if o.status == paid]
    assert (room.held_count, room.held_fen) == (
        len(held_orders),
        sum(o.price_fen for o in held_orders),
    ), "the live's held totals"
    assert (room.order_count, room.sales_fen) == (
        len(paid_orders),
        sum(o.price_fen for o in paid_orders),
    ), "the live's sales count paid orders only"
    in_queue: dict[int, int] = {row[0]: int(row[1]) for row in queued}
    for fb in offers:
        fb_held = sum(1 for o in held_orders if o.flashbuy_id == fb.id)
        fb_paid = sum(1 for o in paid_orders if o.flashbuy_id == fb.id)
        assert fb_held + fb_paid == fb.sold <= fb.stock, (fb.id, fb_held, fb_paid, fb.sold)
        assert fb.held == fb_held, (fb.id, fb.held, fb_held)
        assert fb.waiting == in_queue.get(fb.id, 0), (fb.id, fb.waiting, in_queue)
        if fb.status == "active" and fb.sold < fb.stock:
            assert fb.waiting == 0, f"flash-buy {fb.id} has a free piece while viewers wait"
    for o in room_orders:
        assert (str(o.id) in waiting_jobs) == (o.status == held), (o.id, o.status)
