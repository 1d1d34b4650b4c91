"""One comment as the live comment list keeps it: a plain tuple, made once per comment.

A flood brings thousands of comments a second and the list keeps 5,000 of them, so a row is
a tuple of plain values (ints, strings, a datetime, a bool), which the garbage collector
stops tracking: thousands of rows then cost nothing in every full collection (a NamedTuple
or a slotted class would stay tracked). Whatever a row shows that can be worked out once
(purchase intent, the local time) is worked out here, not on every paint.
"""

from datetime import datetime
from typing import Final

from flashbuy_desktop.room.intent import is_purchase_intent
from flashbuy_protocol.models import Comment

Row = tuple[int, int, int, str, str, datetime, bool, str]
# Where each value sits in a Row.
ID: Final = 0
ROOM: Final = 1
VIEWER: Final = 2
NICKNAME: Final = 3
TEXT: Final = 4
CREATED: Final = 5
INTENT: Final = 6  # is_purchase_intent(text)
TIME: Final = 7  # created_at in local time, "HH:MM:SS"


def row_of(comment: Comment) -> Row:
    """The row that shows ``comment``."""
    return (
        comment.id,
        comment.room_id,
        comment.viewer_id,
        comment.nickname,
        comment.text,
        comment.created_at,
        is_purchase_intent(comment.text),
        comment.created_at.astimezone().strftime("%H:%M:%S"),
    )


def comment_of(row: Row) -> Comment:
    """The comment a row shows (rebuilt without validation: it was valid when it came)."""
    return Comment.model_construct(
        id=row[ID],
        room_id=row[ROOM],
        viewer_id=row[VIEWER],
        nickname=row[NICKNAME],
        text=row[TEXT],
        created_at=row[CREATED],
    )
