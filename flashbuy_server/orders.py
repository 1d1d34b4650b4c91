"""Orders: a viewer buys a piece of a flash-buy offered to them, never beyond stock.

Like every domain module of the platform, in four parts: statements (SQL built once),
queries (reads), service (writes and their rules, in the caller's transaction), router (HTTP
only: who calls, which transaction, what comes back).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.event_payloads import LiveTotals
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order, OrderCreate
from flashbuy_server import events
from flashbuy_server.deps import CreatorDep, DbDep, OnceDep, PathId, ViewerDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.flashbuys import select_flashbuys, to_flashbuys
from flashbuy_server.roomaccess import require_present
from flashbuy_server.shipping import fee_for, needs_region
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import (
    flashbuy_targets,
    flashbuys,
    orders,
    room_members,
    rooms,
    shipping_templates,
    viewers,
)

router = APIRouter(tags=["orders"])

# --- statements ---------------------------------------------------------------------------

# An order as the API shows it: the buyer's nickname and the total are computed here, in SQL.
_ORDER_COLUMNS = (
    orders.c.id,
    orders.c.flashbuy_id,
    orders.c.room_id,
    orders.c.viewer_id,
    viewers.c.nickname,
    orders.c.price_fen,
    orders.c.shipping_fen,
    (orders.c.price_fen + orders.c.shipping_fen).label("total_fen"),
    orders.c.region,
    orders.c.created_at,
    orders.c.revision,
)


def _orders_under(owner: sa.Table, owned_by: sa.ColumnElement[int], name: str) -> sa.Select[Any]:
    """The orders of one of the creator's ``owner`` rows (a flash-buy, a room), in one query.

    The owner's row outer-joined to its orders, so no row at all means "not yours" (404) and
    one row without an order means "none yet". ``name`` is the owner id's bind parameter.
    """
    return (
        sa.select(*_ORDER_COLUMNS)
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
_OFFER = sa.select(
    flashbuys.c.room_id,
    flashbuys.c.mode,
    flashbuys.c.status,
    flashbuys.c.price_fen,
    flashbuys.c.template_id,
).where(flashbuys.c.id == sa.bindparam("fb"))

_BUYER = (
    sa.select(
        viewers.c.nickname,
        room_members.c.present,
        flashbuy_targets.c.viewer_id.label("named"),
    )
    .select_from(
        viewers.outerjoin(
            room_members,
            sa.and_(
                room_members.c.viewer_id == viewers.c.id,
                room_members.c.room_id == sa.bindparam("room"),
            ),
        ).outerjoin(
            flashbuy_targets,
            sa.and_(
                flashbuy_targets.c.viewer_id == viewers.c.id,
                flashbuy_targets.c.flashbuy_id == sa.bindparam("fb"),
            ),
        )
    )
    .where(viewers.c.id == sa.bindparam("viewer"))
)

_TEMPLATE = sa.select(
    shipping_templates.c.kind,
    shipping_templates.c.flat_fee_fen,
    shipping_templates.c.default_fee_fen,
    shipping_templates.c.region_fees,
    shipping_templates.c.excluded_regions,
).where(shipping_templates.c.id == sa.bindparam("template"))

# The guard against overselling: one conditional increment of ``sold``, checked by
# whether it returned a row.
_TAKE_ONE = (
    sa.update(flashbuys)
    .where(
        flashbuys.c.id == sa.bindparam("fb"),
        flashbuys.c.sold < flashbuys.c.stock,
        flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
    )
    .values(
        sold=flashbuys.c.sold + 1,
        revision=flashbuys.c.revision + 1,
        status=sa.case(
            (flashbuys.c.sold + 1 >= flashbuys.c.stock, FlashBuyStatus.SOLD_OUT.value),
            else_=flashbuys.c.status,
        ),
    )
    .returning(flashbuys.c.sold, flashbuys.c.stock, flashbuys.c.status, flashbuys.c.revision)
)

# The live's totals grow in the purchase's transaction: the room is already locked by it.
_ADD_TO_TOTALS = (
    sa.update(rooms)
    .where(rooms.c.id == sa.bindparam("room"))
    .values(
        order_count=rooms.c.order_count + 1,
        sales_fen=rooms.c.sales_fen + sa.bindparam("price", type_=sa.BigInteger),
    )
    .returning(rooms.c.order_count, rooms.c.sales_fen)
)

_TARGETS = sa.select(flashbuy_targets.c.viewer_id).where(
    flashbuy_targets.c.flashbuy_id == sa.bindparam("fb")
)

# One order per viewer per flash-buy: a second one inserts nothing.
_INSERT_ORDER = {
    "sqlite": sqlite_insert(orders).on_conflict_do_nothing().returning(*orders.c),
    "postgresql": pg_insert(orders).on_conflict_do_nothing().returning(*orders.c),
}

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


def buy(conn: Connection, viewer_id: int, flashbuy_id: int, body: OrderCreate) -> Order:
    """Place one viewer's order for one piece, in the caller's transaction."""
    offer = conn.execute(_OFFER, {"fb": flashbuy_id}).first()
    if offer is None:
        raise not_found("flash-buy", flashbuy_id)
    # Room first, like every writer: purchases, ends and the live's end never deadlock.
    events.hold_room(conn, offer.room_id)
    buyer = conn.execute(
        _BUYER, {"room": offer.room_id, "fb": flashbuy_id, "viewer": viewer_id}
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
    # Only now the stock: a viewer a targeted offer was not for must not learn that it
    # exists and has sold (or ended) from a different answer.
    _refuse_unavailable(flashbuy_id, offer.status)
    template = conn.execute(_TEMPLATE, {"template": offer.template_id}).one()
    if body.region is None and needs_region(template):
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            "this flash-buy's postage or delivery depends on the region: give the buyer's region",
            field="region",
        )
    shipping = fee_for(template, body.region)
    if shipping is None:
        raise ApiError(
            ErrorCode.REGION_EXCLUDED,
            f"this flash-buy does not ship to {body.region}",
            region=body.region,
        )

    taken = conn.execute(_TAKE_ONE, {"fb": flashbuy_id}).first()
    if taken is None:
        status = conn.execute(_OFFER, {"fb": flashbuy_id}).one().status
        _refuse_unavailable(flashbuy_id, status)
        raise AssertionError("an active flash-buy with stock left refused a purchase")
    placed = conn.execute(
        _INSERT_ORDER[conn.dialect.name],
        {
            "flashbuy_id": flashbuy_id,
            "room_id": offer.room_id,
            "viewer_id": viewer_id,
            "price_fen": offer.price_fen,
            "shipping_fen": shipping,
            "region": body.region,
            "created_at": utcnow(),
        },
    ).first()
    if placed is None:  # raising rolls back the piece taken above
        raise ApiError(
            ErrorCode.ALREADY_PURCHASED,
            "you have already bought this flash-buy",
            flashbuy_id=flashbuy_id,
        )
    # The stored row, with what _ORDER_COLUMNS adds to it: the nickname and the total.
    order = Order.model_validate(
        {
            **placed._mapping,
            "nickname": buyer.nickname,
            "total_fen": placed.price_fen + placed.shipping_fen,
        }
    )
    totals_row = conn.execute(
        _ADD_TO_TOTALS, {"room": offer.room_id, "price": offer.price_fen}
    ).one()
    progress = FlashBuyProgress(id=flashbuy_id, room_id=offer.room_id, **taken._mapping)
    if offer.mode == Mode.TARGETED.value:
        seen_by: events.Seen = {
            "audience": events.AUDIENCE_TARGETS,
            "targets": tuple(conn.execute(_TARGETS, {"fb": flashbuy_id}).scalars()),
        }
    else:
        seen_by = {"audience": events.AUDIENCE_ALL}
    # The header's figures, as the platform counts them: the creator's streams only. The
    # creator's events come first, so a purchase still ends with an event every viewer of
    # the offer sees (a viewer that waits for the room's newest id gets there).
    totals = LiveTotals(room_id=offer.room_id, **totals_row._mapping)
    batch = [
        events.NewEvent(EventType.ORDER_PLACED, order, audience=events.AUDIENCE_CREATOR),
        events.NewEvent(EventType.LIVE_TOTALS, totals, audience=events.AUDIENCE_CREATOR),
        events.NewEvent(EventType.FLASHBUY_UPDATED, progress, **seen_by),
    ]
    if taken.status == FlashBuyStatus.SOLD_OUT.value:
        batch.append(events.NewEvent(EventType.FLASHBUY_SOLD_OUT, progress, **seen_by))
    events.append_all(conn, offer.room_id, batch)
    return order


# --- router -------------------------------------------------------------------------------


@router.post("/flash-buys/{flashbuy_id}/orders", response_model=Order, status_code=201)
def post_order(
    flashbuy_id: PathId, body: OrderCreate, me: ViewerDep, once: OnceDep
) -> JSONResponse:
    """Buy one piece of a flash-buy offered to this viewer."""
    return once(me.key, body, lambda conn: buy(conn, me.id, flashbuy_id, body))


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


@router.get("/rooms/{room_id}/offers", response_model=list[FlashBuy])
def my_offers(room_id: PathId, me: ViewerDep, db: DbDep) -> list[FlashBuy]:
    """The active flash-buys this viewer may buy in the room."""
    with db.read() as conn:
        return offers_for(conn, room_id, me.id)
