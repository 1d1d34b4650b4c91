"""Who may act in a live room: its creator, and the viewers present in it."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import Room
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.events import lock_room
from flashbuy_server.tables import room_members, rooms


def to_room(row: Row[Any]) -> Room:
    """The API view of a room row (its totals are counters on the row)."""
    return Room.model_validate(row, from_attributes=True)


def room_row(conn: Connection, room_id: int, *, lock: bool = False) -> Row[Any]:
    """The room, locked for the transaction when ``lock``; 404 if there is none."""
    if lock:
        row = lock_room(conn, room_id)
    else:
        row = conn.execute(sa.select(rooms).where(rooms.c.id == room_id)).first()
    if row is None:
        raise not_found("room", room_id)
    return row


def owned_room(conn: Connection, creator_id: int, room_id: int, *, lock: bool = False) -> Row[Any]:
    """The room if ``creator_id`` runs it; 404 otherwise.

    Another creator's room is answered exactly like a room that does not exist, so that
    walking ids tells a creator nothing about other creators' rooms.
    """
    # Whose room it is never changes: asking first, without the lock, keeps a creator
    # from holding (and timing) the lock of a room it has no business with.
    row = conn.execute(sa.select(rooms).where(rooms.c.id == room_id)).first()
    if row is None or row.creator_id != creator_id:
        raise not_found("room", room_id)
    return room_row(conn, room_id, lock=True) if lock else row


def require_live(row: Row[Any]) -> None:
    """Refuse unless the room is broadcasting."""
    if row.status != LiveStatus.LIVE.value:
        raise ApiError(
            ErrorCode.LIVE_NOT_ACTIVE, f"the live in room {row.id} has ended", room_id=row.id
        )


def is_present(conn: Connection, room_id: int, viewer_id: int) -> bool:
    """Whether the viewer is in the room now."""
    return bool(
        conn.execute(
            sa.select(room_members.c.present).where(
                room_members.c.room_id == room_id, room_members.c.viewer_id == viewer_id
            )
        ).scalar()
    )


def require_present(conn: Connection, room_id: int, viewer_id: int) -> None:
    """Refuse unless the viewer is in the room now."""
    if not is_present(conn, room_id, viewer_id):
        raise ApiError(ErrorCode.VIEWER_NOT_IN_ROOM, f"join room {room_id} first", room_id=room_id)
