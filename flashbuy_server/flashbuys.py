"""Flash-buys: creating them under every rule, listing, and ending them.

In the order of every domain module: statements, queries, service, router (see orders.py).
"""

from collections.abc import Sequence
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.events import EventType
from flashbuy_protocol.limits import ID_MAX, TEXT_PATTERN
from flashbuy_protocol.models import FlashBuy, FlashBuyCreate, FlashBuyList, StatusCounts, Viewer
from flashbuy_server import events, viewer_records
from flashbuy_server.catalog import ineligibility, product_row
from flashbuy_server.config import Settings
from flashbuy_server.db import insert_id
from flashbuy_server.deps import CreatorDep, DbDep, OnceDep, PathId, QueryId, SettingsDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.roomaccess import is_present, owned_room, require_live
from flashbuy_server.shipping import template_row
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import (
    categories,
    flashbuy_targets,
    flashbuys,
    pictures,
    products,
    viewers,
)

router = APIRouter(tags=["flash-buys"])

# --- statements ---------------------------------------------------------------------------

_QUOTA_COLUMN = {Mode.FULL: products.c.full_used, Mode.TARGETED: products.c.targeted_used}
_QUOTA_CODE = {
    Mode.FULL: ErrorCode.QUOTA_FULL_EXCEEDED,
    Mode.TARGETED: ErrorCode.QUOTA_TARGETED_EXCEEDED,
}
_LIST_MAX = 500


# A flash-buy row with the names the API shows beside its ids.
_FLASHBUYS = (
    sa.select(
        flashbuys,
        products.c.name.label("product_name"),
        categories.c.name.label("category_name"),
    )
    .join(products, products.c.id == flashbuys.c.product_id)
    .join(categories, categories.c.id == flashbuys.c.category_id)
)

_TARGETS_OF = (
    sa.select(flashbuy_targets.c.flashbuy_id, viewers)
    .join(viewers, viewers.c.id == flashbuy_targets.c.viewer_id)
    .where(flashbuy_targets.c.flashbuy_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(viewers.c.id)
)

_PICTURE = sa.select(pictures.c.id).where(pictures.c.id == sa.bindparam("picture"))


def _escaped_like(text: str) -> str:
    """A LIKE pattern finding ``text`` anywhere, its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- queries ------------------------------------------------------------------------------


def select_flashbuys() -> sa.Select[Any]:
    """Flash-buy rows with their product and category names (for :func:`to_flashbuys`)."""
    return _FLASHBUYS


def _targets(conn: Connection, ids: list[int]) -> dict[int, list[Viewer]]:
    found: dict[int, list[Viewer]] = {i: [] for i in ids}
    if ids:
        for r in conn.execute(_TARGETS_OF, {"ids": ids}):
            found[r.flashbuy_id].append(Viewer.model_validate(r, from_attributes=True))
    return found


def to_flashbuys(conn: Connection, rows: Sequence[Row[Any]]) -> list[FlashBuy]:
    """API views of flash-buy rows selected with their product and category names; their
    targets are read in one more query for all of them."""
    targets = _targets(conn, [r.id for r in rows])
    return [FlashBuy.model_validate({**r._mapping, "targets": targets[r.id]}) for r in rows]


def load(conn: Connection, flashbuy_id: int) -> FlashBuy:
    """One flash-buy by id (404 if there is none)."""
    rows = conn.execute(select_flashbuys().where(flashbuys.c.id == flashbuy_id)).all()
    if not rows:
        raise not_found("flash-buy", flashbuy_id)
    return to_flashbuys(conn, rows)[0]


def owned_flashbuy(conn: Connection, creator_id: int, flashbuy_id: int) -> FlashBuy:
    """One of the creator's flash-buys by id; another creator's is the same 404 as one
    that does not exist (neither its existence nor its room is told)."""
    rows = conn.execute(
        select_flashbuys().where(
            flashbuys.c.id == flashbuy_id, flashbuys.c.creator_id == creator_id
        )
    ).all()
    if not rows:
        raise not_found("flash-buy", flashbuy_id)
    return to_flashbuys(conn, rows)[0]


def list_for(
    conn: Connection,
    creator_id: int,
    *,
    room_id: int | None = None,
    category_id: int | None = None,
    status: FlashBuyStatus | None = None,
    mode: Mode | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> FlashBuyList:
    """A page of the creator's flash-buys, newest first, filtered, with counts per status
    (counted under every filter but the status)."""
    conds: list[Any] = [flashbuys.c.creator_id == creator_id]
    if room_id is not None:
        conds.append(flashbuys.c.room_id == room_id)
    if category_id is not None:
        conds.append(flashbuys.c.category_id == category_id)
    if mode is not None:
        conds.append(flashbuys.c.mode == mode.value)
    if q and q.strip():
        pattern = _escaped_like(q.strip())
        conds.append(
            sa.or_(
                flashbuys.c.title.like(pattern, escape="\\"),
                flashbuys.c.piece_no.like(pattern, escape="\\"),
            )
        )
    counted = conn.execute(
        sa.select(flashbuys.c.status, sa.func.count()).where(*conds).group_by(flashbuys.c.status)
    ).all()
    counts = StatusCounts(**{s: n for s, n in counted})
    if status is not None:
        conds.append(flashbuys.c.status == status.value)
    rows = conn.execute(
        _FLASHBUYS.where(*conds).order_by(flashbuys.c.id.desc()).limit(limit).offset(offset)
    ).all()
    total = (
        getattr(counts, status.value) if status else counts.active + counts.sold_out + counts.ended
    )
    return FlashBuyList(items=to_flashbuys(conn, rows), total=total, counts=counts)


# --- service ------------------------------------------------------------------------------


def audience_of(fb: FlashBuy) -> events.Seen:
    """Who on the viewer streams may see events about ``fb``."""
    if fb.mode is Mode.TARGETED:
        return {"audience": events.AUDIENCE_TARGETS, "targets": tuple(t.id for t in fb.targets)}
    return {"audience": events.AUDIENCE_ALL}


def publish(conn: Connection, type_: events.FlashBuyWhole, fb: FlashBuy) -> None:
    """Append an event about ``fb`` to its room, visible to whom the flash-buy is offered."""
    events.append(conn, fb.room_id, type_, fb, **audience_of(fb))


def create(
    conn: Connection, settings: Settings, creator_id: int, room_id: int, body: FlashBuyCreate
) -> FlashBuy:
    """Create a flash-buy, enforcing every rule, in the caller's transaction."""
    room = owned_room(conn, creator_id, room_id, lock=True)
    require_live(room)
    product = product_row(conn, creator_id, body.product_id)
    if product is None:
        raise not_found("product", body.product_id)
    problem = ineligibility(conn, creator_id, product)
    if problem is not None:
        raise problem

    target_ids = list(dict.fromkeys(body.target_viewer_ids))
    if body.mode is Mode.TARGETED and not target_ids:
        raise ApiError(ErrorCode.TARGETS_REQUIRED, "a targeted flash-buy names at least one viewer")
    if body.mode is Mode.FULL and target_ids:
        raise ApiError(
            ErrorCode.TARGETS_NOT_ALLOWED, "a full flash-buy goes to every viewer: name none"
        )
    absent = [v for v in target_ids if not is_present(conn, room_id, v)]
    if absent:
        raise ApiError(
            ErrorCode.TARGET_NOT_IN_ROOM,
            f"viewer(s) {', '.join(map(str, absent))} are not in the live room",
            viewer_ids=absent,
        )
    viewer_records.refuse_blocked_targets(conn, creator_id, target_ids)
    if template_row(conn, creator_id, body.template_id, share_lock=True) is None:
        raise ApiError(
            ErrorCode.TEMPLATE_NOT_FOUND,
            f"shipping template {body.template_id} does not exist",
            template_id=body.template_id,
        )
    if conn.execute(_PICTURE, {"picture": body.picture_id}).first() is None:
        raise ApiError(
            ErrorCode.PICTURE_NOT_FOUND,
            "the picture was not uploaded; upload it first",
            picture_id=body.picture_id,
        )

    used = _QUOTA_COLUMN[body.mode]
    limit = settings.quota_full if body.mode is Mode.FULL else settings.quota_targeted
    taken = conn.execute(
        sa.update(products)
        .where(products.c.id == product.id, used < limit)
        .values({used.key: used + 1})
    ).rowcount
    if taken != 1:
        raise ApiError(
            _QUOTA_CODE[body.mode],
            f"product {product.name} has used all {limit} {body.mode.value} flash-buys",
            product_id=product.id,
            limit=limit,
        )

    flashbuy_id = insert_id(
        conn,
        flashbuys,
        room_id=room_id,
        creator_id=creator_id,
        product_id=product.id,
        category_id=product.category_id,
        mode=body.mode.value,
        title=body.title,
        piece_no=body.piece_no,
        price_fen=body.price_fen,
        stock=body.stock,
        sold=0,
        status=FlashBuyStatus.ACTIVE.value,
        picture_id=body.picture_id,
        template_id=body.template_id,
        note=body.note,
        created_at=utcnow(),
        pay_minutes=body.pay_minutes,
        # The hold-back rule is for offers to the whole room: a targeted offer names its
        # buyers on purpose.
        hold_back_after=body.hold_back_after if body.mode is Mode.FULL else None,
    )
    if target_ids:
        conn.execute(
            flashbuy_targets.insert(),
            [{"flashbuy_id": flashbuy_id, "viewer_id": v} for v in target_ids],
        )
    fb = load(conn, int(flashbuy_id))
    publish(conn, EventType.FLASHBUY_CREATED, fb)
    return fb


# What ending stops: an active offer, or a sold-out one whose pieces are only held (one that
# comes back must not be offered again).
_ENDABLE = sa.or_(
    flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
    sa.and_(flashbuys.c.status == FlashBuyStatus.SOLD_OUT.value, flashbuys.c.held > 0),
)


def end_active(conn: Connection, room_id: int, where: Any = None) -> list[FlashBuy]:
    """End the room's flash-buys still for sale (those matching ``where``): active ones, and
    sold-out ones with a piece still unpaid. The room is locked."""
    rows = conn.execute(
        select_flashbuys().where(
            flashbuys.c.room_id == room_id,
            _ENDABLE,
            sa.true() if where is None else where,
        )
    ).all()
    found = to_flashbuys(conn, rows)
    if not found:
        return []
    now = utcnow()
    # One UPDATE for them all; the room is locked, so nobody changed a row since the read.
    conn.execute(
        flashbuys.update()
        .where(flashbuys.c.id.in_([fb.id for fb in found]))
        .values(status=FlashBuyStatus.ENDED.value, ended_at=now, revision=flashbuys.c.revision + 1)
    )
    ended = [
        fb.model_copy(
            update={"status": FlashBuyStatus.ENDED, "ended_at": now, "revision": fb.revision + 1}
        )
        for fb in found
    ]
    events.append_all(
        conn,
        room_id,
        [events.NewEvent(EventType.FLASHBUY_ENDED, fb, **audience_of(fb)) for fb in ended],
    )
    return ended


def end_one(conn: Connection, creator_id: int, flashbuy_id: int) -> FlashBuy:
    """End one of the creator's flash-buys now (harmless if it already ended)."""
    fb = owned_flashbuy(conn, creator_id, flashbuy_id)
    owned_room(conn, creator_id, fb.room_id, lock=True)
    end_active(conn, fb.room_id, flashbuys.c.id == flashbuy_id)
    return load(conn, flashbuy_id)


# --- router -------------------------------------------------------------------------------


@router.post("/rooms/{room_id}/flash-buys", response_model=FlashBuy, status_code=201)
def post_flashbuy(
    room_id: PathId, body: FlashBuyCreate, me: CreatorDep, settings: SettingsDep, once: OnceDep
) -> JSONResponse:
    """Create a full or targeted flash-buy in the creator's live room."""
    return once(me.key, body, lambda conn: create(conn, settings, me.id, room_id, body))


@router.get("/flash-buys", response_model=FlashBuyList)
def list_flashbuys(
    me: CreatorDep,
    db: DbDep,
    room_id: QueryId | None = None,
    category_id: QueryId | None = None,
    status: FlashBuyStatus | None = None,
    mode: Mode | None = None,
    q: Annotated[
        str | None,
        Query(max_length=60, pattern=TEXT_PATTERN, description="title or piece number"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=_LIST_MAX)] = 100,
    offset: Annotated[int, Query(ge=0, le=ID_MAX)] = 0,
) -> FlashBuyList:
    """The creator's flash-buys, newest first, filtered, with counts per status."""
    with db.read() as conn:
        return list_for(
            conn,
            me.id,
            room_id=room_id,
            category_id=category_id,
            status=status,
            mode=mode,
            q=q,
            limit=limit,
            offset=offset,
        )


@router.get("/flash-buys/{flashbuy_id}", response_model=FlashBuy)
def get_flashbuy(flashbuy_id: PathId, me: CreatorDep, db: DbDep) -> FlashBuy:
    """One of the creator's flash-buys."""
    with db.read() as conn:
        return owned_flashbuy(conn, me.id, flashbuy_id)


@router.post("/flash-buys/{flashbuy_id}/end", response_model=FlashBuy)
def end_flashbuy(flashbuy_id: PathId, me: CreatorDep, db: DbDep) -> FlashBuy:
    """End a flash-buy now: hidden at once, no longer for sale. Ending twice is harmless."""
    with db.write() as conn:
        return end_one(conn, me.id, flashbuy_id)
