"""A comment as the comment list keeps it: a plain tuple, and the comment back from it (no Qt)."""

import gc
from datetime import UTC, datetime, timedelta, timezone

from flashbuy_desktop.room import comment_rows
from flashbuy_desktop.room.comment_rows import comment_of, row_of
from flashbuy_protocol.models import Comment

AT = datetime(2024, 5, 1, 4, 5, 6, tzinfo=UTC)


def make(text: str) -> Comment:
    return Comment(id=7, room_id=2, viewer_id=42, nickname="观众42", text=text, created_at=AT)


def test_a_row_holds_what_is_shown_worked_out_once() -> None:
    row = row_of(make("3号多少钱"))
    assert row[comment_rows.TEXT] == "3号多少钱"
    assert row[comment_rows.NICKNAME] == "观众42"
    assert row[comment_rows.VIEWER] == 42
    assert row[comment_rows.INTENT] is True
    assert row[comment_rows.TIME] == AT.astimezone().strftime("%H:%M:%S")
    assert row_of(make("主播好"))[comment_rows.INTENT] is False


def test_the_time_is_the_local_time_of_the_comment() -> None:
    later = make("好").model_copy(update={"created_at": AT + timedelta(hours=1)})
    assert row_of(later)[comment_rows.TIME] == (AT + timedelta(hours=1)).astimezone().strftime(
        "%H:%M:%S"
    )
    east = AT.astimezone(timezone(timedelta(hours=8)))
    assert row_of(make("好").model_copy(update={"created_at": east}))[comment_rows.TIME] == (
        AT.astimezone().strftime("%H:%M:%S")
    )  # the same instant reads the same, whatever zone it came in


def test_the_comment_comes_back_from_its_row() -> None:
    comment = make("要了")
    assert comment_of(row_of(comment)) == comment


def test_a_row_is_not_tracked_by_the_garbage_collector() -> None:
    row = row_of(make("主播好"))
    gc.collect()  # a tuple of untracked values stops being tracked at the next collection
    assert not gc.is_tracked(row)
