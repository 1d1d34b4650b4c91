"""The rehearsal audience lives the sale after the click against the real platform: buyers
pay, pay late, never pay or cancel, wait in the queue and take the piece when it comes back.

The platform's clock and the audience's are one clock the tests move (a pay window runs out
when the test says); nothing sleeps.
"""

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from flashbuy_server.rehearsal import Audience, AudienceConfig
from tests.clock import Clock
from tests.support import Platform, World, make_world

NOBODY_FAILS = {"late_share": 0.0, "never_share": 0.0, "cancel_share": 0.0}


def _every_buyer(share: str) -> dict[str, float]:
    """Shares by which every buyer pays late, never pays or cancels (``share``)."""
    return {**NOBODY_FAILS, share: 1.0}


@pytest.fixture
def world(clocked: tuple[Platform, Clock]) -> Iterator[World]:
    """A creator live on the clocked platform, with no viewers of the test's own."""
    w = make_world(clocked[0], viewers=0)
    yield w
    w.close()


def _audience(world: World, clock: Clock, viewers: int, seed: int, **config: Any) -> Audience:
    """An audience in the world's live on the test's clock, that has joined and listens."""
    settings: dict[str, Any] = {
        "comment_rate": 0,
        "reaction_seconds": (0.0, 0.02),
        "pay_seconds": (1.0, 5.0),
        "cancel_seconds": (1.0, 2.0),
        "late_seconds": (1.0, 3.0),
        **config,
    }
    crowd = Audience(
        AudienceConfig(
            server=world.platform.url,
            room_id=world.room_id,
            viewers=viewers,
            seed=seed,
            **settings,
        ),
        clock=clock,
    ).start()
    assert crowd.ready.wait(60)
    assert crowd.listening == viewers
    return crowd


def _orders(world: World, flashbuy_id: int) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = world.creator.ok("GET", f"/flash-buys/{flashbuy_id}/orders")
    return sorted(orders, key=lambda o: o["id"])


def _run_out(clock: Clock, order: dict[str, Any]) -> None:
    """Move the clock a second past the order's pay window."""
    until = datetime.fromisoformat(order["pay_until"])
    clock.advance((until - clock()).total_seconds() + 1)


def _progress(world: World, flashbuy_id: int) -> dict[str, Any]:
    found: dict[str, Any] = world.creator.ok("GET", f"/flash-buys/{flashbuy_id}")
    return found


def test_an_unpaid_piece_expires_and_the_next_in_the_queue_pays(
    clocked: tuple[Platform, Clock], world: World
) -> None:
    clock = clocked[1]
    # One viewer grabs the piece and never pays; three others see it sold out while it is
    # only held and wait for it (候补) on purpose; they pay what they get.
    runner = _audience(world, clock, 1, seed=1, buy_probability=1.0, **_every_buyer("never_share"))
    hopeful = _audience(
        world, clock, 3, seed=2, buy_probability=0.0, queue_share=1.0, **NOBODY_FAILS
    )
    try:
        fb = world.create_flashbuy(stock=1, pay_minutes=1)
        assert hopeful.wait_until(lambda a: a.stats.queued == 3)
        assert hopeful.stats.queued_on_purpose == 3
        assert runner.stats.orders == 1
        assert runner.stats.habits == {"never": 1}
        [held] = _orders(world, fb["id"])
        assert held["status"] == "held"
        assert _progress(world, fb["id"])["waiting"] == 3

        _run_out(clock, held)  # expired, and the piece goes to the first in the queue
        assert runner.wait_until(lambda a: a.stats.closed == {"expired": 1})
        assert hopeful.wait_until(lambda a: a.stats.handed == 1 and len(a.buyers.pending()) == 1)
        assert hopeful.stats.habits == {"pay": 1}
        clock.advance(5)  # the new buyer pays within seconds, through the sandbox provider
        assert hopeful.wait_until(lambda a: a.stats.closed == {"paid": 1})
    finally:
        runner_stats, hopeful_stats = runner.stop(), hopeful.stop()

    expired, paid = _orders(world, fb["id"])
    assert (expired["status"], expired["source"]) == ("expired", "offer")
    assert (paid["status"], paid["source"]) == ("paid", "queue")
    assert paid["previous_order_id"] == expired["id"]
    assert expired["viewer_id"] == held["viewer_id"] != paid["viewer_id"]
    progress = _progress(world, fb["id"])
    # Paid: no piece can come back, so the other two stop waiting.
    assert (progress["sold"], progress["held"], progress["waiting"]) == (1, 0, 0)
    room = world.creator.ok("GET", f"/rooms/{world.room_id}")
    assert (room["order_count"], room["held_count"]) == (1, 0)
    assert (hopeful_stats.checkouts, hopeful_stats.payments) == (1, 1)
    assert hopeful_stats.errors == runner_stats.errors == 0
    # The runner may have opened the payment page; too late by then, and refused.
    assert set(runner_stats.sale_refused) <= {"ORDER_NOT_HELD"}
    assert runner_stats.payments == 0


def test_cancelled_pieces_go_down_the_queue_then_back_on_sale(
    clocked: tuple[Platform, Clock], world: World
) -> None:
    clock = clocked[1]
    viewers = 4
    crowd = _audience(
        world,
        clock,
        viewers,
        seed=3,
        buy_probability=1.0,
        queue_share=0.0,
        **_every_buyer("cancel_share"),
    )
    try:
        fb = world.create_flashbuy(stock=1, pay_minutes=1)
        # One buyer holds the piece; the others asked while it was held: in the queue.
        assert crowd.wait_until(lambda a: a.stats.orders + a.stats.queued == viewers)
        assert (crowd.stats.orders, crowd.stats.queued, crowd.stats.queued_on_purpose) == (
            1,
            viewers - 1,
            0,
        )
        for cancelled in range(1, viewers + 1):
            clock.advance(2)  # each buyer cancels within two seconds
            assert crowd.wait_until(
                lambda a, n=cancelled: (
                    a.stats.closed.get("cancelled") == n  # type: ignore[misc]
                    and a.stats.handed == min(n, viewers - 1)
                )
            )
        # Nobody is left in the queue: the piece is on sale again, and the viewers see it
        # offered anew (all of them had an order for it: none buys again).
        assert crowd.wait_until(lambda a: a.stats.invitations == 2 * viewers)
    finally:
        stats = crowd.stop()
    orders = _orders(world, fb["id"])
    assert [o["status"] for o in orders] == ["cancelled"] * viewers
    assert all(o["cancelled_by"] == "buyer" for o in orders)
    assert [o["source"] for o in orders] == ["offer"] + ["queue"] * (viewers - 1)
    assert [o["previous_order_id"] for o in orders[1:]] == [o["id"] for o in orders[:-1]]
    assert len({o["viewer_id"] for o in orders}) == viewers
    progress = _progress(world, fb["id"])
    assert (progress["status"], progress["sold"], progress["held"], progress["waiting"]) == (
        "active",
        0,
        0,
        0,
    )
    assert stats.cancels == viewers
    assert stats.habits == {"cancel": viewers}
    assert stats.errors == 0


def test_late_payers_are_told_it_is_too_late(clocked: tuple[Platform, Clock], world: World) -> None:
    clock = clocked[1]
    viewers = 6
    crowd = _audience(
        world, clock, viewers, seed=4, buy_probability=1.0, **_every_buyer("late_share")
    )
    try:
        fb = world.create_flashbuy(stock=viewers, pay_minutes=1)
        assert crowd.wait_until(lambda a: a.stats.orders == viewers)
        opened = sum(step.act == "checkout" for step in crowd.buyers.pending())
        clock.advance(5)  # some open the payment in time...
        assert crowd.wait_until(lambda a: a.stats.checkouts == opened)
        _run_out(clock, _orders(world, fb["id"])[0])  # ...and nobody pays it within the window
        assert crowd.wait_until(lambda a: a.stats.closed == {"expired": viewers})
        clock.advance(3)  # then they pay, late
        assert crowd.wait_until(
            lambda a: a.stats.payments + a.stats.sale_refused.get("ORDER_NOT_HELD", 0) == viewers
        )
    finally:
        stats = crowd.stop()
    # Those who had opened the payment paid the provider (the platform refunds it: late);
    # the others were refused the checkout. No order became paid.
    assert stats.payments == opened
    assert stats.sale_refused == ({"ORDER_NOT_HELD": viewers - opened} if opened < viewers else {})
    assert [o["status"] for o in _orders(world, fb["id"])] == ["expired"] * viewers
    assert world.creator.ok("GET", f"/rooms/{world.room_id}")["order_count"] == 0
    assert stats.errors == 0


def test_stopping_drops_the_payments_to_come_and_leaves_no_thread(
    clocked: tuple[Platform, Clock], world: World
) -> None:
    clock = clocked[1]
    before = {t.ident for t in threading.enumerate()}
    crowd = _audience(world, clock, 3, seed=5, buy_probability=1.0, **NOBODY_FAILS)
    fb = world.create_flashbuy(stock=3, pay_minutes=1)
    assert crowd.wait_until(lambda a: a.stats.orders == 3 and len(a.buyers.pending()) == 3)
    stats = crowd.stop()
    assert stats.dropped == 3
    assert crowd.buyers.pending() == []
    left = [
        t
        for t in threading.enumerate()
        if t.ident not in before and not t.name.startswith("sandbox-notify")
    ]
    assert left == []
    clock.advance(10)  # the payments' moment: nobody is there to pay
    assert [o["status"] for o in _orders(world, fb["id"])] == ["held"] * 3
    assert stats.payments == stats.checkouts == 0
    _run_out(clock, _orders(world, fb["id"])[0])  # (they expire: the next world starts clean)
