"""What a creator knows of each viewer: pieces paid, orders left unpaid or cancelled, a note,
and whether the viewer is blocked from this creator's lives.

The counts are kept by the transactions that pay, expire and cancel orders
(:func:`counted`), so a record is never out of step with the orders it counts. In the order
of every domain module: statements, queries, service, router.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from flashbuy_protocol import models
from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import ViewerRecord
from flashbuy_server import events
from flashbuy_server.deps import CreatorDep, DbDep, PathId
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import room_members, rooms, viewer_records, viewers

router = APIRouter(tags=["viewer records"])

# What a blocked viewer's stream leaves out of the creator's rooms: every word of an offer.
OFFER_EVENTS = frozenset(
    {
        EventType.FLASHBUY_CREATED.value,
        EventType.FLASHBUY_UPDATED.value,
        EventType.FLASHBUY_SOLD_OUT.value,
        EventType.FLASHBUY_ENDED.value,
    }
)


# --- statements ---------------------------------------------------------------------------

_RECORD = (
    sa.select(viewer_records, viewers.c.nickname)
    .join(viewers, viewers.c.id == viewer_records.c.viewer_id)
    .where(
        viewer_records.c.creator_id == sa.bindparam("me"),
        viewer_records.c.viewer_id == sa.bindparam("viewer"),
    )
)

_STANDING = sa.select(viewer_records.c.blocked, viewer_records.c.expired_count).where(
    viewer_records.c.creator_id == sa.bindparam("me"),
    viewer_records.c.viewer_id == sa.bindparam("viewer"),
)

_COUNTED = ("paid_count", "paid_fen", "expired_count", "cancelled_count")

# Whether the viewer was ever in one of the creator's rooms: who a creator may know of.
# (rooms are found by creator, then room_members by its primary key.)
_MET = sa.exists(
    sa.select(room_members.c.viewer_id)
    .join(rooms, rooms.c.id == room_members.c.room_id)
    .where(
        rooms.c.creator_id == sa.bindparam("me"),
        room_members.c.viewer_id == viewers.c.id,
    )
)

# The viewer with the creator's record of them, if any; no row: not the creator's to know.
_KNOWN = (
    sa.select(
        viewers.c.id.label("viewer_id"),
        viewers.c.nickname,
        *(viewer_records.c[name] for name in (*_COUNTED, "note", "blocked")),
    )
    .select_from(
        viewers.outerjoin(
            viewer_records,
            sa.and_(
                viewer_records.c.viewer_id == viewers.c.id,
                viewer_records.c.creator_id == sa.bindparam("me"),
            ),
        )
    )
    .where(viewers.c.id == sa.bindparam("viewer"), _MET)
)

# The records of a room's members, with the room itself outer-joined first so that no row
# at all means "not your room" (404) and one row without a record means "none yet".
_room_records = room_members.join(
    viewer_records, viewer_records.c.viewer_id == room_members.c.viewer_id
).join(viewers, viewers.c.id == room_members.c.viewer_id)
_ROOM_RECORDS = (
    sa.select(
        rooms.c.id.label("room_id"),
        viewer_records.c.viewer_id,
        viewers.c.nickname,
        *(viewer_records.c[name] for name in (*_COUNTED, "note", "blocked")),
    )
    .select_from(
        rooms.outerjoin(
            _room_records,
            sa.and_(
                room_members.c.room_id == rooms.c.id,
                viewer_records.c.creator_id == rooms.c.creator_id,
            ),
        )
    )
    .where(rooms.c.id == sa.bindparam("room"), rooms.c.creator_id == sa.bindparam("me"))
    .order_by(viewer_records.c.viewer_id)
)

_LIVE_ROOM = sa.select(rooms.c.id).where(
    rooms.c.creator_id == sa.bindparam("me"), rooms.c.status == LiveStatus.LIVE.value
)

_BLOCKED = sa.select(viewer_records.c.viewer_id).where(
    viewer_records.c.creator_id == sa.bindparam("me"),
    viewer_records.c.viewer_id.in_(sa.bindparam("viewers", expanding=True)),
    viewer_records.c.blocked,
)

_BLOCKED_IN_ROOM = (
    sa.select(viewer_records.c.blocked)
    .join(rooms, rooms.c.creator_id == viewer_records.c.creator_id)
    .where(rooms.c.id == sa.bindparam("room"), viewer_records.c.viewer_id == sa.bindparam("viewer"))
)


def _upsert(conn: Connection) -> Any:
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(viewer_records)


# --- queries ------------------------------------------------------------------------------


def record_of(conn: Connection, creator_id: int, viewer_id: int) -> ViewerRecord | None:
    """The creator's record of a viewer, or None when there is nothing to tell yet."""
    row = conn.execute(_RECORD, {"me": creator_id, "viewer": viewer_id}).first()
    return None if row is None else ViewerRecord.model_validate(row, from_attributes=True)


def _zero_filled(row: Any) -> ViewerRecord:
    """A record from an outer join: a viewer without a record row has all zeros."""
    fields = {k: v for k, v in row._mapping.items() if v is not None and k != "room_id"}
    return ViewerRecord.model_validate(fields)


def known_record(conn: Connection, creator_id: int, viewer_id: int) -> ViewerRecord:
    """The creator's record of a viewer who was in one of its rooms (all zeros if nothing
    happened yet); any other viewer is the same 404 as one that does not exist."""
    row = conn.execute(_KNOWN, {"me": creator_id, "viewer": viewer_id}).first()
    if row is None:
        raise not_found("viewer", viewer_id)
    return _zero_filled(row)


def records_of_room(conn: Connection, creator_id: int, room_id: int) -> list[ViewerRecord]:
    """The records of the viewers who were in one of the creator's rooms and have one, by
    viewer id; another creator's room is the same 404 as one that does not exist. One query."""
    rows = conn.execute(_ROOM_RECORDS, {"room": room_id, "me": creator_id}).all()
    if not rows:
        raise not_found("room", room_id)
    return [_zero_filled(r) for r in rows if r.viewer_id is not None]


def blocked(conn: Connection, creator_id: int, viewer_id: int) -> bool:
    """Whether the creator blocked the viewer."""
    return bool(conn.execute(_BLOCKED, {"me": creator_id, "viewers": [viewer_id]}).first())


def blocked_in_room(conn: Connection, room_id: int, viewer_id: int) -> bool:
    """Whether the creator of the room blocked the viewer (for what knows only the room)."""
    return bool(conn.execute(_BLOCKED_IN_ROOM, {"room": room_id, "viewer": viewer_id}).scalar())


def refuse_blocked_targets(conn: Connection, creator_id: int, viewer_ids: Sequence[int]) -> None:
    """Refuse a targeted offer that names a viewer the creator blocked (403 VIEWER_BLOCKED,
    ``details.viewer_ids`` names each of them)."""
    if not viewer_ids:
        return
    found = set(conn.execute(_BLOCKED, {"me": creator_id, "viewers": list(viewer_ids)}).scalars())
    if found:
        named = [v for v in viewer_ids if v in found]
        raise ApiError(
            ErrorCode.VIEWER_BLOCKED,
            f"viewer(s) {', '.join(map(str, named))} are blocked: unblock them to make an offer",
            viewer_ids=named,
        )


def refusal(
    conn: Connection, creator_id: int, viewer_id: int, hold_back_after: int | None = None
) -> ApiError | None:
    """Why this creator's offers are closed to the viewer, or None when they are open.

    Blocked viewers are refused everything; with ``hold_back_after`` (a flash-buy's rule),
    so are viewers with that many expired orders.
    """
    row = conn.execute(_STANDING, {"me": creator_id, "viewer": viewer_id}).first()
    if row is None:
        return None
    return standing_refusal(viewer_id, row.blocked, row.expired_count, hold_back_after)


def standing_refusal(
    viewer_id: int, blocked: bool | None, expired_count: int | None, hold_back_after: int | None
) -> ApiError | None:
    """:func:`refusal` for a standing already read (None: the viewer has no record)."""
    if blocked:
        return ApiError(
            ErrorCode.VIEWER_BLOCKED,
            "the seller does not take orders from this viewer",
            viewer_id=viewer_id,
        )
    if hold_back_after is not None and (expired_count or 0) >= hold_back_after:
        return ApiError(
            ErrorCode.VIEWER_HELD_BACK,
            f"this offer is closed to viewers with {hold_back_after} or more unpaid orders",
            viewer_id=viewer_id,
            limit=hold_back_after,
        )
    return None


# --- service ------------------------------------------------------------------------------


def counted(
    conn: Connection,
    creator_id: int,
    viewer_id: int,
    nickname: str,
    *,
    paid_count: int = 0,
    paid_fen: int = 0,
    expired_count: int = 0,
    cancelled_count: int = 0,
) -> ViewerRecord:
    """Add to the creator's counts for a viewer (creating the record), in the caller's
    transaction; the record as it now stands (``nickname``: the viewer's, which the caller
    has at hand with the order)."""
    added = {
        "paid_count": paid_count,
        "paid_fen": paid_fen,
        "expired_count": expired_count,
        "cancelled_count": cancelled_count,
    }
    now = utcnow()
    insert = _upsert(conn).values(
        creator_id=creator_id, viewer_id=viewer_id, note="", blocked=False, updated_at=now, **added
    )
    stored = conn.execute(
        insert.on_conflict_do_update(
            index_elements=[viewer_records.c.creator_id, viewer_records.c.viewer_id],
            set_={
                **{name: viewer_records.c[name] + added[name] for name in _COUNTED},
                "updated_at": now,
            },
        ).returning(*viewer_records.c)
    ).one()
    return ViewerRecord.model_validate({**stored._mapping, "nickname": nickname})


def event_for(record: ViewerRecord) -> events.NewEvent:
    """The ``viewer.record`` event that tells the creator's console a record changed: for
    the creator's streams only (a viewer never learns what the seller thinks of them)."""
    return events.NewEvent(EventType.VIEWER_RECORD, record, audience=events.AUDIENCE_CREATOR)


def change(
    conn: Connection, creator_id: int, viewer_id: int, body: models.ViewerRecordChange
) -> ViewerRecord:
    """Set the seller's note on a viewer and/or block or unblock them, in the caller's
    transaction; the record as it now stands.

    What changes is told to the creator's live room, if one is live, so that its console
    (and the viewer's stream there) follow. A change that changes nothing writes nothing, so
    repeating a request never grows the room's event log.
    """
    live = conn.execute(_LIVE_ROOM, {"me": creator_id}).scalar()
    if live is not None:
        # The room's lock first, like every writer that appends to a room: it also keeps two
        # changes of this creator's records in the order of their events.
        events.hold_room(conn, live)
    current = known_record(conn, creator_id, viewer_id)
    given = body.model_dump(include={"note", "blocked"}, exclude_none=True)
    wanted = current.model_copy(update=given)
    if wanted == current:
        return current
    now = utcnow()
    insert = _upsert(conn).values(
        creator_id=creator_id,
        viewer_id=viewer_id,
        note=wanted.note,
        blocked=wanted.blocked,
        updated_at=now,
        **dict.fromkeys(_COUNTED, 0),
    )
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=[viewer_records.c.creator_id, viewer_records.c.viewer_id],
            set_={**given, "updated_at": now},
        )
    )
    record = record_of(conn, creator_id, viewer_id)
    assert record is not None
    if live is not None:
        events.append_all(conn, live, [event_for(record)])
    return record


# --- router -------------------------------------------------------------------------------


@router.get("/viewers/{viewer_id}/record", response_model=ViewerRecord)
def get_record(viewer_id: PathId, me: CreatorDep, db: DbDep) -> ViewerRecord:
    """What the creator knows of a viewer who was in one of its rooms."""
    with db.read() as conn:
        return known_record(conn, me.id, viewer_id)


@router.put("/viewers/{viewer_id}/record", response_model=ViewerRecord)
def put_record(
    viewer_id: PathId, body: models.ViewerRecordChange, me: CreatorDep, db: DbDep
) -> ViewerRecord:
    """Set the seller's note on a viewer, or block or unblock them; omitted fields stay."""
    with db.write() as conn:
        return change(conn, me.id, viewer_id, body)


@router.get("/rooms/{room_id}/viewer-records", response_model=list[ViewerRecord])
def list_room_records(room_id: PathId, me: CreatorDep, db: DbDep) -> list[ViewerRecord]:
    """The records of the viewers of one of the creator's lives who have one."""
    with db.read() as conn:
        return records_of_room(conn, me.id, room_id)
