"""Orders: a viewer buys a piece of a flash-buy offered to them, never beyond stock; the
queue for pieces that come back; cancelling and handing over (the rules of an order's life
after that are in settlement.py).

Like every domain module of the platform, in four parts: statements (SQL built once),
queries (reads), service (writes and their rules, in the caller's transaction), router (HTTP
only: who calls, which transaction, what comes back).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.enums import CancelledBy, FlashBuyStatus, LiveStatus, Mode, OrderSource
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import (
    FlashBuy,
    HandOver,
    Order,
    OrderCancel,
    OrderCreate,
    QueueEntry,
)
from flashbuy_server import events, settlement, viewer_records
from flashbuy_server.deps import CreatorDep, DbDep, OnceDep, PathId, SettingsDep, ViewerDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.flashbuys import select_flashbuys, to_flashbuys
from flashbuy_server.idempotency import Answer
from flashbuy_server.roomaccess import is_present, owned_room, require_present
from flashbuy_server.tables import (
    flashbuy_targets,
    flashbuys,
    orders,
    queue_entries,
    room_members,
    rooms,
    viewers,
)
from flashbuy_server.tables import viewer_records as records

router = APIRouter(tags=["orders"])

# --- statements ---------------------------------------------------------------------------


def _orders_under(owner: sa.Table, owned_by: sa.ColumnElement[int], name: str) -> sa.Select[Any]:
    """The orders of one of the creator's ``owner`` rows (a flash-buy, a room), in one query.

    The owner's row outer-joined to its orders, so no row at all means "not yours" (404) and
    one row without an order means "none yet". ``name`` is the owner id's bind parameter.
    """
    return (
        sa.select(*settlement.ORDER_COLUMNS)
        .select_from(
            owner.outerjoin(orders, owned_by == owner.c.id).outerjoin(
                viewers, viewers.c.id == orders.c.viewer_id
            )
        )
        .where(owner.c.id == sa.bindparam(name), owner.c.creator_id == sa.bindparam("me"))
        .order_by(orders.c.id)
    )


_FLASHBUY_ORDERS = _orders_under(flashbuys, orders.c.flashbuy_id, "fb")
_ROOM_ORDERS = _orders_under(rooms, orders.c.room_id, "room")

# The purchase path runs once per buyer in the busiest second of a live, under the
# room's lock: it reads only what it needs.
# The buyer, where they are, whether the offer names them, and their standing with the
# seller (blocked, unpaid orders): one read.
_BUYER = (
    sa.select(
        viewers.c.nickname,
        room_members.c.present,
        flashbuy_targets.c.viewer_id.label("named"),
        records.c.blocked,
        records.c.expired_count,
    )
    .select_from(
        viewers.outerjoin(
            room_members,
            sa.and_(
                room_members.c.viewer_id == viewers.c.id,
                room_members.c.room_id == sa.bindparam("room"),
            ),
        )
        .outerjoin(
            flashbuy_targets,
            sa.and_(
                flashbuy_targets.c.viewer_id == viewers.c.id,
                flashbuy_targets.c.flashbuy_id == sa.bindparam("fb"),
            ),
        )
        .outerjoin(
            records,
            sa.and_(
                records.c.viewer_id == viewers.c.id,
                records.c.creator_id == sa.bindparam("creator"),
            ),
        )
    )
    .where(viewers.c.id == sa.bindparam("viewer"))
)

# The guard against overselling: one conditional increment of ``sold`` (and ``held``: the
# piece is the buyer's while they pay), checked by whether it returned a row.
_TAKE_ONE = (
    sa.update(flashbuys)
    .where(
        flashbuys.c.id == sa.bindparam("fb"),
        flashbuys.c.sold < flashbuys.c.stock,
        flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
    )
    .values(
        sold=flashbuys.c.sold + 1,
        held=flashbuys.c.held + 1,
        revision=flashbuys.c.revision + 1,
        status=sa.case(
            (flashbuys.c.sold + 1 >= flashbuys.c.stock, FlashBuyStatus.SOLD_OUT.value),
            else_=flashbuys.c.status,
        ),
    )
    .returning(*settlement.PROGRESS_COLUMNS)
)

_HAS_ORDER = sa.select(orders.c.status).where(
    orders.c.flashbuy_id == sa.bindparam("fb"), orders.c.viewer_id == sa.bindparam("viewer")
)

_QUEUE_INSERT = {
    "sqlite": sqlite_insert(queue_entries).on_conflict_do_nothing().returning(queue_entries.c.id),
    "postgresql": pg_insert(queue_entries).on_conflict_do_nothing().returning(queue_entries.c.id),
}

_MY_PLACE = sa.select(queue_entries.c.id, queue_entries.c.joined_at).where(
    queue_entries.c.flashbuy_id == sa.bindparam("fb"),
    queue_entries.c.viewer_id == sa.bindparam("viewer"),
)

_AHEAD = sa.select(sa.func.count()).where(
    queue_entries.c.flashbuy_id == sa.bindparam("fb"),
    queue_entries.c.id <= sa.bindparam("entry"),
)

_WAITING = (
    sa.update(flashbuys)
    .where(flashbuys.c.id == sa.bindparam("fb"))
    .values(
        waiting=flashbuys.c.waiting + sa.bindparam("change", type_=sa.Integer),
        revision=flashbuys.c.revision + 1,
    )
    .returning(*settlement.PROGRESS_COLUMNS)
)

# --- queries ------------------------------------------------------------------------------


def _to_orders(rows: Sequence[Any], what: str, ident: int) -> list[Order]:
    """The orders of an outer-joined owner query (see _FLASHBUY_ORDERS)."""
    if not rows:
        raise not_found(what, ident)
    return [Order.model_validate(r, from_attributes=True) for r in rows if r.id is not None]


def orders_of_flashbuy(conn: Connection, creator_id: int, flashbuy_id: int) -> list[Order]:
    """Who bought one of the creator's flash-buys, oldest first; another creator's is the
    same 404 as one that does not exist. One query."""
    rows = conn.execute(_FLASHBUY_ORDERS, {"fb": flashbuy_id, "me": creator_id}).all()
    return _to_orders(rows, "flash-buy", flashbuy_id)


def orders_of_room(conn: Connection, creator_id: int, room_id: int) -> list[Order]:
    """Every order of one of the creator's lives, oldest first; another creator's room is
    the same 404 as one that does not exist. One query."""
    rows = conn.execute(_ROOM_ORDERS, {"room": room_id, "me": creator_id}).all()
    return _to_orders(rows, "room", room_id)


def offers_for(conn: Connection, room_id: int, viewer_id: int) -> list[FlashBuy]:
    """The active flash-buys the viewer may buy in the room (it must be there)."""
    require_present(conn, room_id, viewer_id)
    if viewer_records.blocked_in_room(conn, room_id, viewer_id):
        return []  # the seller blocked this viewer: none of this creator's offers
    named = sa.select(flashbuy_targets.c.flashbuy_id).where(
        flashbuy_targets.c.viewer_id == viewer_id
    )
    rows = conn.execute(
        select_flashbuys()
        .where(
            flashbuys.c.room_id == room_id,
            flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
            sa.or_(flashbuys.c.mode == Mode.FULL.value, flashbuys.c.id.in_(named)),
        )
        .order_by(flashbuys.c.id.desc())
    ).all()
    # A viewer sees only itself among a targeted offer's targets.
    return [
        o.model_copy(update={"targets": [t for t in o.targets if t.id == viewer_id]})
        for o in to_flashbuys(conn, rows)
    ]


# --- service ------------------------------------------------------------------------------


def _refuse_unavailable(flashbuy_id: int, status: str) -> None:
    if status == FlashBuyStatus.SOLD_OUT.value:
        raise ApiError(
            ErrorCode.FLASHBUY_SOLD_OUT,
            "sold out: every piece has been bought",
            flashbuy_id=flashbuy_id,
        )
    if status == FlashBuyStatus.ENDED.value:
        raise ApiError(
            ErrorCode.FLASHBUY_ENDED, "the host has ended this flash-buy", flashbuy_id=flashbuy_id
        )


def _refuse_second_order(conn: Connection, flashbuy_id: int, viewer_id: int) -> None:
    """One order per viewer per flash-buy, whatever became of it."""
    had = conn.execute(_HAS_ORDER, {"fb": flashbuy_id, "viewer": viewer_id}).scalar()
    if had is not None:
        raise ApiError(
            ErrorCode.ALREADY_PURCHASED,
            f"you already have an order for this flash-buy ({had})",
            flashbuy_id=flashbuy_id,
            status=had,
        )


def buy(
    conn: Connection, viewer_id: int, flashbuy_id: int, body: OrderCreate, now: datetime
) -> Order | QueueEntry:
    """Place one viewer's order for one piece, held while they pay, in the caller's
    transaction; or, when every piece is held by a buyer who has not paid yet, put the viewer
    in the queue for one that comes back."""
    # Room first, like every writer: purchases, ends and the live's end never deadlock.
    offer = settlement.locked_offer(conn, flashbuy_id)
    if offer is None:
        raise not_found("flash-buy", flashbuy_id)
    buyer = conn.execute(
        _BUYER,
        {
            "room": offer.room_id,
            "fb": flashbuy_id,
            "viewer": viewer_id,
            "creator": offer.creator_id,
        },
    ).one()
    if buyer.present is None:
        # Never in the flash-buy's room: to this viewer it is the same as one that does
        # not exist (neither its existence, its room nor its kind of offer is told).
        raise not_found("flash-buy", flashbuy_id)
    if offer.mode == Mode.TARGETED.value:
        if buyer.named is None:
            raise ApiError(
                ErrorCode.NOT_OFFERED_TO_VIEWER,
                "this flash-buy was offered to another viewer",
                flashbuy_id=flashbuy_id,
            )
    elif not buyer.present:
        raise ApiError(
            ErrorCode.VIEWER_NOT_IN_ROOM, f"join room {offer.room_id} first", room_id=offer.room_id
        )
    refused = viewer_records.standing_refusal(
        viewer_id, buyer.blocked, buyer.expired_count, offer.hold_back_after
    )
    if refused is not None:
        raise refused
    # Only now the stock: a viewer a targeted offer was not for must not learn that it
    # exists and has sold (or ended) from a different answer.
    if offer.status == FlashBuyStatus.SOLD_OUT.value and offer.held > 0:
        return _join_queue(conn, offer, viewer_id, body.region, now)
    _refuse_unavailable(flashbuy_id, offer.status)
    shipping = settlement.shipping_for(conn, offer.template_id, body.region)

    taken = conn.execute(_TAKE_ONE, {"fb": flashbuy_id}).first()
    if taken is None:
        raise AssertionError("an active flash-buy with stock left refused a purchase")
    order = settlement.place_hold(
        conn, offer, viewer_id, body.region, now, shipping=shipping, nickname=buyer.nickname
    )
    if order is None:  # raising rolls back the piece taken above
        _refuse_second_order(conn, flashbuy_id, viewer_id)
        raise AssertionError("an order was refused as a second one, yet none is there")
    events.append_all(conn, offer.room_id, _piece_taken(conn, offer, order, taken))
    return order


def _piece_taken(
    conn: Connection, offer: Row[Any], order: Order, taken: Row[Any]
) -> list[events.NewEvent]:
    """The events of a piece taken for a held order (``taken``: the flash-buy after it).

    The header's figures go to the creator's streams only. The creator's and buyer's events
    come first, so a purchase still ends with an event every viewer of the offer sees (a
    viewer that waits for the room's newest id gets there).
    """
    progress = settlement.progress_of(taken)
    seen = settlement.seen_by(conn, offer.id, offer.mode)
    _status, totals = settlement.totals_event(
        conn, offer.room_id, held_n=1, held_fen=offer.price_fen
    )
    batch = [
        events.NewEvent(EventType.ORDER_PLACED, order, **settlement.buyer_sees(order.viewer_id)),
        totals,
        events.NewEvent(EventType.FLASHBUY_UPDATED, progress, **seen),
    ]
    if taken.status == FlashBuyStatus.SOLD_OUT.value:
        batch.append(events.NewEvent(EventType.FLASHBUY_SOLD_OUT, progress, **seen))
    return batch


def _queue_place(conn: Connection, offer: Row[Any], viewer_id: int) -> QueueEntry | None:
    """The viewer's place in ``offer``'s queue, or None when they are not in it."""
    mine = conn.execute(_MY_PLACE, {"fb": offer.id, "viewer": viewer_id}).first()
    if mine is None:
        return None
    position = conn.execute(_AHEAD, {"fb": offer.id, "entry": mine.id}).scalar_one()
    nickname = conn.execute(sa.select(viewers.c.nickname).where(viewers.c.id == viewer_id))
    return QueueEntry(
        flashbuy_id=offer.id,
        room_id=offer.room_id,
        viewer_id=viewer_id,
        nickname=nickname.scalar_one(),
        position=position,
        joined_at=mine.joined_at,
    )


def _queue_moved(
    conn: Connection, offer: Row[Any], kind: events.QueueMove, entry: QueueEntry
) -> None:
    """Count a viewer who joined or left the queue, and tell the creator, that viewer, and
    everyone the offer is for (its ``waiting``)."""
    change = 1 if kind is EventType.QUEUE_JOINED else -1
    progress = conn.execute(_WAITING, {"fb": offer.id, "change": change}).one()
    events.append_all(
        conn,
        offer.room_id,
        [
            events.NewEvent(kind, entry, **settlement.buyer_sees(entry.viewer_id)),
            events.NewEvent(
                EventType.FLASHBUY_UPDATED,
                settlement.progress_of(progress),
                **settlement.seen_by(conn, offer.id, offer.mode),
            ),
        ],
    )


def _join_queue(
    conn: Connection, offer: Row[Any], viewer_id: int, region: str | None, now: datetime
) -> QueueEntry:
    """Queue the viewer for a piece of ``offer`` that comes back (once: asking again
    answers the same place)."""
    _refuse_second_order(conn, offer.id, viewer_id)
    # The region must ship now, so the piece can go to them without asking again.
    settlement.shipping_for(conn, offer.template_id, region)
    inserted = conn.execute(
        _QUEUE_INSERT[conn.dialect.name],
        {
            "flashbuy_id": offer.id,
            "room_id": offer.room_id,
            "viewer_id": viewer_id,
            "region": region,
            "joined_at": now,
        },
    ).scalar()
    entry = _queue_place(conn, offer, viewer_id)
    assert entry is not None
    if inserted is not None:
        _queue_moved(conn, offer, EventType.QUEUE_JOINED, entry)
    return entry


def leave_queue(conn: Connection, viewer_id: int, flashbuy_id: int) -> None:
    """The viewer no longer waits for a piece of the flash-buy."""
    offer = settlement.locked_offer(conn, flashbuy_id)
    if offer is None:
        raise not_found("flash-buy", flashbuy_id)
    entry = _queue_place(conn, offer, viewer_id)
    if entry is None:
        raise ApiError(
            ErrorCode.NOT_IN_QUEUE,
            "you are not waiting for this flash-buy",
            flashbuy_id=flashbuy_id,
        )
    conn.execute(
        queue_entries.delete().where(
            queue_entries.c.flashbuy_id == flashbuy_id, queue_entries.c.viewer_id == viewer_id
        )
    )
    _queue_moved(conn, offer, EventType.QUEUE_LEFT, entry)


def cancel_as_buyer(
    conn: Connection, viewer_id: int, order_id: int, body: OrderCancel, now: datetime
) -> Order:
    """The buyer cancels their own held order; another viewer's is the same 404 as none."""
    row = settlement.order_row(conn, order_id)
    if row is None or row.viewer_id != viewer_id:
        raise not_found("order", order_id)
    return settlement.cancel(conn, order_id, CancelledBy.BUYER, body.reason, now)


def cancel_as_seller(
    conn: Connection, creator_id: int, order_id: int, body: OrderCancel, now: datetime
) -> Order:
    """The seller cancels a held order of theirs, with a reason; another creator's order is
    the same 404 as none."""
    row = settlement.order_row(conn, order_id)
    if row is None or row.creator_id != creator_id:
        raise not_found("order", order_id)
    return settlement.cancel(conn, order_id, CancelledBy.SELLER, body.reason, now)


def hand_over(
    conn: Connection, creator_id: int, flashbuy_id: int, body: HandOver, now: datetime
) -> Order:
    """The seller gives a piece to a viewer they chose: a free piece, or the piece of one of
    the flash-buy's unpaid orders (cancelled by the seller in the same step)."""
    offer = settlement.locked_offer(conn, flashbuy_id)
    if offer is None or offer.creator_id != creator_id:
        raise not_found("flash-buy", flashbuy_id)
    room_status = conn.execute(
        sa.select(rooms.c.status).where(rooms.c.id == offer.room_id)
    ).scalar_one()
    if room_status != LiveStatus.LIVE.value:
        raise ApiError(ErrorCode.LIVE_NOT_ACTIVE, "the live has ended", room_id=offer.room_id)
    viewer_id = body.viewer_id
    if not is_present(conn, offer.room_id, viewer_id):
        raise ApiError(
            ErrorCode.TARGET_NOT_IN_ROOM,
            f"viewer {viewer_id} is not in the live room",
            viewer_ids=[viewer_id],
        )
    refused = viewer_records.refusal(conn, creator_id, viewer_id)
    if refused is not None:
        raise refused
    _refuse_second_order(conn, flashbuy_id, viewer_id)
    queued = conn.execute(
        sa.select(queue_entries.c.region).where(
            queue_entries.c.flashbuy_id == flashbuy_id, queue_entries.c.viewer_id == viewer_id
        )
    ).first()
    region = queued.region if queued is not None else _home_region(conn, viewer_id)
    shipping = settlement.shipping_for(conn, offer.template_id, region)
    if queued is not None:
        leave_queue(conn, viewer_id, flashbuy_id)
        offer = settlement.offer_row(conn, flashbuy_id)
        assert offer is not None

    if body.replacing_order_id is not None:
        replaced = settlement.order_row(conn, body.replacing_order_id)
        if replaced is None or replaced.flashbuy_id != flashbuy_id:
            raise not_found("order", body.replacing_order_id)
        given: list[Order] = []

        def give(conn: Connection, current: Row[Any]) -> Order | None:
            order = settlement.place_hold(
                conn,
                current,
                viewer_id,
                region,
                now,
                source=OrderSource.SELLER,
                previous_order_id=body.replacing_order_id,
                shipping=shipping,
            )
            if order is not None:
                given.append(order)
            return order

        settlement.cancel(
            conn,
            body.replacing_order_id,
            CancelledBy.SELLER,
            "",
            now,
            keep_piece_for=give,
        )
        return given[0]

    taken = conn.execute(_TAKE_ONE, {"fb": flashbuy_id}).first()
    if taken is None:
        raise ApiError(
            ErrorCode.NO_PIECE_FREE,
            "every piece is taken: name the unpaid order whose piece to hand over",
            flashbuy_id=flashbuy_id,
        )
    order = settlement.place_hold(
        conn, offer, viewer_id, region, now, source=OrderSource.SELLER, shipping=shipping
    )
    assert order is not None  # a second order was refused above, under the room's lock
    if offer.mode == Mode.TARGETED.value:
        settlement.make_target(conn, flashbuy_id, viewer_id)
    events.append_all(conn, offer.room_id, _piece_taken(conn, offer, order, taken))
    return order


def _home_region(conn: Connection, viewer_id: int) -> str | None:
    region: str | None = conn.execute(
        sa.select(viewers.c.region).where(viewers.c.id == viewer_id)
    ).scalar()
    return region


def queue_of_room(conn: Connection, creator_id: int, room_id: int) -> list[QueueEntry]:
    """Every queue of one of the creator's lives; another creator's room is a 404."""
    owned_room(conn, creator_id, room_id)
    return settlement.queue_of(conn, queue_entries.c.room_id == room_id)


# --- router -------------------------------------------------------------------------------


@router.post(
    "/flash-buys/{flashbuy_id}/orders",
    response_model=Order,
    status_code=201,
    responses={202: {"model": QueueEntry, "description": "Every piece is held: queued (候补)."}},
)
def post_order(
    flashbuy_id: PathId,
    body: OrderCreate,
    me: ViewerDep,
    settings: SettingsDep,
    once: OnceDep,
) -> JSONResponse:
    """Buy one piece of a flash-buy offered to this viewer: held until paid (201), or a
    place in the queue when every piece is held by a buyer who has not paid yet (202)."""

    def placed(conn: Connection) -> Answer:
        result = buy(conn, me.id, flashbuy_id, body, settings.clock())
        return Answer(result, 202 if isinstance(result, QueueEntry) else 201)

    return once(me.key, body, placed)


@router.delete("/flash-buys/{flashbuy_id}/queue", status_code=204)
def delete_queue_place(flashbuy_id: PathId, me: ViewerDep, db: DbDep) -> Response:
    """Stop waiting for a piece of this flash-buy."""
    with db.write() as conn:
        leave_queue(conn, me.id, flashbuy_id)
    return Response(status_code=204)


@router.post("/orders/{order_id}/cancel", response_model=Order)
def post_cancel(
    order_id: PathId, body: OrderCancel, me: ViewerDep, db: DbDep, settings: SettingsDep
) -> Order:
    """The buyer cancels their held order; the piece goes to the next buyer."""
    with db.write() as conn:
        return cancel_as_buyer(conn, me.id, order_id, body, settings.clock())


@router.post("/orders/{order_id}/cancel-by-seller", response_model=Order)
def post_seller_cancel(
    order_id: PathId, body: OrderCancel, me: CreatorDep, settings: SettingsDep, once: OnceDep
) -> JSONResponse:
    """The seller cancels a held order, with a reason; the piece goes to the next buyer."""
    return once(
        me.key, body, lambda conn: cancel_as_seller(conn, me.id, order_id, body, settings.clock())
    )


@router.post("/flash-buys/{flashbuy_id}/hand-over", response_model=Order, status_code=201)
def post_hand_over(
    flashbuy_id: PathId, body: HandOver, me: CreatorDep, settings: SettingsDep, once: OnceDep
) -> JSONResponse:
    """Give a free piece, or an unpaid order's piece, to a viewer the seller chose."""
    return once(
        me.key, body, lambda conn: hand_over(conn, me.id, flashbuy_id, body, settings.clock())
    )


@router.get("/flash-buys/{flashbuy_id}/orders", response_model=list[Order])
def list_orders(flashbuy_id: PathId, me: CreatorDep, db: DbDep) -> list[Order]:
    """Who bought a flash-buy of the creator's, oldest first."""
    with db.read() as conn:
        return orders_of_flashbuy(conn, me.id, flashbuy_id)


@router.get("/rooms/{room_id}/orders", response_model=list[Order])
def list_room_orders(room_id: PathId, me: CreatorDep, db: DbDep) -> list[Order]:
    """Every order of one of the creator's lives, oldest first."""
    with db.read() as conn:
        return orders_of_room(conn, me.id, room_id)


@router.get("/rooms/{room_id}/queue", response_model=list[QueueEntry])
def list_room_queue(room_id: PathId, me: CreatorDep, db: DbDep) -> list[QueueEntry]:
    """Who waits for a piece of each of the live's flash-buys, in order."""
    with db.read() as conn:
        return queue_of_room(conn, me.id, room_id)


@router.get("/rooms/{room_id}/offers", response_model=list[FlashBuy])
def my_offers(room_id: PathId, me: ViewerDep, db: DbDep) -> list[FlashBuy]:
    """The active flash-buys this viewer may buy in the room."""
    with db.read() as conn:
        return offers_for(conn, room_id, me.id)
