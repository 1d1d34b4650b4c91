"""This live's flash-buys and orders: the newest revision wins, plain rules, no Qt."""

from datetime import timedelta

from flashbuy_desktop.room.live_sales import LiveSales, Outcome, newest, progressed
from flashbuy_protocol.enums import OrderStatus
from tests.desktop.room.sales_data import (
    ACTIVE,
    ENDED,
    SOLD_OUT,
    T0,
    held,
    make_fb,
    order,
    progress,
    waiting,
)


def state(sales: LiveSales, fid: int) -> tuple[str, int, int, int]:
    fb = sales.flashbuy(fid)
    assert fb is not None
    return fb.status.value, fb.sold, fb.stock, fb.revision


def test_a_newer_revision_with_a_lower_sold_is_the_newer_state() -> None:
    """A piece whose buyer did not pay comes back: sold goes down, the flash-buy is active again."""
    sales = LiveSales()
    assert sales.put(make_fb(1)) is Outcome.ADDED
    assert sales.progress(progress(1, 1, 1, SOLD_OUT, revision=2)) is Outcome.CHANGED
    assert state(sales, 1) == ("sold_out", 1, 1, 2)

    assert sales.progress(progress(1, 0, 1, ACTIVE, revision=3)) is Outcome.CHANGED
    assert state(sales, 1) == ("active", 0, 1, 3)

    # The sale that made it sold out, arriving late (a replay): older, ignored.
    assert sales.progress(progress(1, 1, 1, SOLD_OUT, revision=2)) is Outcome.IGNORED
    assert state(sales, 1) == ("active", 0, 1, 3)


def test_an_older_or_equal_revision_is_ignored_whatever_it_says() -> None:
    sales = LiveSales()
    sales.put(make_fb(1, stock=3))
    sales.progress(progress(1, 2, 3, ACTIVE, revision=3))
    # Equal revision, other counters: the platform never sends two states under one revision,
    # so this is a repeat and changes nothing.
    assert sales.progress(progress(1, 3, 3, SOLD_OUT, revision=3)) is Outcome.IGNORED
    assert sales.put(make_fb(1, stock=3, sold=3, status=SOLD_OUT, revision=2)) is Outcome.IGNORED
    assert sales.put(make_fb(1, stock=3)) is Outcome.IGNORED
    assert state(sales, 1) == ("active", 2, 3, 3)

    # A whole view with a newer revision replaces the row, even with fewer sold.
    ended = make_fb(1, stock=3, sold=1, status=ENDED, revision=5, ended_at=T0)
    assert sales.put(ended) is Outcome.CHANGED
    assert sales.flashbuy(1) == ended


def test_progress_keeps_the_rest_of_the_row_and_an_active_one_has_no_end_time() -> None:
    fb = make_fb(1, stock=2, sold=2, status=SOLD_OUT, revision=3, note="带证书")
    back = progressed(fb, progress(1, 1, 2, ACTIVE, revision=4))
    assert (back.sold, back.stock, back.status, back.revision) == (1, 2, ACTIVE, 4)
    assert (back.title, back.note, back.picture_id) == (fb.title, fb.note, fb.picture_id)
    assert back.ended_at is None
    assert progressed(fb, progress(1, 0, 2, ACTIVE, revision=3)) is fb
    assert newest(fb, back) is back
    assert newest(back, fb) is back
    assert newest(None, fb) is fb
    assert newest(fb, fb.model_copy()) is fb  # a tie keeps what is known


def test_news_of_a_flash_buy_not_known_yet_waits_for_it() -> None:
    sales = LiveSales()
    assert sales.order(order(10, 8, "小王")) is Outcome.HELD
    assert sales.progress(progress(8, 1, 1, SOLD_OUT, revision=2)) is Outcome.HELD
    assert sales.progress(progress(8, 0, 1, ACTIVE, revision=1)) is Outcome.IGNORED
    assert 8 not in sales
    assert sales.put(make_fb(8)) is Outcome.ADDED
    assert state(sales, 8) == ("sold_out", 1, 1, 2)
    assert sales.buyers(8) == ["小王"]

    # Held progress older than the flash-buy when it comes is dropped.
    sales.progress(progress(9, 1, 1, SOLD_OUT, revision=2))
    sales.put(make_fb(9, revision=4, status=ENDED, ended_at=T0))
    assert state(sales, 9) == ("ended", 0, 1, 4)


def test_orders_are_kept_once_per_id_at_their_newest_revision() -> None:
    sales = LiveSales()
    sales.put(make_fb(1, stock=3))
    assert sales.order(order(11, 1, "小李")) is Outcome.CHANGED
    assert sales.order(order(10, 1, "小王")) is Outcome.CHANGED
    assert sales.order(order(10, 1, "小王")) is Outcome.IGNORED  # replayed
    assert sales.buyers(1) == ["小王", "小李"]  # first placed first
    assert sales.order(order(10, 1, "小王 (改名)", revision=2)) is Outcome.CHANGED
    assert sales.order(order(10, 1, "小王", revision=1)) is Outcome.IGNORED  # late
    assert sales.buyers(1) == ["小王 (改名)", "小李"]
    assert [o.id for o in sales.orders(1)] == [10, 11]
    assert sales.buyers(2) == []


def test_a_full_load_keeps_newer_views_and_forgets_what_it_does_not_hold() -> None:
    sales = LiveSales()
    sales.put(make_fb(1))
    sales.progress(progress(1, 1, 1, SOLD_OUT, revision=2))  # an event that overtook the load
    sales.order(order(10, 1, "小王"))
    sales.put(make_fb(2))
    sales.order(order(20, 2, "小李"))
    sales.order(order(30, 3, "小张"))  # of a flash-buy not known yet

    sales.load([make_fb(1), make_fb(3, sold=1, status=SOLD_OUT, revision=2), make_fb(1)])
    assert [fb.id for fb in sales.flashbuys()] == [3, 1]  # newest first
    assert len(sales) == 2
    assert state(sales, 1) == ("sold_out", 1, 1, 2)
    assert sales.buyers(1) == ["小王"]
    assert sales.buyers(3) == ["小张"]
    assert 2 not in sales
    assert sales.buyers(2) == []  # forgotten with its flash-buy

    # A load with a newer revision than the events wins, even with a lower sold.
    sales.load([make_fb(1, revision=3), make_fb(3, sold=1, status=SOLD_OUT, revision=2)])
    assert state(sales, 1) == ("active", 0, 1, 3)


def test_missing_buyers_are_the_flash_buys_sold_beyond_their_known_orders() -> None:
    sales = LiveSales()
    sales.load(
        [
            make_fb(1, stock=2, sold=2, status=SOLD_OUT, revision=3),
            make_fb(2, stock=2, sold=1, revision=2),
            make_fb(3),
        ]
    )
    sales.order(order(10, 1, "小王"))
    sales.order(order(20, 2, "小李"))
    assert sales.missing_buyers() == [1]
    sales.order(order(11, 1, "小张"))
    assert sales.missing_buyers() == []


# --- the sale after the click ----------------------------------------------------------------


def test_progress_carries_held_and_waiting_and_buyers_are_those_whose_piece_it_is() -> None:
    sales = LiveSales()
    sales.put(make_fb(1, stock=2))
    sales.progress(progress(1, 2, 2, SOLD_OUT, revision=3).model_copy(update={"held": 1}))
    fb = sales.flashbuy(1)
    assert fb is not None
    assert (fb.sold, fb.held) == (2, 1)

    sales.order(held(10, 1, "小王"))
    sales.order(order(11, 1, "小李"))
    assert sales.buyers(1) == ["小王", "小李"]
    assert sales.missing_buyers() == []
    # 小王 never pays: the order expires (a newer revision), the piece is no longer his.
    sales.order(order(10, 1, "小王", revision=2, status=OrderStatus.EXPIRED))
    assert sales.buyers(1) == ["小李"]
    assert [o.status for o in sales.orders(1)] == [OrderStatus.EXPIRED, OrderStatus.PAID]
    assert sales.held_orders() == []


def test_the_queue_follows_joins_and_leaves_in_order_of_arrival() -> None:
    sales = LiveSales()
    sales.put(make_fb(1, waiting=5))
    assert sales.waiting(1) == 5  # the platform's count until the queue is loaded
    assert sales.load_queue(
        [waiting(1, 201, "小张", 2, seconds=9), waiting(1, 202, "小赵", 1)]
    ) == {1}
    assert [e.nickname for e in sales.queue(1)] == ["小赵", "小张"]
    assert sales.waiting(1) == 2

    assert sales.joined(waiting(1, 203, "小钱", 3, seconds=20)) is Outcome.CHANGED
    assert sales.joined(waiting(1, 203, "小钱", 3, seconds=20)) is Outcome.IGNORED  # a repeat
    assert sales.left(waiting(1, 202, "小赵", 1)) is Outcome.CHANGED
    assert sales.left(waiting(1, 202, "小赵", 1)) is Outcome.IGNORED
    assert [e.nickname for e in sales.queue(1)] == ["小张", "小钱"]
    assert sales.joined(waiting(9, 204, "小孙", 1)) is Outcome.HELD  # flash-buy not known yet

    # 小张 is given the piece: an order for him appears, he waits no more.
    given = held(30, 1, "小张", viewer_id=201, created_at=T0 + timedelta(minutes=1))
    assert sales.order(given) is Outcome.CHANGED
    assert [e.nickname for e in sales.queue(1)] == ["小钱"]
    # His queue entry read before the order (a load that raced with it) does not bring him back.
    assert sales.joined(waiting(1, 201, "小张", 1, seconds=9)) is Outcome.IGNORED
    assert sales.load_queue([waiting(1, 201, "小张", 1, seconds=9)]) == {1, 9}
    assert sales.queue(1) == []


def test_waiting_pieces_are_active_flash_buys_with_a_piece_that_came_back() -> None:
    sales = LiveSales()
    sales.load(
        [
            make_fb(1),  # nothing sold yet: not a piece that came back
            make_fb(2, revision=4),  # sold, expired: the piece waits for a buyer
            make_fb(3, sold=1, status=SOLD_OUT),  # came back and went to the next one
            make_fb(4, revision=4, status=ENDED),  # came back, but the flash-buy ended
        ]
    )
    sales.order(order(20, 2, "小王", status=OrderStatus.EXPIRED))
    sales.order(order(30, 3, "小李", status=OrderStatus.CANCELLED))
    sales.order(held(31, 3, "小张", previous_order_id=30))
    sales.order(order(40, 4, "小赵", status=OrderStatus.EXPIRED))
    assert [fb.id for fb in sales.waiting_pieces()] == [2]
    # Bought again: no longer waiting.
    sales.progress(progress(2, 1, 1, SOLD_OUT, revision=5))
    assert sales.waiting_pieces() == []
