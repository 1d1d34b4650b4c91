"""Where an order stands: countdowns, who took a piece over, what a hand-over takes (no Qt)."""

from datetime import timedelta

from flashbuy_desktop.room.order_life import (
    Tally,
    countdown,
    hand_over_plan,
    seconds_left,
    soonest_due,
    successors,
    tally,
)
from flashbuy_protocol.enums import CancelledBy, OrderStatus
from tests.desktop.room.sales_data import ENDED, SOLD_OUT, T0, held, make_fb, order

EXPIRED, CANCELLED = OrderStatus.EXPIRED, OrderStatus.CANCELLED


def test_a_held_order_counts_down_to_its_deadline_and_stops_at_zero() -> None:
    bangle = held(1, 1, "小王", minutes=5)
    assert seconds_left(bangle, T0) == 300
    assert seconds_left(bangle, T0 + timedelta(seconds=0.2)) == 300  # rounded up: never early
    assert seconds_left(bangle, T0 + timedelta(seconds=299, milliseconds=1)) == 1
    assert seconds_left(bangle, T0 + timedelta(minutes=9)) == 0
    # A clock a little behind the platform's never reads more than the window given.
    assert seconds_left(bangle, T0 - timedelta(seconds=2)) == 300
    # A deadline without a zone is the platform's UTC.
    naive = bangle.model_copy(
        update={"pay_until": (T0 + timedelta(minutes=1)).replace(tzinfo=None)}
    )
    assert seconds_left(naive, T0) == 60
    assert seconds_left(order(2, 1, "小李"), T0) is None  # paid: nothing runs
    assert seconds_left(bangle.model_copy(update={"pay_until": None}), T0) is None


def test_countdowns_read_as_minutes_and_seconds() -> None:
    assert countdown(299) == "04:59"
    assert countdown(0) == "00:00"
    assert countdown(-5) == "00:00"
    assert countdown(30 * 60) == "30:00"
    assert countdown(3723) == "1:02:03"


def test_the_soonest_due_is_the_held_order_whose_window_ends_first() -> None:
    late = held(1, 1, "小王", minutes=5)
    early = held(2, 1, "小李", minutes=2)
    tie = held(3, 1, "小张", minutes=2)
    paid = order(4, 1, "小赵")
    assert soonest_due([late, early, tie, paid]) == early
    assert soonest_due([paid]) is None
    assert soonest_due([]) is None


def test_a_piece_moved_to_the_next_buyer_is_found_from_the_later_order() -> None:
    first = order(1, 1, "小王", status=EXPIRED)
    second = held(2, 1, "小李", previous_order_id=1)
    other = order(3, 1, "小张")
    assert successors([first, second, other]) == {1: second}


def test_orders_add_up_by_where_they_stand() -> None:
    orders = [
        order(1, 1, "a"),
        held(2, 1, "b"),
        order(3, 1, "c", status=EXPIRED),
        order(4, 1, "d", status=CANCELLED, cancelled_by=CancelledBy.SELLER),
    ]
    assert tally(orders) == Tally(paid=1, held=1, released=2)
    assert tally(orders).taken == 2


def test_a_hand_over_takes_a_free_piece_first_then_an_unpaid_one_never_a_paid_one() -> None:
    fb = make_fb(1, stock=2, sold=1, held=1)
    wang = held(1, 1, "小王", minutes=5)
    assert hand_over_plan(fb, [wang]).replacing is None  # one piece is free
    assert hand_over_plan(fb, [wang]).possible

    full = make_fb(1, stock=2, sold=2, held=2, status=SOLD_OUT)
    li = held(2, 1, "小李", minutes=1)
    assert hand_over_plan(full, [wang, li]).replacing == li  # the one running out first
    assert hand_over_plan(full, [wang, li], chosen_order_id=1).replacing == wang
    # A chosen paid order cannot be taken back: the soonest unpaid one is.
    assert hand_over_plan(full, [order(3, 1, "x"), li], chosen_order_id=3).replacing == li

    all_paid = make_fb(1, stock=1, sold=1, status=SOLD_OUT)
    assert not hand_over_plan(all_paid, [order(3, 1, "x")]).possible
    assert not hand_over_plan(make_fb(1, status=ENDED), []).possible
