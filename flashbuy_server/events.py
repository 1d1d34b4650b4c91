"""The room's event log: every change is appended in the transaction that makes it.

Ids grow by one per room. They are taken from ``rooms.last_event_id`` with an
UPDATE, which holds the room row's lock until commit, so on PostgreSQL a room's
events commit in id order and a reader that saw id N has seen every id below N.

An event is an :class:`EventType` and the payload model the protocol names for it
(:data:`flashbuy_protocol.event_payloads.PAYLOADS`); appending a model of another kind is a
programming error, refused before anything is written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.event_payloads import PAYLOADS, EventPayload
from flashbuy_protocol.events import EventType
from flashbuy_server.db import ROOMS_CHANGED, lock_rows
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import event_targets, events, rooms

AUDIENCE_ALL = "all"  # every viewer of the room
AUDIENCE_TARGETS = "targets"  # only the viewers in event_targets
AUDIENCE_CREATOR = "creator"  # the room's creator only


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


# While callers move to EventType and payload models, a type's plain string (checked) and a
# plain dict (written as given) are taken too.
Kind = EventType | str
Data = EventPayload | dict[str, Any]


@dataclass(frozen=True)
class NewEvent:
    """An event to append: its type, its payload, and who on the viewer streams sees it."""

    type: Kind
    data: Data
    audience: str = AUDIENCE_ALL
    targets: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        kind = EventType(self.type)  # a mistyped string fails here, not in a reader
        object.__setattr__(self, "type", kind)
        model = PAYLOADS[kind]
        if isinstance(self.data, BaseModel) and type(self.data) is not model:
            raise TypeError(
                f"a {kind} event carries {model.__name__}, not {type(self.data).__name__}"
            )

    def json_data(self) -> dict[str, Any]:
        """The data as stored and sent: the model in its JSON form."""
        if isinstance(self.data, BaseModel):
            return self.data.model_dump(mode="json")
        return self.data


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


def append(
    conn: Connection,
    room_id: int,
    type_: Kind,
    data: Data,
    *,
    audience: str = AUDIENCE_ALL,
    targets: Iterable[int] = (),
) -> int:
    """Append one event to the room's log and return its id."""
    return append_all(conn, room_id, [NewEvent(type_, data, audience, tuple(targets))])[0]
