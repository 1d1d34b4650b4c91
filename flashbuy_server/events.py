"""The room's event log: every change is appended in the transaction that makes it.

Ids grow by one per room. They are taken from ``rooms.last_event_id`` with an
UPDATE, which holds the room row's lock until commit, so on PostgreSQL a room's
events commit in id order and a reader that saw id N has seen every id below N.
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from flashbuy_server.db import ROOMS_CHANGED, lock_rows
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import event_targets, events, rooms

AUDIENCE_ALL = "all"  # every viewer of the room
AUDIENCE_TARGETS = "targets"  # only the viewers in event_targets
AUDIENCE_CREATOR = "creator"  # the room's creator only


def lock_room(conn: Connection, room_id: int) -> Row[Any] | None:
    """Read the room row and hold its lock for the rest of the transaction.

    Every write that touches a room takes this lock first, so transactions that
    lock a room and then a flash-buy or product never deadlock. SQLite needs no
    row lock: ``BEGIN IMMEDIATE`` already made the transaction the only writer.
    """
    return conn.execute(lock_rows(conn, sa.select(rooms).where(rooms.c.id == room_id))).first()


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
    event_id = conn.execute(
        sa.update(rooms)
        .where(rooms.c.id == room_id)
        .values(last_event_id=rooms.c.last_event_id + 1)
        .returning(rooms.c.last_event_id)
    ).scalar_one()
    conn.execute(
        events.insert().values(
            room_id=room_id,
            id=event_id,
            type=type_,
            data=data,
            audience=audience,
            created_at=utcnow(),
        )
    )
    target_rows = [{"room_id": room_id, "event_id": event_id, "viewer_id": v} for v in targets]
    if target_rows:
        conn.execute(event_targets.insert(), target_rows)
    conn.info.setdefault(ROOMS_CHANGED, set()).add(room_id)
    return int(event_id)
