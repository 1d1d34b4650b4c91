"""Which badges a viewer's record earns, and the book of records the comment list reads."""

from flashbuy_desktop.room.viewer_badges import Badge, BadgeKind, badges, worth_knowing
from flashbuy_desktop.room.viewer_book import ViewerBook
from flashbuy_protocol.models import ViewerRecord


def record(viewer_id: int = 7, **values: object) -> ViewerRecord:
    return ViewerRecord.model_validate({"viewer_id": viewer_id, "nickname": "小王", **values})


def test_a_viewer_with_nothing_worth_knowing_has_no_badge() -> None:
    assert badges(None) == ()
    assert badges(record()) == ()
    # One piece paid, one order cancelled: nothing to warn or cheer about yet.
    assert badges(record(paid_count=1, paid_fen=128_800, cancelled_count=1)) == ()


def test_one_expired_order_earns_the_unpaid_badge_with_its_count() -> None:
    assert badges(record(expired_count=1)) == (Badge(BadgeKind.UNPAID, 1),)
    assert badges(record(expired_count=4)) == (Badge(BadgeKind.UNPAID, 4),)


def test_paying_twice_earns_the_regular_badge_with_the_pieces_paid() -> None:
    assert badges(record(paid_count=2)) == (Badge(BadgeKind.REGULAR, 2),)
    assert badges(record(paid_count=5, expired_count=1)) == (
        Badge(BadgeKind.UNPAID, 1),
        Badge(BadgeKind.REGULAR, 5),
    )


def test_blocked_comes_first() -> None:
    assert badges(record(blocked=True, expired_count=2)) == (
        Badge(BadgeKind.BLOCKED),
        Badge(BadgeKind.UNPAID, 2),
    )


def test_worth_knowing_counts_a_note_and_any_order() -> None:
    assert not worth_knowing(None)
    assert not worth_knowing(record())
    assert worth_knowing(record(note="只要满绿"))
    assert worth_knowing(record(cancelled_count=1))
    assert worth_knowing(record(paid_count=1))


def test_the_book_loads_replaces_and_says_what_changed() -> None:
    book = ViewerBook()
    assert book.badges(7) == ()
    assert book.record(7) is None
    assert not book.is_blocked(7)
    book.load([record(7, expired_count=2), record(8, paid_count=3)])
    assert len(book) == 2
    assert 7 in book
    assert book.badges(7) == (Badge(BadgeKind.UNPAID, 2),)
    version = book.version
    # The same record again (a replayed event) changes nothing, and the version says so.
    assert not book.put(record(7, expired_count=2))
    assert book.version == version
    assert book.put(record(7, expired_count=2, blocked=True))
    assert book.version > version
    assert book.is_blocked(7)
    assert book.badges(7)[0] == Badge(BadgeKind.BLOCKED)
    # Another live's load forgets what is not in it.
    book.load([record(9)])
    assert book.record(7) is None
    assert book.badges(8) == ()
    book.clear()
    assert len(book) == 0
