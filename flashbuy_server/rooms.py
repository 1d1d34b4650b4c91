"""Live rooms: starting and ending a live, viewers joining and leaving, comments."""

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from flashbuy_protocol.enums import LiveStatus
from flashbuy_protocol.errors import ErrorCode
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
from flashbuy_server import events, idempotency
from flashbuy_server.accounts import issue_token
from flashbuy_server.db import insert_id, lock_rows
from flashbuy_server.deps import (
    CREATOR,
    VIEWER,
    CreatorDep,
    DbDep,
    IdemKeyDep,
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
    orders,
    room_members,
    rooms,
    viewers,
)
from flashbuy_server.throttle import CommentSlot, JoinSlot

router = APIRouter(tags=["rooms"])

COMMENTS_MAX = 500


def _viewer_count(conn: sa.Connection, room_id: int) -> int:
    count = conn.execute(
        sa.select(sa.func.count())
        .select_from(room_members)
        .where(room_members.c.room_id == room_id, room_members.c.present.is_(True))
    ).scalar_one()
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
    events.append(conn, room_id, "live.started", {"room_id": room_id, "title": title})
    return to_room(room_row(conn, room_id))


@router.post("/rooms", response_model=Room, status_code=201)
def start_live(body: LiveStart, me: CreatorDep, db: DbDep, key: IdemKeyDep) -> JSONResponse:
    """Start a live; a creator has at most one live room at a time."""
    return idempotency.run_once(
        db,
        me.key,
        key,
        idempotency.fingerprint("POST", "/rooms", body),
        201,
        lambda conn: start(conn, me.id, body.title),
    )


@router.get("/rooms", response_model=list[Room])
def my_rooms(me: CreatorDep, db: DbDep) -> list[Room]:
    """The creator's rooms, newest first."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(rooms).where(rooms.c.creator_id == me.id).order_by(rooms.c.id.desc())
        ).all()
    return [to_room(r) for r in rows]


SUMMARIES_MAX = 500


@router.get("/rooms/summaries", response_model=list[LiveSummary])
def my_lives(
    me: CreatorDep,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=SUMMARIES_MAX)] = 100,
    offset: Annotated[int, Query(ge=0, le=ID_MAX)] = 0,
) -> list[LiveSummary]:
    """The creator's lives, newest first, each with its flash-buys, orders and sales so far."""
    # Declared before /rooms/{room_id}, which would otherwise take "summaries" for an id.
    made = (
        sa.select(sa.func.count())
        .select_from(flashbuys)
        .where(flashbuys.c.room_id == rooms.c.id)
        .scalar_subquery()
    )
    placed = (
        sa.select(sa.func.count())
        .select_from(orders)
        .where(orders.c.room_id == rooms.c.id)
        .scalar_subquery()
    )
    sales = (
        sa.select(sa.func.coalesce(sa.func.sum(orders.c.price_fen), 0))
        .where(orders.c.room_id == rooms.c.id)
        .scalar_subquery()
    )
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                rooms,
                made.label("flashbuy_count"),
                placed.label("order_count"),
                sales.label("sales_fen"),
            )
            .where(rooms.c.creator_id == me.id)
            .order_by(rooms.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    return [
        LiveSummary(
            **to_room(r).model_dump(),
            flashbuy_count=int(r.flashbuy_count),
            order_count=int(r.order_count),
            sales_fen=int(r.sales_fen),  # PostgreSQL sums a BIGINT as NUMERIC
        )
        for r in rows
    ]


@router.get("/rooms/{room_id}", response_model=Room)
def get_room(room_id: PathId, db: DbDep) -> Room:
    """A room's public state: title, live or ended, viewer count."""
    with db.read() as conn:
        return to_room(room_row(conn, room_id))


@router.post("/rooms/{room_id}/end", response_model=Room)
def end_live(room_id: PathId, me: CreatorDep, db: DbDep) -> Room:
    """End the live, and with it every active flash-buy of the room."""
    with db.write() as conn:
        room = owned_room(conn, me.id, room_id, lock=True)
        if room.status == LiveStatus.LIVE.value:
            end_active(conn, room_id)
            conn.execute(
                rooms.update()
                .where(rooms.c.id == room_id)
                .values(status=LiveStatus.ENDED.value, ended_at=utcnow())
            )
            events.append(conn, room_id, "live.ended", {"room_id": room_id})
        return to_room(room_row(conn, room_id))


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
        was = conn.execute(
            sa.select(room_members.c.present).where(
                room_members.c.room_id == room_id, room_members.c.viewer_id == viewer_id
            )
        ).first()
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
            count = _viewer_count(conn, room_id)
            events.append(
                conn,
                room_id,
                "viewer.joined",
                {"viewer": viewer.model_dump(mode="json"), "viewer_count": count},
                audience=events.AUDIENCE_CREATOR,
            )
        return JoinResult(
            viewer=viewer,
            token=token or (authorization or "").partition(" ")[2].strip(),
            room=to_room(room_row(conn, room_id)),
        )


@router.post("/rooms/{room_id}/leave", status_code=204)
def leave(room_id: PathId, me: ViewerDep, db: DbDep) -> None:
    """Leave a live room (no-op if not in it)."""
    with db.write() as conn:
        room_row(conn, room_id, lock=True)
        left = conn.execute(
            room_members.update()
            .where(
                room_members.c.room_id == room_id,
                room_members.c.viewer_id == me.id,
                room_members.c.present.is_(True),
            )
            .values(present=False)
        ).rowcount
        if left:
            count = _viewer_count(conn, room_id)
            events.append(
                conn,
                room_id,
                "viewer.left",
                {"viewer_id": me.id, "viewer_count": count},
                audience=events.AUDIENCE_CREATOR,
            )


RECENT_COMMENTS_FOR_ACTIVITY = 5_000  # how far back "recently active" looks


@router.get("/rooms/{room_id}/viewers", response_model=list[Viewer])
def present_viewers(room_id: PathId, me: CreatorDep, db: DbDep) -> list[Viewer]:
    """The viewers in the creator's room now (the targets one can name), most recently active
    first: by their latest comment in this room, then those who never commented, newest
    arrivals first."""
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
    with db.read() as conn:
        owned_room(conn, me.id, room_id)
        rows = conn.execute(
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
        ).all()
    return [Viewer(id=r.id, nickname=r.nickname, region=r.region) for r in rows]


def _to_comment(row: sa.Row[object]) -> Comment:
    return Comment.model_validate(row, from_attributes=True)


@router.post("/rooms/{room_id}/comments", response_model=Comment, status_code=201)
def post_comment(
    room_id: PathId,
    body: CommentIn,
    me: ViewerDep,
    _slot: CommentSlot,
    db: DbDep,
    key: IdemKeyDep,
) -> JSONResponse:
    """A viewer in the room comments."""

    def post(conn: sa.Connection) -> Comment:
        room = room_row(conn, room_id, lock=True)
        require_live(room)
        require_present(conn, room_id, me.id)
        comment_id = insert_id(
            conn, comments, room_id=room_id, viewer_id=me.id, text=body.text, created_at=utcnow()
        )
        row = conn.execute(_comment_query().where(comments.c.id == comment_id)).one()
        comment = _to_comment(row)
        # Viewers read comments in the live platform's own chat; their event streams
        # carry offers, so a comment flood wakes only the creator's streams.
        events.append(
            conn,
            room_id,
            "comment.posted",
            comment.model_dump(mode="json"),
            audience=events.AUDIENCE_CREATOR,
        )
        return comment

    return idempotency.run_once(
        db,
        me.key,
        key,
        idempotency.fingerprint("POST", f"/rooms/{room_id}/comments", body),
        201,
        post,
    )


def _comment_query() -> sa.Select[tuple[object, ...]]:
    return sa.select(
        comments.c.id,
        comments.c.room_id,
        comments.c.viewer_id,
        viewers.c.nickname,
        comments.c.text,
        comments.c.created_at,
    ).join(viewers, viewers.c.id == comments.c.viewer_id)


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
        query = _comment_query().where(comments.c.room_id == room_id)
        if after_id is not None:
            rows = conn.execute(
                query.where(comments.c.id > after_id).order_by(comments.c.id).limit(limit)
            ).all()
        else:
            rows = list(
                reversed(conn.execute(query.order_by(comments.c.id.desc()).limit(limit)).all())
            )
    return [_to_comment(r) for r in rows]
