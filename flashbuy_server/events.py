"""The room's event log: every change is appended in the transaction that makes it.

Ids grow by one per room. They are taken from ``rooms.last_event_id`` with an
UPDATE, which holds the room row's lock until commit, so on PostgreSQL a room's
events commit in id order and a reader that saw id N has seen every id below N.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

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


@dataclass(frozen=True)
class NewEvent:
    """An event to append: its type, JSON data, and who on the viewer streams sees it."""

    type: str
    data: dict[str, Any]
    audience: str = AUDIENCE_ALL
    targets: tuple[int, ...] = ()


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
                "type": item.type,
                "data": item.data,
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
    type_: str,
    data: dict[str, Any],
    *,
    audience: str = AUDIENCE_ALL,
    targets: Iterable[int] = (),
) -> int:
    """Append one event to the room's log and return its id."""
    return append_all(conn, room_id, [NewEvent(type_, data, audience, tuple(targets))])[0]
