"""Paying a held order over the payment boundary: checkout, the sandbox provider's page, its
signed callback over real HTTP; and every callback or checkout the platform must refuse
(unsigned, forged, malformed, stale, replayed, mismatched, too large, not JSON, another
viewer's order, a closed one), each changing nothing. On SQLite and PostgreSQL.

Time is the platform's own clock (``Settings.clock``), which the tests move: a stale
callback is signed six minutes away from it, and a pay window runs out when it moves on.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import CALLBACK_TOLERANCE_SECONDS
from flashbuy_server.config import sqlite_url
from flashbuy_server.payments.callback import CALLBACK_BODY_MAX
from flashbuy_server.payments.signature import HEADER, sign
from flashbuy_server.server import ServerThread
from flashbuy_server.tables import orders, payments, rooms, sandbox_payments
from tests.clock import Clock
from tests.conftest import BACKENDS, platform_settings, require_backend
from tests.support import (
    Api,
    Platform,
    SseClient,
    World,
    expect_error,
    fresh_postgres_database,
    make_world,
    snapshot,
)

WAIT_SECONDS = 30.0


@dataclass
class Paying:
    """A platform whose clock the test moves, and the secret its provider signs with."""

    platform: Platform
    clock: Clock
    secret: str


@pytest.fixture(scope="module", params=BACKENDS)
def paying(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Paying]:
    """A platform of this module's own (a small database for the snapshots), per backend."""
    backend = request.param
    require_backend(backend)
    clock = Clock()

    def serve(url: str) -> Iterator[Paying]:
        settings = replace(platform_settings(url), clock=clock)
        server = ServerThread(settings).start()
        try:
            yield Paying(Platform(server, backend), clock, settings.payment_secret)
        finally:
            server.stop()
            server.app.state.db.dispose()

    if backend == "sqlite":
        yield from serve(sqlite_url(tmp_path_factory.mktemp("payments") / "flashbuy.sqlite3"))
    else:
        with fresh_postgres_database() as url:
            yield from serve(url)


@pytest.fixture
def world(paying: Paying) -> Iterator[World]:
    w = make_world(paying.platform)
    yield w
    w.close()


# --- helpers ------------------------------------------------------------------------------


def wait_for(what: str, check: Callable[[], Any], timeout: float = WAIT_SECONDS) -> Any:
    """``check()`` once it is truthy; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        pause.wait(0.02)


def held_order(world: World, buyer: Api, **flashbuy: Any) -> dict[str, Any]:
    """A new flash-buy bought by ``buyer``: the held order."""
    fb = world.create_flashbuy(**flashbuy)
    order: dict[str, Any] = buyer.ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={})
    assert order["status"] == "held"
    return order


def checkout(buyer: Api, order_id: int) -> dict[str, Any]:
    result: dict[str, Any] = buyer.ok("POST", f"/orders/{order_id}/checkout", 201)
    return result


def creator_stream(world: World) -> SseClient:
    """The creator's event stream, from now on."""
    last = world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"]
    return SseClient(world.creator, f"/rooms/{world.room_id}/events", last_event_id=last)


def wait_for_order_event(stream: SseClient, order_id: int, status: str) -> dict[str, Any]:
    """The ``order.updated`` event that shows the order in ``status``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        event = json.loads(stream.next(timeout=max(0.1, deadline - time.monotonic())).data)
        data: dict[str, Any] = event["data"]
        if event["type"] == "order.updated" and data["id"] == order_id:
            assert data["status"] == status, data
            return data
    pytest.fail(f"no order.updated for order {order_id}")


def run_out_the_window(paying: Paying, world: World, order_id: int) -> None:
    """Move the clock past the order's pay window (5 minutes) and wait until it expired,
    and with it every other order of the module's earlier tests that was still held."""
    stream = creator_stream(world)
    try:
        paying.clock.advance(5 * 60 + 1)
        wait_for_order_event(stream, order_id, "expired")
    finally:
        stream.close()

    def none_left_to_expire() -> bool:
        with world.platform.db.read() as conn:
            due = conn.execute(
                sa.select(sa.func.count())
                .select_from(orders)
                .where(orders.c.status == "held", orders.c.pay_until <= paying.clock())
            ).scalar_one()
        return due == 0

    wait_for("the expiry of every order due", none_left_to_expire)


def order_status(world: World, order_id: int) -> str:
    with world.platform.db.read() as conn:
        return str(
            conn.execute(sa.select(orders.c.status).where(orders.c.id == order_id)).scalar_one()
        )


def payment_row(world: World, payment_id: str) -> Any:
    with world.platform.db.read() as conn:
        return conn.execute(sa.select(payments).where(payments.c.id == payment_id)).one()


def room_totals(world: World) -> tuple[int, int, int, int]:
    with world.platform.db.read() as conn:
        row = conn.execute(
            sa.select(
                rooms.c.order_count, rooms.c.sales_fen, rooms.c.held_count, rooms.c.held_fen
            ).where(rooms.c.id == world.room_id)
        ).one()
    return (row.order_count, row.sales_fen, row.held_count, row.held_fen)


def notice(paid: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The callback body a provider sends for a checkout, changed by ``changes``."""
    body = {
        "payment_id": paid["payment_id"],
        "transaction_id": "tx-" + paid["payment_id"][-12:],
        "order_id": paid["order_id"],
        "amount_fen": paid["amount_fen"],
        "status": "succeeded",
    }
    body.update(changes)
    return body


def encoded(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def signed_at(paying: Paying, seconds_from_now: float = 0) -> int:
    return int((paying.clock() + timedelta(seconds=seconds_from_now)).timestamp())


def post_callback(
    world: World, raw: bytes | Iterator[bytes], signature: str | None, **kwargs: Any
) -> requests.Response:
    """POST ``raw`` as a provider would, as the platform's notify URL names it."""
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[HEADER] = signature
    return requests.post(
        world.platform.api_url + "/payments/callback",
        data=raw,
        headers=headers,
        timeout=60,
        **kwargs,
    )


def send(paying: Paying, world: World, body: dict[str, Any], **kwargs: Any) -> requests.Response:
    """A callback signed with the platform's secret, now by its clock."""
    raw = encoded(body)
    return post_callback(world, raw, sign(paying.secret, signed_at(paying), raw), **kwargs)


def refused_and_unchanged(
    world: World, act: Callable[[], requests.Response], code: ErrorCode
) -> dict[str, Any]:
    """``act`` is refused with ``code`` and no row of any table changed (orders, payments,
    totals, events, the sandbox's book); the error's details."""
    before = snapshot(world.platform.db)
    details = expect_error(act(), code)
    assert snapshot(world.platform.db) == before
    return details


# --- paying -------------------------------------------------------------------------------


def test_a_held_order_is_paid_through_the_sandbox_and_its_signed_callback(
    paying: Paying, world: World
) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer, price_fen=128_800)
    assert room_totals(world) == (0, 0, 1, 128_800)
    stream = creator_stream(world)
    try:
        paid = checkout(buyer, order["id"])
        assert paid["order_id"] == order["id"]
        assert paid["provider"] == "sandbox"
        assert paid["amount_fen"] == order["total_fen"] == 128_800
        assert datetime.fromisoformat(paid["pay_until"]) == datetime.fromisoformat(
            order["pay_until"]
        )
        assert paid["pay_url"].startswith(world.platform.api_url + "/sandbox/payments/")
        with world.platform.db.read() as conn:
            row = conn.execute(sa.select(payments).where(payments.c.id == paid["payment_id"])).one()
        assert (row.order_id, row.amount_fen, row.transaction_id) == (order["id"], 128_800, None)

        # The viewer's app pays on the provider's page; the provider tells the platform.
        page = requests.post(paid["pay_url"], timeout=60)
        assert page.status_code == 200, page.text
        receipt = page.json()
        assert receipt["status"] == "paid"
        assert receipt["transaction_id"]

        updated = wait_for_order_event(stream, order["id"], "paid")
    finally:
        stream.close()
    assert updated["closed_at"]
    assert order_status(world, order["id"]) == "paid"
    assert room_totals(world) == (1, 128_800, 0, 0)
    row = payment_row(world, paid["payment_id"])
    assert (row.transaction_id, row.outcome) == (receipt["transaction_id"], "paid")
    listed = world.creator.ok("GET", f"/flash-buys/{order['flashbuy_id']}/orders")
    assert [(o["id"], o["status"]) for o in listed] == [(order["id"], "paid")]


def test_a_payment_after_the_window_ran_out_is_late_and_refunded(
    paying: Paying, world: World
) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer, price_fen=50_000)
    paid = checkout(buyer, order["id"])
    run_out_the_window(paying, world, order["id"])
    totals = room_totals(world)

    page = requests.post(paid["pay_url"], timeout=60)
    assert page.status_code == 200, page.text
    transaction = page.json()["transaction_id"]

    def refunded() -> bool:
        shown = requests.get(
            world.platform.api_url + f"/sandbox/payments/{paid['payment_id']}", timeout=60
        ).json()
        return bool(shown["status"] == "refunded")

    wait_for("the sandbox to refund the late payment", refunded)
    row = payment_row(world, paid["payment_id"])
    assert (row.transaction_id, row.outcome) == (transaction, "late")
    assert order_status(world, order["id"]) == "expired"
    assert room_totals(world) == totals


def test_a_callback_signed_at_the_edge_of_the_tolerance_is_taken(
    paying: Paying, world: World
) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer)
    paid = checkout(buyer, order["id"])
    raw = encoded(notice(paid))
    header = sign(paying.secret, signed_at(paying, -CALLBACK_TOLERANCE_SECONDS), raw)
    resp = post_callback(world, raw, header)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"status": "paid"}
    assert order_status(world, order["id"]) == "paid"


def test_a_replayed_callback_is_a_duplicate_and_changes_nothing(
    paying: Paying, world: World
) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer, price_fen=70_000)
    paid = checkout(buyer, order["id"])
    first = send(paying, world, notice(paid))
    assert first.json() == {"status": "paid"}, first.text
    assert room_totals(world) == (1, 70_000, 0, 0)

    before = snapshot(world.platform.db)
    again = send(paying, world, notice(paid))
    assert again.status_code == 200, again.text
    assert again.json() == {"status": "duplicate"}
    # The very same bytes and signature, replayed within the tolerance: the same.
    raw = encoded(notice(paid))
    header = sign(paying.secret, signed_at(paying, -10), raw)
    assert post_callback(world, raw, header).json() == {"status": "duplicate"}
    assert snapshot(world.platform.db) == before

    # Another transaction for a payment already settled is not this payment's.
    refused_and_unchanged(
        world,
        lambda: send(paying, world, notice(paid, transaction_id="tx-another-one")),
        ErrorCode.PAYMENT_MISMATCH,
    )


def test_deliveries_of_one_callback_at_once_pay_the_order_once(
    paying: Paying, world: World
) -> None:
    buyer = world.viewers[0]
    rounds = 5
    with ThreadPoolExecutor(8) as pool:
        for n in range(1, rounds + 1):
            order = held_order(world, buyer, price_fen=30_000)
            paid = checkout(buyer, order["id"])
            body = notice(paid)
            answers = list(pool.map(lambda _, b=body: send(paying, world, b), range(8)))
            assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
            statuses = sorted(a.json()["status"] for a in answers)
            assert statuses == ["duplicate"] * 7 + ["paid"], statuses
            assert room_totals(world) == (n, n * 30_000, 0, 0)
    with world.platform.db.read() as conn:
        updates = conn.execute(
            sa.text("SELECT COUNT(*) FROM events WHERE room_id = :room AND type = 'order.updated'"),
            {"room": world.room_id},
        ).scalar_one()
    assert updates == rounds


def test_a_second_checkout_paid_after_the_first_is_refunded(paying: Paying, world: World) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer)
    first, second = checkout(buyer, order["id"]), checkout(buyer, order["id"])
    assert first["payment_id"] != second["payment_id"]
    assert send(paying, world, notice(first)).json() == {"status": "paid"}
    totals = room_totals(world)
    late = send(paying, world, notice(second))  # no sandbox transaction: nothing to refund
    assert late.json() == {"status": "late"}, late.text
    assert payment_row(world, second["payment_id"]).outcome == "late"
    assert room_totals(world) == totals


# --- callbacks refused --------------------------------------------------------------------


@pytest.fixture
def open_checkout(paying: Paying, world: World) -> dict[str, Any]:
    """A held order's checkout, its payment not yet confirmed."""
    order = held_order(world, world.viewers[0], price_fen=99_900)
    return checkout(world.viewers[0], order["id"])


def test_an_unsigned_callback_is_refused(
    paying: Paying, world: World, open_checkout: dict[str, Any]
) -> None:
    raw = encoded(notice(open_checkout))
    refused_and_unchanged(
        world, lambda: post_callback(world, raw, None), ErrorCode.PAYMENT_SIGNATURE_INVALID
    )
    assert order_status(world, open_checkout["order_id"]) == "held"


def test_a_callback_forged_with_another_secret_is_refused(
    paying: Paying, world: World, open_checkout: dict[str, Any]
) -> None:
    raw = encoded(notice(open_checkout))
    forged = sign("not-the-platform-secret-at-all", signed_at(paying), raw)
    refused_and_unchanged(
        world, lambda: post_callback(world, raw, forged), ErrorCode.PAYMENT_SIGNATURE_INVALID
    )
    # A genuine signature over other bytes than those sent.
    other = encoded(notice(open_checkout, amount_fen=1))
    moved = sign(paying.secret, signed_at(paying), other)
    refused_and_unchanged(
        world, lambda: post_callback(world, raw, moved), ErrorCode.PAYMENT_SIGNATURE_INVALID
    )
    # Forged and stale at once: told it is forged, never that it is stale.
    old = sign("not-the-platform-secret-at-all", signed_at(paying, -3600), raw)
    refused_and_unchanged(
        world, lambda: post_callback(world, raw, old), ErrorCode.PAYMENT_SIGNATURE_INVALID
    )


@pytest.mark.parametrize(
    "shape",
    [
        "",
        "{digest}",
        "v1={digest}",
        "t={t}",
        "t={t},v1=",
        "t={t},v1={upper}",
        "t={t},v1={digest}0",
        "t=-{t},v1={digest}",
        "t={t}.5,v1={digest}",
        "t={t},t={t},v1={digest}",
        "t={t};v1={digest}",
        "t={t},v0={digest}",
        "sha256={digest}",
        "t={t},v1={digest}," + "x" * 600,
    ],
)
def test_a_callback_with_a_malformed_signature_header_is_refused(
    paying: Paying, world: World, open_checkout: dict[str, Any], shape: str
) -> None:
    raw = encoded(notice(open_checkout))
    t = signed_at(paying)
    digest = sign(paying.secret, t, raw).split("v1=")[1]
    header = shape.format(t=t, digest=digest, upper=digest.upper())
    refused_and_unchanged(
        world, lambda: post_callback(world, raw, header), ErrorCode.PAYMENT_SIGNATURE_INVALID
    )


@pytest.mark.parametrize("minutes", [-6, 6])
def test_a_callback_signed_six_minutes_away_from_the_platform_clock_is_stale(
    paying: Paying, world: World, open_checkout: dict[str, Any], minutes: int
) -> None:
    raw = encoded(notice(open_checkout))
    header = sign(paying.secret, signed_at(paying, minutes * 60), raw)
    details = refused_and_unchanged(
        world, lambda: post_callback(world, raw, header), ErrorCode.PAYMENT_STALE
    )
    assert details["tolerance_seconds"] == CALLBACK_TOLERANCE_SECONDS
    assert order_status(world, open_checkout["order_id"]) == "held"


@pytest.mark.parametrize(
    "changes",
    [
        {"amount_fen": 99_899},
        {"amount_fen": 99_901},
        {"order_id": 999_999_999},
        {"payment_id": "sbx_never_opened_here"},
    ],
    ids=["less", "more", "another-order", "unknown-payment"],
)
def test_a_callback_that_is_not_the_checkout_s_payment_is_a_mismatch(
    paying: Paying, world: World, open_checkout: dict[str, Any], changes: dict[str, Any]
) -> None:
    refused_and_unchanged(
        world,
        lambda: send(paying, world, notice(open_checkout, **changes)),
        ErrorCode.PAYMENT_MISMATCH,
    )
    assert order_status(world, open_checkout["order_id"]) == "held"


def test_a_callback_naming_another_held_order_is_a_mismatch(
    paying: Paying, world: World, open_checkout: dict[str, Any]
) -> None:
    other = held_order(world, world.viewers[1], price_fen=99_900)
    refused_and_unchanged(
        world,
        lambda: send(paying, world, notice(open_checkout, order_id=other["id"])),
        ErrorCode.PAYMENT_MISMATCH,
    )
    assert order_status(world, other["id"]) == "held"


@pytest.mark.parametrize(
    "changes",
    [
        {"payment_id": "sbx_\u0000abc"},
        {"payment_id": "sbx_abc\n"},
        {"transaction_id": "tx\u202e1"},
        {"transaction_id": "tx\u0085"},
        {"transaction_id": ""},
        {"transaction_id": "x" * 65},
        {"status": "failed"},
        {"amount_fen": "99900"},
        {"amount_fen": 99_900.0},
        {"amount_fen": True},
        {"order_id": "1"},
        {"extra": 1},
    ],
    ids=[
        "nul-in-payment",
        "newline-in-payment",
        "direction-in-transaction",
        "nel-in-transaction",
        "empty-transaction",
        "long-transaction",
        "not-succeeded",
        "amount-as-text",
        "amount-as-float",
        "amount-as-bool",
        "order-as-text",
        "another-field",
    ],
)
def test_a_signed_callback_that_is_not_a_notice_is_refused(
    paying: Paying, world: World, open_checkout: dict[str, Any], changes: dict[str, Any]
) -> None:
    details = refused_and_unchanged(
        world,
        lambda: send(paying, world, notice(open_checkout, **changes)),
        ErrorCode.VALIDATION_FAILED,
    )
    assert details["errors"]
    assert order_status(world, open_checkout["order_id"]) == "held"


@pytest.mark.parametrize(
    "raw",
    [b"not json", b'{"payment_id":', b"\xff\xfe{}", b""],
    ids=["text", "cut", "bytes", "empty"],
)
def test_a_signed_callback_that_is_not_json_is_refused(
    paying: Paying, world: World, open_checkout: dict[str, Any], raw: bytes
) -> None:
    header = sign(paying.secret, signed_at(paying), raw)
    refused_and_unchanged(
        world, lambda: post_callback(world, raw, header), ErrorCode.MALFORMED_JSON
    )


def test_a_huge_callback_is_refused_before_it_is_read(
    paying: Paying, world: World, open_checkout: dict[str, Any]
) -> None:
    raw = encoded(notice(open_checkout, padding="x" * (CALLBACK_BODY_MAX + 1)))
    header = sign(paying.secret, signed_at(paying), raw)
    details = refused_and_unchanged(
        world, lambda: post_callback(world, raw, header), ErrorCode.BODY_TOO_LARGE
    )
    assert details["max_bytes"] == CALLBACK_BODY_MAX

    def chunked() -> Iterator[bytes]:
        for start in range(0, len(raw), 1024):
            yield raw[start : start + 1024]

    refused_and_unchanged(
        world,
        lambda: post_callback(world, chunked(), header),
        ErrorCode.BODY_TOO_LARGE,
    )


# --- checkouts refused --------------------------------------------------------------------


def test_another_viewer_s_order_is_the_same_404_as_none(paying: Paying, world: World) -> None:
    order = held_order(world, world.viewers[0])
    stranger = world.viewers[1]
    theirs = refused_and_unchanged(
        world, lambda: stranger.post(f"/orders/{order['id']}/checkout"), ErrorCode.NOT_FOUND
    )
    assert theirs == {"what": "order", "id": order["id"]}
    missing = expect_error(stranger.post("/orders/999999999/checkout"), ErrorCode.NOT_FOUND)
    assert missing == {"what": "order", "id": 999_999_999}
    # A creator's token is not a buyer's.
    refused_and_unchanged(
        world, lambda: world.creator.post(f"/orders/{order['id']}/checkout"), ErrorCode.FORBIDDEN
    )


def test_a_paid_order_cannot_be_checked_out(paying: Paying, world: World) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer)
    assert send(paying, world, notice(checkout(buyer, order["id"]))).json()["status"] == "paid"
    details = refused_and_unchanged(
        world, lambda: buyer.post(f"/orders/{order['id']}/checkout"), ErrorCode.ORDER_NOT_HELD
    )
    assert details == {"order_id": order["id"], "status": "paid"}


def test_an_expired_order_cannot_be_checked_out(paying: Paying, world: World) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer)
    run_out_the_window(paying, world, order["id"])
    details = refused_and_unchanged(
        world, lambda: buyer.post(f"/orders/{order['id']}/checkout"), ErrorCode.ORDER_NOT_HELD
    )
    assert details == {"order_id": order["id"], "status": "expired"}


def test_a_held_order_past_its_window_cannot_be_checked_out(paying: Paying, world: World) -> None:
    """Between the end of the window and its expiry job's run the order is still held; it
    is refused all the same."""
    buyer = world.viewers[0]
    order = held_order(world, buyer)
    with world.platform.db.write() as conn:
        conn.execute(
            sa.update(orders)
            .where(orders.c.id == order["id"])
            .values(pay_until=paying.clock() - timedelta(seconds=1))
        )
    refused_and_unchanged(
        world, lambda: buyer.post(f"/orders/{order['id']}/checkout"), ErrorCode.ORDER_NOT_HELD
    )
    assert order_status(world, order["id"]) == "held"


def test_the_sandbox_page_of_an_unknown_payment_is_404(paying: Paying, world: World) -> None:
    refused_and_unchanged(
        world,
        lambda: requests.post(
            world.platform.api_url + "/sandbox/payments/sbx_nothing/pay", timeout=60
        ),
        ErrorCode.NOT_FOUND,
    )
    bad = requests.post(world.platform.api_url + "/sandbox/payments/a%0Ab/pay", timeout=60)
    expect_error(bad, ErrorCode.VALIDATION_FAILED)


def test_paying_twice_on_the_sandbox_page_tells_the_platform_once(
    paying: Paying, world: World
) -> None:
    buyer = world.viewers[0]
    order = held_order(world, buyer)
    paid = checkout(buyer, order["id"])
    first = requests.post(paid["pay_url"], timeout=60).json()
    wait_for("the order to be paid", lambda: order_status(world, order["id"]) == "paid")
    before = snapshot(world.platform.db)
    again = requests.post(paid["pay_url"], timeout=60)
    assert again.status_code == 200
    assert again.json() == first
    assert snapshot(world.platform.db) == before
    with world.platform.db.read() as conn:
        book = conn.execute(
            sa.select(sandbox_payments.c.status).where(sandbox_payments.c.id == paid["payment_id"])
        ).scalar_one()
    assert book == "paid"


def test_a_viewer_the_seller_blocked_is_refused_at_checkout(paying: Paying, world: World) -> None:
    buyer, buyer_id = world.viewers[0], world.viewer_ids[0]
    order = held_order(world, buyer)
    world.creator.ok("PUT", f"/viewers/{buyer_id}/record", json={"blocked": True})
    refused_and_unchanged(
        world, lambda: buyer.post(f"/orders/{order['id']}/checkout"), ErrorCode.VIEWER_BLOCKED
    )
    world.creator.ok("PUT", f"/viewers/{buyer_id}/record", json={"blocked": False})
    assert checkout(buyer, order["id"])["order_id"] == order["id"]
