"""Live rooms: starting and ending a live, viewers joining and leaving, comments.

In the order of every domain module: statements, queries, service, router (see orders.py).
"""

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.event_payloads import LiveEnded, LiveStarted, ViewerLeft, ViewerPresence
from flashbuy_protocol.events import EventType
from flashbuy_protocol.limits import ID_MAX
from flashbuy_protocol.models import (
    Comment,
    CommentIn,
    JoinResult,
    JoinRoom,
    LiveStart,
    LiveSummary,
    Room,
    Viewer,
)
from flashbuy_server import events
from flashbuy_server.accounts import issue_token
from flashbuy_server.config import Settings
from flashbuy_server.db import insert_id, lock_rows
from flashbuy_server.deps import (
    CREATOR,
    VIEWER,
    CreatorDep,
    DbDep,
    OnceDep,
    PathId,
    SettingsDep,
    ViewerDep,
    authenticate,
)
from flashbuy_server.errors import ApiError
from flashbuy_server.flashbuys import end_active
from flashbuy_server.roomaccess import (
    owned_room,
    require_live,
    require_present,
    room_row,
    to_room,
)
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import (
    comments,
    creators,
    flashbuys,
    room_members,
    rooms,
    viewers,
)
from flashbuy_server.throttle import CommentSlot, JoinSlot

router = APIRouter(tags=["rooms"])

COMMENTS_MAX = 500
SUMMARIES_MAX = 500
RECENT_COMMENTS_FOR_ACTIVITY = 5_000  # how far back "recently active" looks

# --- statements ---------------------------------------------------------------------------

_COUNT_PRESENT = (
    sa.select(sa.func.count())
    .select_from(room_members)
    .where(room_members.c.room_id == sa.bindparam("room"), room_members.c.present.is_(True))
)

_MEMBERSHIP = sa.select(room_members.c.present).where(
    room_members.c.room_id == sa.bindparam("room"),
    room_members.c.viewer_id == sa.bindparam("viewer"),
)

_COMMENTS = sa.select(
    comments.c.id,
    comments.c.room_id,
    comments.c.viewer_id,
    viewers.c.nickname,
    comments.c.text,
    comments.c.created_at,
).join(viewers, viewers.c.id == comments.c.viewer_id)

# A live's summary: the room row (its orders and sales are counters on it) and how many
# flash-buys it made.
_SUMMARIES = sa.select(
    rooms,
    sa.select(sa.func.count())
    .select_from(flashbuys)
    .where(flashbuys.c.room_id == rooms.c.id)
    .scalar_subquery()
    .label("flashbuy_count"),
)


def _present_viewers(room_id: int) -> sa.Select[Any]:
    """The viewers in the room now, by their latest comment among the room's newest."""
    # Only the room's newest comments are read (by the room/id index): a long live's
    # whole history would make each look-up slower than the flood it reads.
    recent = (
        sa.select(comments.c.viewer_id, comments.c.id)
        .where(comments.c.room_id == room_id)
        .order_by(comments.c.id.desc())
        .limit(RECENT_COMMENTS_FOR_ACTIVITY)
        .subquery()
    )
    latest = (
        sa.select(recent.c.viewer_id, sa.func.max(recent.c.id).label("last_comment"))
        .group_by(recent.c.viewer_id)
        .subquery()
    )
    return (
        sa.select(viewers)
        .join(room_members, room_members.c.viewer_id == viewers.c.id)
        .outerjoin(latest, latest.c.viewer_id == viewers.c.id)
        .where(room_members.c.room_id == room_id, room_members.c.present.is_(True))
        .order_by(
            latest.c.last_comment.is_(None),
            latest.c.last_comment.desc(),
            room_members.c.joined_at.desc(),
            viewers.c.id.desc(),
        )
    )


# --- queries ------------------------------------------------------------------------------


def rooms_of(conn: sa.Connection, creator_id: int) -> list[Room]:
    """The creator's rooms, newest first."""
    rows = conn.execute(
        sa.select(rooms).where(rooms.c.creator_id == creator_id).order_by(rooms.c.id.desc())
    ).all()
    return [to_room(r) for r in rows]


def summaries_of(
    conn: sa.Connection, creator_id: int, limit: int, offset: int
) -> list[LiveSummary]:
    """The creator's lives, newest first, each with its totals."""
    rows = conn.execute(
        _SUMMARIES.where(rooms.c.creator_id == creator_id)
        .order_by(rooms.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [LiveSummary.model_validate(r, from_attributes=True) for r in rows]


def viewers_in(conn: sa.Connection, creator_id: int, room_id: int) -> list[Viewer]:
    """The viewers in the creator's room now, most recently active first."""
    owned_room(conn, creator_id, room_id)
    rows = conn.execute(_present_viewers(room_id)).all()
    return [Viewer.model_validate(r, from_attributes=True) for r in rows]


def comments_of(
    conn: sa.Connection, room_id: int, after_id: int | None, limit: int
) -> list[Comment]:
    """The room's newest ``limit`` comments, or those after ``after_id``; oldest first.
    The caller has checked who may read them."""
    query = _COMMENTS.where(comments.c.room_id == room_id)
    if after_id is not None:
        rows = list(
            conn.execute(
                query.where(comments.c.id > after_id).order_by(comments.c.id).limit(limit)
            ).all()
        )
    else:
        rows = list(reversed(conn.execute(query.order_by(comments.c.id.desc()).limit(limit)).all()))
    return [Comment.model_validate(r, from_attributes=True) for r in rows]


# --- service ------------------------------------------------------------------------------


def _viewer_count(conn: sa.Connection, room_id: int) -> int:
    count = conn.execute(_COUNT_PRESENT, {"room": room_id}).scalar_one()
    conn.execute(rooms.update().where(rooms.c.id == room_id).values(viewer_count=count))
    return int(count)


def start(conn: sa.Connection, creator_id: int, title: str) -> Room:
    """Start a live for the creator, who may have only one at a time."""
    # Hold the creator's row so that two starts at once take turns here.
    conn.execute(lock_rows(conn, sa.select(creators.c.id).where(creators.c.id == creator_id)))
    live = conn.execute(
        sa.select(rooms.c.id).where(
            rooms.c.creator_id == creator_id, rooms.c.status == LiveStatus.LIVE.value
        )
    ).first()
    if live is not None:
        raise ApiError(
            ErrorCode.LIVE_ALREADY_ACTIVE,
            f"room {live.id} is still live; end it before starting another",
            room_id=live.id,
        )
    room_id = insert_id(
        conn,
        rooms,
        creator_id=creator_id,
        title=title,
        status=LiveStatus.LIVE.value,
        started_at=utcnow(),
        viewer_count=0,
        last_event_id=0,
    )
    events.append(conn, room_id, EventType.LIVE_STARTED, LiveStarted(room_id=room_id, title=title))
    return to_room(room_row(conn, room_id))


def end(conn: sa.Connection, creator_id: int, room_id: int) -> Room:
    """End the creator's live and every active flash-buy of it (harmless if it ended)."""
    room = owned_room(conn, creator_id, room_id, lock=True)
    if room.status == LiveStatus.LIVE.value:
        end_active(conn, room_id)
        conn.execute(
            rooms.update()
            .where(rooms.c.id == room_id)
            .values(status=LiveStatus.ENDED.value, ended_at=utcnow())
        )
        events.append(conn, room_id, EventType.LIVE_ENDED, LiveEnded(room_id=room_id))
    return to_room(room_row(conn, room_id))


def enter(
    conn: sa.Connection, settings: Settings, room_id: int, body: JoinRoom, viewer_id: int | None
) -> tuple[Viewer, str | None, Room]:
    """A viewer enters the live: a new one (``viewer_id`` None) gets an identity and a
    token; a known one re-enters under its new nickname and region. Returns the viewer,
    the new token (None for a known viewer) and the room."""
    room = room_row(conn, room_id, lock=True)
    require_live(room)
    token = None
    if viewer_id is None:
        viewer_id = insert_id(
            conn, viewers, nickname=body.nickname, region=body.region, created_at=utcnow()
        )
        token, _expires = issue_token(conn, VIEWER, viewer_id, settings.viewer_token_ttl)
    else:
        conn.execute(
            viewers.update()
            .where(viewers.c.id == viewer_id)
            .values(nickname=body.nickname, region=body.region)
        )
    was = conn.execute(_MEMBERSHIP, {"room": room_id, "viewer": viewer_id}).first()
    if was is None:
        conn.execute(
            room_members.insert().values(
                room_id=room_id, viewer_id=viewer_id, present=True, joined_at=utcnow()
            )
        )
    else:
        conn.execute(
            room_members.update()
            .where(room_members.c.room_id == room_id, room_members.c.viewer_id == viewer_id)
            .values(present=True, joined_at=utcnow())
        )
    viewer = Viewer(id=viewer_id, nickname=body.nickname, region=body.region)
    if was is None or not was.present:
        came = ViewerPresence(viewer=viewer, viewer_count=_viewer_count(conn, room_id))
        events.append(
            conn, room_id, EventType.VIEWER_JOINED, came, audience=events.AUDIENCE_CREATOR
        )
    return viewer, token, to_room(room_row(conn, room_id))


def leave_room(conn: sa.Connection, room_id: int, viewer_id: int) -> None:
    """The viewer leaves the room (nothing happens if it is not in it)."""
    room_row(conn, room_id, lock=True)
    left = conn.execute(
        room_members.update()
        .where(
            room_members.c.room_id == room_id,
            room_members.c.viewer_id == viewer_id,
            room_members.c.present.is_(True),
        )
        .values(present=False)
    ).rowcount
    if left:
        went = ViewerLeft(viewer_id=viewer_id, viewer_count=_viewer_count(conn, room_id))
        events.append(conn, room_id, EventType.VIEWER_LEFT, went, audience=events.AUDIENCE_CREATOR)


def comment(conn: sa.Connection, room_id: int, viewer_id: int, body: CommentIn) -> Comment:
    """A viewer in the live room comments."""
    room = room_row(conn, room_id, lock=True)
    require_live(room)
    require_present(conn, room_id, viewer_id)
    comment_id = insert_id(
        conn, comments, room_id=room_id, viewer_id=viewer_id, text=body.text, created_at=utcnow()
    )
    row = conn.execute(_COMMENTS.where(comments.c.id == comment_id)).one()
    posted = Comment.model_validate(row, from_attributes=True)
    # Viewers read comments in the live platform's own chat; their event streams
    # carry offers, so a comment flood wakes only the creator's streams.
    events.append(
        conn,
        room_id,
        EventType.COMMENT_POSTED,
        posted,
        audience=events.AUDIENCE_CREATOR,
    )
    return posted


# --- router -------------------------------------------------------------------------------


@router.post("/rooms", response_model=Room, status_code=201)
def start_live(body: LiveStart, me: CreatorDep, once: OnceDep) -> JSONResponse:
    """Start a live; a creator has at most one live room at a time."""
    return once(me.key, body, lambda conn: start(conn, me.id, body.title))


@router.get("/rooms", response_model=list[Room])
def my_rooms(me: CreatorDep, db: DbDep) -> list[Room]:
    """The creator's rooms, newest first."""
    with db.read() as conn:
        return rooms_of(conn, me.id)


@router.get("/rooms/summaries", response_model=list[LiveSummary])
def my_lives(
    me: CreatorDep,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=SUMMARIES_MAX)] = 100,
    offset: Annotated[int, Query(ge=0, le=ID_MAX)] = 0,
) -> list[LiveSummary]:
    """The creator's lives, newest first, each with its flash-buys, orders and sales so far."""
    # Declared before /rooms/{room_id}, which would otherwise take "summaries" for an id.
    with db.read() as conn:
        return summaries_of(conn, me.id, limit, offset)


@router.get("/rooms/{room_id}", response_model=Room)
def get_room(room_id: PathId, db: DbDep) -> Room:
    """A room's public state: title, live or ended, viewer count."""
    with db.read() as conn:
        return to_room(room_row(conn, room_id))


@router.post("/rooms/{room_id}/end", response_model=Room)
def end_live(room_id: PathId, me: CreatorDep, db: DbDep) -> Room:
    """End the live, and with it every active flash-buy of the room."""
    with db.write() as conn:
        return end(conn, me.id, room_id)


@router.post("/rooms/{room_id}/join", response_model=JoinResult)
def join(
    room_id: PathId,
    body: JoinRoom,
    db: DbDep,
    settings: SettingsDep,
    _slot: JoinSlot,
    authorization: Annotated[str | None, Header()] = None,
) -> JoinResult:
    """Enter a live room. A viewer token in Authorization re-enters as the same viewer."""
    viewer_id = authenticate(db, authorization, VIEWER).id if authorization else None
    with db.write() as conn:
        viewer, token, room = enter(conn, settings, room_id, body, viewer_id)
    # A known viewer keeps the token it came with.
    return JoinResult(
        viewer=viewer,
        token=token or (authorization or "").partition(" ")[2].strip(),
        room=room,
    )


@router.post("/rooms/{room_id}/leave", status_code=204)
def leave(room_id: PathId, me: ViewerDep, db: DbDep) -> None:
    """Leave a live room (no-op if not in it)."""
    with db.write() as conn:
        leave_room(conn, room_id, me.id)


@router.get("/rooms/{room_id}/viewers", response_model=list[Viewer])
def present_viewers(room_id: PathId, me: CreatorDep, db: DbDep) -> list[Viewer]:
    """The viewers in the creator's room now (the targets one can name), most recently active
    first: by their latest comment in this room, then those who never commented, newest
    arrivals first."""
    with db.read() as conn:
        return viewers_in(conn, me.id, room_id)


@router.post("/rooms/{room_id}/comments", response_model=Comment, status_code=201)
def post_comment(
    room_id: PathId, body: CommentIn, me: ViewerDep, _slot: CommentSlot, once: OnceDep
) -> JSONResponse:
    """A viewer in the room comments."""
    return once(me.key, body, lambda conn: comment(conn, room_id, me.id, body))


@router.get("/rooms/{room_id}/comments", response_model=list[Comment])
def list_comments(
    room_id: PathId,
    db: DbDep,
    authorization: Annotated[str | None, Header()] = None,
    after_id: Annotated[
        int | None, Query(ge=0, le=ID_MAX, description="only comments after this id")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=COMMENTS_MAX)] = 50,
) -> list[Comment]:
    """The newest ``limit`` comments, or those after ``after_id``; oldest first."""
    try:
        who = authenticate(db, authorization, CREATOR)
    except ApiError as creator_error:
        if creator_error.code is not ErrorCode.FORBIDDEN:
            raise
        who = authenticate(db, authorization, VIEWER)
    with db.read() as conn:
        if who.kind == CREATOR:
            owned_room(conn, who.id, room_id)
        else:
            room_row(conn, room_id)
            require_present(conn, room_id, who.id)
        return comments_of(conn, room_id, after_id, limit)
