"""The header's figures: the platform's, the newest by event id, never a sum of rows."""

from datetime import UTC, datetime

from flashbuy_desktop.room.live_totals import SalesFigures
from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.event_payloads import LiveTotals
from flashbuy_protocol.models import Room


def _room(**changes: object) -> Room:
    room = Room(
        id=4,
        creator_id=1,
        title="珍珠专场",
        status=LiveStatus.LIVE,
        started_at=datetime(2026, 12, 7, tzinfo=UTC),
        ended_at=None,
        viewer_count=3,
        last_event_id=20,
        order_count=2,
        sales_fen=257_600,
    )
    return room.model_copy(update=changes)


def test_a_room_s_figures_stand_at_its_newest_event() -> None:
    figures = SalesFigures.of_room(_room())
    assert figures == SalesFigures(room_id=4, order_count=2, sales_fen=257_600, as_of=20)
    assert SalesFigures.none() == SalesFigures(0, 0, 0, 0)


def test_newer_totals_replace_the_figures_even_when_lower() -> None:
    figures = SalesFigures.of_room(_room())
    later = figures.updated(21, LiveTotals(room_id=4, order_count=3, sales_fen=386_400))
    assert later == SalesFigures(4, 3, 386_400, 21)
    # A piece given back: the platform's figures go down, and so do the header's.
    back = later.updated(25, LiveTotals(room_id=4, order_count=2, sales_fen=257_600))
    assert back == SalesFigures(4, 2, 257_600, 25)


def test_totals_from_before_the_figures_or_of_another_live_change_nothing() -> None:
    figures = SalesFigures.of_room(_room())
    # Replayed after a reconnect, or read before the room: already counted.
    assert figures.updated(20, LiveTotals(room_id=4, order_count=9, sales_fen=1)) is figures
    assert figures.updated(12, LiveTotals(room_id=4, order_count=1, sales_fen=1)) is figures
    assert figures.updated(30, LiveTotals(room_id=5, order_count=9, sales_fen=1)) is figures


def test_held_orders_are_counted_apart_from_the_sales() -> None:
    figures = SalesFigures.of_room(_room(held_count=1, held_fen=89_900))
    assert (figures.order_count, figures.sales_fen) == (2, 257_600)
    assert (figures.held_count, figures.held_fen) == (1, 89_900)
    paid = figures.updated(
        22, LiveTotals(room_id=4, order_count=3, sales_fen=347_500, held_count=0, held_fen=0)
    )
    assert paid == SalesFigures(4, 3, 347_500, 22, 0, 0)
