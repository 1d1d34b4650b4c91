"""The room's event log: every change is appended in the transaction that makes it.

Ids grow by one per room. They are taken from ``rooms.last_event_id`` with an
UPDATE, which holds the room row's lock until commit, so on PostgreSQL a room's
events commit in id order and a reader that saw id N has seen every id below N.

An event is an :class:`EventType` and the payload model the protocol names for it
(:data:`flashbuy_protocol.event_payloads.PAYLOADS`); appending a model of another kind is a
programming error: a type error for mypy (the overloads of :class:`NewEvent`, which
:func:`append` shares), and refused at run time before anything is written.
"""

import builtins
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Concatenate, Literal, ParamSpec, TypedDict, Unpack, overload

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.event_payloads import (
    PAYLOADS,
    EventPayload,
    LiveEnded,
    LiveStarted,
    LiveTotals,
    ViewerLeft,
    ViewerPresence,
)
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import (
    Comment,
    FlashBuy,
    FlashBuyProgress,
    Order,
    QueueEntry,
    ViewerRecord,
)
from flashbuy_server.db import ROOMS_CHANGED, lock_rows
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import event_targets, events, rooms

AUDIENCE_ALL = "all"  # every viewer of the room
AUDIENCE_TARGETS = "targets"  # only the viewers in event_targets
AUDIENCE_CREATOR = "creator"  # the room's creator only

P = ParamSpec("P")


def hold_room(conn: Connection, room_id: int) -> None:
    """Take the room row's lock (see :func:`lock_room`) without reading the row."""
    if conn.dialect.name != "sqlite":
        conn.execute(_HOLD_ROOM, {"room": room_id})


_HOLD_ROOM = sa.select(rooms.c.id).where(rooms.c.id == sa.bindparam("room")).with_for_update()


def lock_room(conn: Connection, room_id: int) -> Row[Any] | None:
    """Read the room row and hold its lock for the rest of the transaction.

    Every write that touches a room takes this lock first, so transactions that
    lock a room and then a flash-buy or product never deadlock. SQLite needs no
    row lock: ``BEGIN IMMEDIATE`` already made the transaction the only writer.
    """
    return conn.execute(lock_rows(conn, sa.select(rooms).where(rooms.c.id == room_id))).first()


class Seen(TypedDict, total=False):
    """Who on the viewer streams sees an event: an audience, and for ``targets`` the viewers."""

    audience: str
    targets: Iterable[int]


# The pairs mypy holds every caller to: each EventType with the one model PAYLOADS names for
# it. The runtime check in NewEvent covers what mypy does not see.
FlashBuyWhole = Literal[EventType.FLASHBUY_CREATED, EventType.FLASHBUY_ENDED]
FlashBuySold = Literal[EventType.FLASHBUY_UPDATED, EventType.FLASHBUY_SOLD_OUT]
OrderWhole = Literal[EventType.ORDER_PLACED, EventType.ORDER_UPDATED]
QueueMove = Literal[EventType.QUEUE_JOINED, EventType.QUEUE_LEFT]


@dataclass(frozen=True, init=False)
class NewEvent:
    """An event to append: its type, its payload, and who on the viewer streams sees it."""

    type: EventType
    data: EventPayload
    audience: str
    targets: tuple[int, ...]

    @overload
    def __init__(
        self, type: Literal[EventType.LIVE_STARTED], data: LiveStarted, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(
        self, type: Literal[EventType.LIVE_ENDED], data: LiveEnded, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(
        self, type: Literal[EventType.LIVE_TOTALS], data: LiveTotals, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(
        self, type: Literal[EventType.VIEWER_JOINED], data: ViewerPresence, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(
        self, type: Literal[EventType.VIEWER_LEFT], data: ViewerLeft, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(
        self, type: Literal[EventType.COMMENT_POSTED], data: Comment, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(self, type: FlashBuyWhole, data: FlashBuy, **seen: Unpack[Seen]) -> None: ...
    @overload
    def __init__(
        self, type: FlashBuySold, data: FlashBuyProgress, **seen: Unpack[Seen]
    ) -> None: ...
    @overload
    def __init__(self, type: OrderWhole, data: Order, **seen: Unpack[Seen]) -> None: ...
    @overload
    def __init__(self, type: QueueMove, data: QueueEntry, **seen: Unpack[Seen]) -> None: ...
    @overload
    def __init__(
        self, type: Literal[EventType.VIEWER_RECORD], data: ViewerRecord, **seen: Unpack[Seen]
    ) -> None: ...
    def __init__(
        self,
        type: EventType,
        data: EventPayload,
        audience: str = AUDIENCE_ALL,
        targets: Iterable[int] = (),
    ) -> None:
        kind = EventType(type)  # a type the protocol does not name fails here, not in a reader
        if kind is not type:
            raise TypeError(f"an event's type is EventType.{kind.name}, not the string {type!r}")
        model = PAYLOADS[kind]
        if builtins.type(data) is not model:
            raise TypeError(
                f"a {kind} event carries {model.__name__}, not {builtins.type(data).__name__}"
            )
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "audience", audience)
        object.__setattr__(self, "targets", tuple(targets))

    def json_data(self) -> dict[str, Any]:
        """The data as stored and sent: the model in its JSON form."""
        return self.data.model_dump(mode="json")


_TAKE_IDS = (
    sa.update(rooms)
    .where(rooms.c.id == sa.bindparam("room"))
    .values(last_event_id=rooms.c.last_event_id + sa.bindparam("n"))
    .returning(rooms.c.last_event_id)
)


def append_all(conn: Connection, room_id: int, items: Sequence[NewEvent]) -> list[int]:
    """Append events to the room's log in one go; their ids, consecutive."""
    last = int(conn.execute(_TAKE_IDS, {"room": room_id, "n": len(items)}).scalar_one())
    ids = list(range(last - len(items) + 1, last + 1))
    now = utcnow()
    conn.execute(
        events.insert(),
        [
            {
                "room_id": room_id,
                "id": event_id,
                "type": str(item.type),
                "data": item.json_data(),
                "audience": item.audience,
                "created_at": now,
            }
            for event_id, item in zip(ids, items, strict=True)
        ],
    )
    target_rows = [
        {"room_id": room_id, "event_id": event_id, "viewer_id": viewer}
        for event_id, item in zip(ids, items, strict=True)
        for viewer in item.targets
    ]
    if target_rows:
        conn.execute(event_targets.insert(), target_rows)
    conn.info.setdefault(ROOMS_CHANGED, set()).add(room_id)
    return ids


def _one_at_a_time(new: Callable[P, NewEvent]) -> Callable[Concatenate[Connection, int, P], int]:
    """:func:`append` takes what :class:`NewEvent` takes, so mypy holds it to the same pairs."""

    def append(conn: Connection, room_id: int, /, *args: P.args, **kwargs: P.kwargs) -> int:
        """Append one event to the room's log and return its id."""
        return append_all(conn, room_id, [new(*args, **kwargs)])[0]

    return append


append = _one_at_a_time(NewEvent)
