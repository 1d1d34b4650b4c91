"""A sale's life over HTTP, on SQLite and PostgreSQL: held → paid through the provider's
signed callback; held → expired → released to the next in the queue → paid, with the
live's totals, the flash-buy's counters and the events of each step; callbacks that must be
refused; cancels by the buyer and the seller; the seller's hand-over; an end while a piece is
held. Time is the platform's clock, moved by the test; due jobs run when the test says."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.payments import signature
from flashbuy_server.tables import payments, sandbox_payments
from tests.conftest import BACKENDS
from tests.server.sale_support import (
    SalePlatform,
    buy,
    check_invariants,
    checkout,
    events_after,
    last_event_id,
    notice_for,
    order_of,
    order_statuses,
    orders_of,
    pay,
    progress,
    send_callback,
    serve_on_clock,
    signed,
    totals,
    types,
    until,
)
from tests.support import SseClient, World, expect_error, make_world, snapshot

PRICE = 128_800
WINDOW = timedelta(minutes=5)


@pytest.fixture(scope="module", params=BACKENDS)
def sale(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SalePlatform]:
    yield from serve_on_clock(request.param, tmp_path_factory)


@pytest.fixture
def world(sale: SalePlatform) -> Iterator[World]:
    """A creator live with three viewers in the room."""
    w = make_world(sale, viewers=3)
    yield w
    w.close()


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def expire_all(sale: SalePlatform, world: World) -> None:
    """Move the clock to the end of every pay window now running, and run the due jobs."""
    sale.clock.advance(WINDOW.total_seconds())
    sale.run_due()
    check_invariants(sale.db, world.room_id)


# --- held → paid --------------------------------------------------------------------------


def test_a_held_order_is_paid_through_the_sandbox_and_its_signed_callback(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=2)
    buyer, buyer_id = world.viewers[0], world.viewer_ids[0]
    order = buy(buyer, fb["id"])
    assert (order["status"], order["source"], order["previous_order_id"]) == ("held", "offer", None)
    assert at(order["pay_until"]) == sale.now() + WINDOW
    assert totals(world) == (0, 0, 1, PRICE)
    check_invariants(sale.db, world.room_id)
    before = last_event_id(sale, world.room_id)

    # The viewer's app: checkout, then the provider's page; the provider calls back.
    paying = checkout(buyer, order["id"])
    assert (paying["order_id"], paying["amount_fen"]) == (order["id"], PRICE)
    paid_page = requests.post(paying["pay_url"], timeout=30)
    assert paid_page.status_code == 200, paid_page.text
    assert until(lambda: order_statuses(sale.db, fb["id"]) == {order["id"]: "paid"})

    paid = order_of(world, order["id"])
    assert (paid["status"], at(paid["closed_at"]), paid["revision"]) == (
        "paid",
        sale.now(),
        order["revision"] + 1,
    )
    assert totals(world) == (1, PRICE, 0, 0)
    sold, held, waiting, status, _ = progress(world, fb["id"])
    assert (sold, held, waiting, status) == (1, 0, 0, "active")
    appended = events_after(sale, world.room_id, before)
    assert types(appended) == ["order.updated", "live.totals", "viewer.record", "flashbuy.updated"]
    assert appended[2][1]["viewer_id"] == buyer_id
    assert (appended[2][1]["paid_count"], appended[2][1]["paid_fen"]) == (1, PRICE)
    with sale.db.read() as conn:
        recorded = conn.execute(sa.select(payments).where(payments.c.order_id == order["id"])).one()
        book = conn.execute(
            sa.select(sandbox_payments).where(sandbox_payments.c.id == paying["payment_id"])
        ).one()
    assert (recorded.outcome, recorded.transaction_id) == ("paid", book.transaction_id)
    assert book.status == "paid"
    check_invariants(sale.db, world.room_id)

    # Its window passes: nothing is left to expire it.
    done = last_event_id(sale, world.room_id)
    expire_all(sale, world)
    assert order_of(world, order["id"])["status"] == "paid"
    assert events_after(sale, world.room_id, done) == []


# --- held → expired → the next in the queue → paid ----------------------------------------


def test_an_unpaid_piece_expires_goes_to_the_first_in_the_queue_who_pays(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1, pay_minutes=5)
    (first, second, third), (first_id, second_id, third_id) = world.viewers, world.viewer_ids
    revisions = [progress(world, fb["id"])[4]]

    def step(expected: tuple[int, int, int, str]) -> None:
        """The flash-buy's counters now, and its revision grown."""
        sold, held, waiting, status, revision = progress(world, fb["id"])
        assert (sold, held, waiting, status) == expected
        assert revision > revisions[-1], (revision, revisions)
        revisions.append(revision)
        check_invariants(sale.db, world.room_id)

    # 1. The first viewer takes the piece: held, sold out.
    mark = last_event_id(sale, world.room_id)
    held = buy(first, fb["id"])
    step((1, 1, 0, "sold_out"))
    assert totals(world) == (0, 0, 1, PRICE)
    assert types(events_after(sale, world.room_id, mark)) == [
        "order.placed",
        "live.totals",
        "flashbuy.updated",
        "flashbuy.sold_out",
    ]

    # 2. Two more try while it is held: they queue, in order; asking again is the same place.
    mark = last_event_id(sale, world.room_id)
    place = buy(second, fb["id"], 202)
    assert (place["viewer_id"], place["position"]) == (second_id, 1)
    step((1, 1, 1, "sold_out"))
    assert buy(third, fb["id"], 202)["position"] == 2
    step((1, 1, 2, "sold_out"))
    assert buy(second, fb["id"], 202) == place
    assert types(events_after(sale, world.room_id, mark)) == [
        "queue.joined",
        "flashbuy.updated",
        "queue.joined",
        "flashbuy.updated",
    ]
    queue = world.creator.ok("GET", f"/rooms/{world.room_id}/queue")
    assert [(q["viewer_id"], q["position"]) for q in queue] == [(second_id, 1), (third_id, 2)]

    # 3. A second before the window ends nothing happens; at its end it expires and the
    #    piece goes to the first in the queue, with a window of their own.
    sale.clock.advance(WINDOW.total_seconds() - 1)
    sale.run_due()
    assert order_of(world, held["id"])["status"] == "held"
    sale.clock.advance(1)
    mark = last_event_id(sale, world.room_id)
    sale.run_due()
    expired = order_of(world, held["id"])
    assert (expired["status"], at(expired["closed_at"]), expired["revision"]) == (
        "expired",
        sale.now(),
        held["revision"] + 1,
    )
    [_, moved] = orders_of(world, fb["id"])
    assert (moved["viewer_id"], moved["status"], moved["source"], moved["previous_order_id"]) == (
        second_id,
        "held",
        "queue",
        held["id"],
    )
    assert at(moved["pay_until"]) == sale.now() + WINDOW
    step((1, 1, 1, "sold_out"))
    assert totals(world) == (0, 0, 1, PRICE)
    appended = events_after(sale, world.room_id, mark)
    assert types(appended) == [
        "order.updated",
        "live.totals",
        "viewer.record",
        "queue.left",
        "order.placed",
        "live.totals",
        "flashbuy.updated",
    ]
    assert appended[0][1]["status"] == "expired"
    assert (appended[1][1]["held_count"], appended[5][1]["held_count"]) == (0, 1)
    assert (appended[2][1]["viewer_id"], appended[2][1]["expired_count"]) == (first_id, 1)
    assert appended[3][1]["viewer_id"] == second_id
    assert appended[4][1]["id"] == moved["id"]
    queue = world.creator.ok("GET", f"/rooms/{world.room_id}/queue")
    assert [(q["viewer_id"], q["position"]) for q in queue] == [(third_id, 1)]

    # 4. The second viewer pays: the sale counts; no piece can come back, so the third
    #    viewer's wait ends and they are told.
    mark = last_event_id(sale, world.room_id)
    assert pay(sale, second, moved["id"]) == {"status": "paid"}
    step((1, 0, 0, "sold_out"))
    assert totals(world) == (1, PRICE, 0, 0)
    paid_events = events_after(sale, world.room_id, mark)
    assert types(paid_events) == [
        "order.updated",
        "live.totals",
        "viewer.record",
        "queue.left",
        "flashbuy.updated",
    ]
    assert paid_events[3][1]["viewer_id"] == third_id
    assert world.creator.ok("GET", f"/rooms/{world.room_id}/queue") == []

    # 5. The second window's end changes nothing: its expiry went with the payment.
    mark = last_event_id(sale, world.room_id)
    expire_all(sale, world)
    assert events_after(sale, world.room_id, mark) == []
    assert order_statuses(sale.db, fb["id"]) == {held["id"]: "expired", moved["id"]: "paid"}
    # The expired buyer cannot pay any more (their checkout is refused).
    expect_error(first.post(f"/orders/{held['id']}/checkout"), ErrorCode.ORDER_NOT_HELD)


def test_each_viewer_stream_sees_its_own_part_of_a_piece_moving_on(
    sale: SalePlatform, world: World
) -> None:
    """The expired buyer is told their order expired, the next buyer that the piece is
    theirs, a bystander only that the flash-buy changed: nobody sees another's order."""
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    (first, second, bystander), (first_id, second_id, _) = world.viewers, world.viewer_ids
    held = buy(first, fb["id"])
    buy(second, fb["id"], 202)
    mark = last_event_id(sale, world.room_id)
    streams = {
        name: SseClient(viewer, f"/rooms/{world.room_id}/viewer-events", last_event_id=mark)
        for name, viewer in (("first", first), ("second", second), ("bystander", bystander))
    }
    try:
        expire_all(sale, world)
        newest = last_event_id(sale, world.room_id)
        seen = {
            name: [(e["type"], e["data"].get("viewer_id")) for e in stream.until_id(newest)]
            for name, stream in streams.items()
        }
    finally:
        for stream in streams.values():
            stream.close()
    assert seen["first"] == [("order.updated", first_id), ("flashbuy.updated", None)]
    assert seen["second"] == [
        ("queue.left", second_id),
        ("order.placed", second_id),
        ("flashbuy.updated", None),
    ]
    assert seen["bystander"] == [("flashbuy.updated", None)]
    assert order_of(world, held["id"])["status"] == "expired"


def test_a_piece_nobody_waits_for_is_back_on_sale_when_its_order_expires(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    held = buy(world.viewers[0], fb["id"])
    mark = last_event_id(sale, world.room_id)
    expire_all(sale, world)
    assert order_of(world, held["id"])["status"] == "expired"
    assert progress(world, fb["id"])[:4] == (0, 0, 0, "active")
    assert totals(world) == (0, 0, 0, 0)
    assert types(events_after(sale, world.room_id, mark)) == [
        "order.updated",
        "live.totals",
        "viewer.record",
        "flashbuy.updated",
    ]
    # Someone else buys it now, as it first was offered.
    again = buy(world.viewers[1], fb["id"])
    assert (again["source"], again["previous_order_id"]) == ("offer", None)
    check_invariants(sale.db, world.room_id)


def test_the_queue_passes_over_viewers_who_left_or_were_blocked(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    fourth, fourth_id = world.join()
    (first, left, blocked), (_, left_id, blocked_id) = world.viewers[:3], world.viewer_ids[:3]
    held = buy(first, fb["id"])
    for viewer in (left, blocked, fourth):
        buy(viewer, fb["id"], 202)
    left.ok("POST", f"/rooms/{world.room_id}/leave", 204)
    world.creator.ok("PUT", f"/viewers/{blocked_id}/record", json={"blocked": True})
    mark = last_event_id(sale, world.room_id)
    expire_all(sale, world)
    [_, moved] = orders_of(world, fb["id"])
    assert (moved["viewer_id"], moved["previous_order_id"]) == (fourth_id, held["id"])
    appended = events_after(sale, world.room_id, mark)
    assert [d["viewer_id"] for kind, d in appended if kind == "queue.left"] == [
        left_id,
        blocked_id,
        fourth_id,
    ]
    assert progress(world, fb["id"])[:4] == (1, 1, 0, "sold_out")
    assert world.creator.ok("GET", f"/rooms/{world.room_id}/queue") == []


# --- callbacks refused --------------------------------------------------------------------


def test_forged_unsigned_stale_and_replayed_callbacks_change_nothing_and_it_expires_once(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    buyer = world.viewers[0]
    order = buy(buyer, fb["id"])
    notice = notice_for(checkout(buyer, order["id"]))
    url = sale.api_url + "/payments/callback"
    body, good_headers = signed(sale.secret, notice, sale.now())
    refusals: list[tuple[str, requests.Response]] = [
        ("unsigned", requests.post(url, data=body, timeout=30)),
        (
            "forged",
            send_callback(sale, notice, secret="not-the-platform-secret-at-all"),
        ),
        (
            "tampered",
            requests.post(
                url,
                data=body.replace(b'"succeeded"', b'"succeeded" '),
                headers=good_headers,
                timeout=30,
            ),
        ),
        (
            "stale",
            send_callback(sale, notice, at=sale.now() - timedelta(seconds=301)),
        ),
        (
            "from the future",
            send_callback(sale, notice, at=sale.now() + timedelta(seconds=301)),
        ),
        (
            "another amount",
            send_callback(sale, {**notice, "amount_fen": PRICE - 1}),
        ),
    ]
    before = snapshot(sale.db)
    codes = {
        "unsigned": ErrorCode.PAYMENT_SIGNATURE_INVALID,
        "forged": ErrorCode.PAYMENT_SIGNATURE_INVALID,
        "tampered": ErrorCode.PAYMENT_SIGNATURE_INVALID,
        "stale": ErrorCode.PAYMENT_STALE,
        "from the future": ErrorCode.PAYMENT_STALE,
        "another amount": ErrorCode.PAYMENT_MISMATCH,
    }
    for name, resp in refusals:
        expect_error(resp, codes[name])
    assert order_of(world, order["id"])["status"] == "held"

    # A callback the provider really sent, copied off the wire and replayed once its five
    # minutes are over: stale, refused. (Within them, see the duplicate below.)
    sale.clock.advance(301)
    expect_error(
        requests.post(url, data=body, headers=good_headers, timeout=30), ErrorCode.PAYMENT_STALE
    )
    assert snapshot(sale.db) == before

    # The window ends: it expires, once, whatever was sent.
    mark = last_event_id(sale, world.room_id)
    expire_all(sale, world)
    expire_all(sale, world)
    appended = events_after(sale, world.room_id, mark)
    assert types(appended) == ["order.updated", "live.totals", "viewer.record", "flashbuy.updated"]
    assert order_of(world, order["id"])["status"] == "expired"


def test_a_replayed_callback_is_a_duplicate_that_changes_nothing(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    buyer = world.viewers[0]
    order = buy(buyer, fb["id"])
    notice = notice_for(checkout(buyer, order["id"]))
    assert send_callback(sale, notice).json() == {"status": "paid"}
    before = snapshot(sale.db)
    mark = last_event_id(sale, world.room_id)
    replayed = send_callback(sale, notice)
    assert (replayed.status_code, replayed.json()) == (200, {"status": "duplicate"})
    # The same payment confirmed again under another transaction id is refused.
    expect_error(
        send_callback(sale, {**notice, "transaction_id": "tx_other"}), ErrorCode.PAYMENT_MISMATCH
    )
    assert snapshot(sale.db) == before
    assert events_after(sale, world.room_id, mark) == []
    assert totals(world) == (1, PRICE, 0, 0)


def test_a_header_of_another_scheme_only_is_unsigned(sale: SalePlatform, world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    order = buy(world.viewers[0], fb["id"])
    notice = notice_for(checkout(world.viewers[0], order["id"]))
    body, _ = signed(sale.secret, notice, sale.now())
    stamp = int(sale.now().timestamp())
    headers = {signature.HEADER: f"t={stamp},v0={signature.digest(sale.secret, stamp, body)}"}
    before = snapshot(sale.db)
    expect_error(send_callback(sale, notice, headers=headers), ErrorCode.PAYMENT_SIGNATURE_INVALID)
    assert snapshot(sale.db) == before


# --- cancels ------------------------------------------------------------------------------


def test_the_buyer_cancels_and_the_piece_goes_to_the_next_buyer(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    (first, second, _), (first_id, second_id, _) = world.viewers, world.viewer_ids
    held = buy(first, fb["id"])
    buy(second, fb["id"], 202)
    mark = last_event_id(sale, world.room_id)
    cancelled = first.ok("POST", f"/orders/{held['id']}/cancel", json={})
    assert (cancelled["status"], cancelled["cancelled_by"], at(cancelled["closed_at"])) == (
        "cancelled",
        "buyer",
        sale.now(),
    )
    assert types(events_after(sale, world.room_id, mark)) == [
        "order.updated",
        "live.totals",
        "viewer.record",
        "queue.left",
        "order.placed",
        "live.totals",
        "flashbuy.updated",
    ]
    record = world.creator.ok("GET", f"/viewers/{first_id}/record")
    assert (record["cancelled_count"], record["expired_count"]) == (1, 0)
    [_, moved] = orders_of(world, fb["id"])
    assert (moved["viewer_id"], moved["source"], moved["previous_order_id"]) == (
        second_id,
        "queue",
        held["id"],
    )
    assert progress(world, fb["id"])[:4] == (1, 1, 0, "sold_out")
    check_invariants(sale.db, world.room_id)

    # Cancelled is final: not again, not paid, never expired.
    expect_error(first.post(f"/orders/{held['id']}/cancel", json={}), ErrorCode.ORDER_NOT_HELD)
    expect_error(first.post(f"/orders/{held['id']}/checkout"), ErrorCode.ORDER_NOT_HELD)
    mark = last_event_id(sale, world.room_id)
    sale.clock.advance(WINDOW.total_seconds())
    sale.run_due()
    assert types(events_after(sale, world.room_id, mark))[0] == "order.updated"
    assert order_statuses(sale.db, fb["id"]) == {held["id"]: "cancelled", moved["id"]: "expired"}
    check_invariants(sale.db, world.room_id)


def test_the_seller_cancels_with_a_reason_and_it_is_not_counted_against_the_buyer(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    buyer_id = world.viewer_ids[0]
    held = buy(world.viewers[0], fb["id"])
    mark = last_event_id(sale, world.room_id)
    cancelled = world.creator.ok(
        "POST", f"/orders/{held['id']}/cancel-by-seller", json={"reason": "买家要求改地址"}
    )
    assert (cancelled["status"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == (
        "cancelled",
        "seller",
        "买家要求改地址",
    )
    assert types(events_after(sale, world.room_id, mark)) == [
        "order.updated",
        "live.totals",
        "flashbuy.updated",
    ]
    record = world.creator.ok("GET", f"/viewers/{buyer_id}/record")
    assert (record["cancelled_count"], record["expired_count"]) == (0, 0)
    assert progress(world, fb["id"])[:4] == (0, 0, 0, "active")
    expect_error(
        world.creator.post(f"/orders/{held['id']}/cancel-by-seller", json={"reason": "again"}),
        ErrorCode.ORDER_NOT_HELD,
    )
    check_invariants(sale.db, world.room_id)


def test_a_paid_order_cannot_be_cancelled(sale: SalePlatform, world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    order = buy(world.viewers[0], fb["id"])
    pay(sale, world.viewers[0], order["id"])
    before = snapshot(sale.db)
    details = expect_error(
        world.viewers[0].post(f"/orders/{order['id']}/cancel", json={}), ErrorCode.ORDER_NOT_HELD
    )
    assert details["status"] == "paid"
    expect_error(
        world.creator.post(f"/orders/{order['id']}/cancel-by-seller", json={"reason": "x"}),
        ErrorCode.ORDER_NOT_HELD,
    )
    assert snapshot(sale.db) == before


def test_another_viewers_or_creators_order_is_not_found(sale: SalePlatform, world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    order = buy(world.viewers[0], fb["id"])
    other = make_world(sale, viewers=1)
    try:
        before = snapshot(sale.db)
        expect_error(
            world.viewers[1].post(f"/orders/{order['id']}/cancel", json={}), ErrorCode.NOT_FOUND
        )
        expect_error(
            other.viewers[0].post(f"/orders/{order['id']}/cancel", json={}), ErrorCode.NOT_FOUND
        )
        expect_error(
            other.creator.post(f"/orders/{order['id']}/cancel-by-seller", json={"reason": "x"}),
            ErrorCode.NOT_FOUND,
        )
        expect_error(world.viewers[1].post(f"/orders/{order['id']}/checkout"), ErrorCode.NOT_FOUND)
        assert snapshot(sale.db) == before
    finally:
        other.close()


# --- the seller's hand-over ---------------------------------------------------------------


def test_the_seller_hands_a_free_piece_to_a_viewer_and_needs_one_free(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    (first, _, third), (first_id, second_id, third_id) = world.viewers, world.viewer_ids
    handed = world.creator.ok(
        "POST", f"/flash-buys/{fb['id']}/hand-over", 201, json={"viewer_id": second_id}
    )
    assert (handed["viewer_id"], handed["status"], handed["source"]) == (
        second_id,
        "held",
        "seller",
    )
    assert at(handed["pay_until"]) == sale.now() + WINDOW
    assert progress(world, fb["id"])[:4] == (1, 1, 0, "sold_out")
    check_invariants(sale.db, world.room_id)

    before = snapshot(sale.db)
    expect_error(
        world.creator.post(f"/flash-buys/{fb['id']}/hand-over", json={"viewer_id": third_id}),
        ErrorCode.NO_PIECE_FREE,
    )
    assert snapshot(sale.db) == before
    # The viewer it was handed to cannot take a second one; the others queue for it.
    expect_error(
        world.viewers[1].post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"}),
        ErrorCode.ALREADY_PURCHASED,
    )
    assert buy(first, fb["id"], 202)["viewer_id"] == first_id
    assert buy(third, fb["id"], 202)["position"] == 2
    check_invariants(sale.db, world.room_id)


def test_the_seller_hands_an_unpaid_piece_over_in_one_step(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    (first, second, _), (first_id, second_id, third_id) = world.viewers, world.viewer_ids
    held = buy(first, fb["id"])
    buy(second, fb["id"], 202)  # the queue is passed over by the seller's choice
    mark = last_event_id(sale, world.room_id)
    handed = world.creator.ok(
        "POST",
        f"/flash-buys/{fb['id']}/hand-over",
        201,
        json={"viewer_id": third_id, "replacing_order_id": held["id"]},
    )
    assert (handed["viewer_id"], handed["source"], handed["previous_order_id"]) == (
        third_id,
        "seller",
        held["id"],
    )
    replaced = order_of(world, held["id"])
    assert (replaced["status"], replaced["cancelled_by"]) == ("cancelled", "seller")
    assert progress(world, fb["id"])[:4] == (1, 1, 1, "sold_out")
    appended = types(events_after(sale, world.room_id, mark))
    assert appended[:2] == ["order.updated", "live.totals"]
    assert "order.placed" in appended
    assert appended[-1] == "flashbuy.updated"
    check_invariants(sale.db, world.room_id)
    record = world.creator.ok("GET", f"/viewers/{first_id}/record")
    assert record["cancelled_count"] == 0, "the seller's cancel is not the buyer's doing"

    # The replaced order is closed: replacing it again is refused, and changes nothing.
    before = snapshot(sale.db)
    expect_error(
        world.creator.post(
            f"/flash-buys/{fb['id']}/hand-over",
            json={"viewer_id": second_id, "replacing_order_id": held["id"]},
        ),
        ErrorCode.ORDER_NOT_HELD,
    )
    assert snapshot(sale.db) == before

    # The handed-over order expires: the queue's first gets it.
    expire_all(sale, world)
    [_, _, moved] = orders_of(world, fb["id"])
    assert (moved["viewer_id"], moved["source"], moved["previous_order_id"]) == (
        second_id,
        "queue",
        handed["id"],
    )


# --- an end while a piece is held ---------------------------------------------------------


@pytest.mark.parametrize("stock", [1, 2])
def test_a_piece_of_an_ended_flashbuy_is_not_offered_again_when_its_order_expires(
    sale: SalePlatform, world: World, stock: int
) -> None:
    """Stock 1: the flash-buy was sold out (held) when the seller ended it; stock 2: it was
    still on sale. Either way, once ended its piece is never offered again, not even to
    the queue."""
    fb = world.create_flashbuy(price_fen=PRICE, stock=stock)
    held = buy(world.viewers[0], fb["id"])
    if stock == 1:
        buy(world.viewers[1], fb["id"], 202)
    world.creator.ok("POST", f"/flash-buys/{fb['id']}/end")
    expire_all(sale, world)
    assert order_statuses(sale.db, fb["id"]) == {held["id"]: "expired"}
    sold, held_n, _waiting, status, _ = progress(world, fb["id"])
    assert (sold, held_n, status) == (0, 0, "ended")
    offers = world.viewers[2].ok("GET", f"/rooms/{world.room_id}/offers")
    assert fb["id"] not in [o["id"] for o in offers]
    expect_error(
        world.viewers[2].post(f"/flash-buys/{fb['id']}/orders", json={"region": "浙江"}),
        ErrorCode.FLASHBUY_ENDED,
    )


def test_a_piece_held_when_the_live_ends_is_not_offered_again(
    sale: SalePlatform, world: World
) -> None:
    fb = world.create_flashbuy(price_fen=PRICE, stock=1)
    held = buy(world.viewers[0], fb["id"])
    buy(world.viewers[1], fb["id"], 202)
    world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    mark = last_event_id(sale, world.room_id)
    expire_all(sale, world)
    assert order_statuses(sale.db, fb["id"]) == {held["id"]: "expired"}
    sold, held_n, _waiting, status, _ = progress(world, fb["id"])
    assert (sold, held_n, status) == (0, 0, "ended")
    appended = events_after(sale, world.room_id, mark)
    assert "order.placed" not in types(appended)
    assert totals(world) == (0, 0, 0, 0)


def test_the_buyer_of_an_expired_order_cannot_cancel_it(sale: SalePlatform, world: World) -> None:
    fb = world.create_flashbuy(stock=1)
    order = buy(world.viewers[0], fb["id"])
    expire_all(sale, world)
    before = snapshot(sale.db)
    details: dict[str, Any] = expect_error(
        world.viewers[0].post(f"/orders/{order['id']}/cancel", json={}), ErrorCode.ORDER_NOT_HELD
    )
    assert details["status"] == "expired"
    assert snapshot(sale.db) == before
