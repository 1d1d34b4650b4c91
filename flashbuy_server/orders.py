"""Orders: a viewer buys a piece of a flash-buy offered to them, never beyond stock."""

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order, OrderCreate
from flashbuy_server import events, idempotency
from flashbuy_server.deps import CreatorDep, DbDep, IdemKeyDep, PathId, ViewerDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.flashbuys import owned_flashbuy, select_flashbuys, to_flashbuys
from flashbuy_server.roomaccess import require_present
from flashbuy_server.shipping import fee_for, needs_region
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import (
    flashbuy_targets,
    flashbuys,
    orders,
    room_members,
    shipping_templates,
    viewers,
)

router = APIRouter(tags=["orders"])


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


def _to_order(conn: Connection, order_id: int) -> Order:
    row = conn.execute(
        sa.select(orders, viewers.c.nickname)
        .join(viewers, viewers.c.id == orders.c.viewer_id)
        .where(orders.c.id == order_id)
    ).one()
    return Order(
        id=row.id,
        flashbuy_id=row.flashbuy_id,
        room_id=row.room_id,
        viewer_id=row.viewer_id,
        nickname=row.nickname,
        price_fen=row.price_fen,
        shipping_fen=row.shipping_fen,
        total_fen=row.price_fen + row.shipping_fen,
        region=row.region,
        created_at=row.created_at,
        revision=row.revision,
    )


# The purchase path runs once per buyer in the busiest second of a live, under the
# room's lock: its statements are built once, and it reads only what it needs.
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

_TARGETS = sa.select(flashbuy_targets.c.viewer_id).where(
    flashbuy_targets.c.flashbuy_id == sa.bindparam("fb")
)

# One order per viewer per flash-buy: a second one inserts nothing.
_INSERT_ORDER = {
    "sqlite": sqlite_insert(orders).on_conflict_do_nothing().returning(orders.c.id),
    "postgresql": pg_insert(orders).on_conflict_do_nothing().returning(orders.c.id),
}


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
    now = utcnow()
    order_id = conn.execute(
        _INSERT_ORDER[conn.dialect.name],
        {
            "flashbuy_id": flashbuy_id,
            "room_id": offer.room_id,
            "viewer_id": viewer_id,
            "price_fen": offer.price_fen,
            "shipping_fen": shipping,
            "region": body.region,
            "created_at": now,
        },
    ).scalar()
    if order_id is None:  # raising rolls back the piece taken above
        raise ApiError(
            ErrorCode.ALREADY_PURCHASED,
            "you have already bought this flash-buy",
            flashbuy_id=flashbuy_id,
        )
    order = Order(
        id=order_id,
        flashbuy_id=flashbuy_id,
        room_id=offer.room_id,
        viewer_id=viewer_id,
        nickname=buyer.nickname,
        price_fen=offer.price_fen,
        shipping_fen=shipping,
        total_fen=offer.price_fen + shipping,
        region=body.region,
        created_at=now,
        revision=1,
    )
    progress = FlashBuyProgress(
        id=flashbuy_id,
        room_id=offer.room_id,
        sold=taken.sold,
        stock=taken.stock,
        status=FlashBuyStatus(taken.status),
        revision=taken.revision,
    ).model_dump(mode="json")
    if offer.mode == Mode.TARGETED.value:
        seen_by: dict[str, Any] = {
            "audience": events.AUDIENCE_TARGETS,
            "targets": tuple(conn.execute(_TARGETS, {"fb": flashbuy_id}).scalars()),
        }
    else:
        seen_by = {"audience": events.AUDIENCE_ALL}
    batch = [
        events.NewEvent(
            "order.placed", order.model_dump(mode="json"), audience=events.AUDIENCE_CREATOR
        ),
        events.NewEvent("flashbuy.updated", progress, **seen_by),
    ]
    if taken.status == FlashBuyStatus.SOLD_OUT.value:
        batch.append(events.NewEvent("flashbuy.sold_out", progress, **seen_by))
    events.append_all(conn, offer.room_id, batch)
    return order


@router.post("/flash-buys/{flashbuy_id}/orders", response_model=Order, status_code=201)
def post_order(
    flashbuy_id: PathId, body: OrderCreate, me: ViewerDep, db: DbDep, key: IdemKeyDep
) -> JSONResponse:
    """Buy one piece of a flash-buy offered to this viewer."""
    return idempotency.run_once(
        db,
        me.key,
        key,
        idempotency.fingerprint("POST", f"/flash-buys/{flashbuy_id}/orders", body),
        201,
        lambda conn: buy(conn, me.id, flashbuy_id, body),
    )


@router.get("/flash-buys/{flashbuy_id}/orders", response_model=list[Order])
def list_orders(flashbuy_id: PathId, me: CreatorDep, db: DbDep) -> list[Order]:
    """Who bought a flash-buy of the creator's, oldest first."""
    with db.read() as conn:
        owned_flashbuy(conn, me.id, flashbuy_id)
        ids = conn.execute(
            sa.select(orders.c.id).where(orders.c.flashbuy_id == flashbuy_id).order_by(orders.c.id)
        ).scalars()
        return [_to_order(conn, i) for i in ids]


@router.get("/rooms/{room_id}/offers", response_model=list[FlashBuy])
def my_offers(room_id: PathId, me: ViewerDep, db: DbDep) -> list[FlashBuy]:
    """The active flash-buys this viewer may buy in the room."""
    with db.read() as conn:
        require_present(conn, room_id, me.id)
        named = sa.select(flashbuy_targets.c.flashbuy_id).where(
            flashbuy_targets.c.viewer_id == me.id
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
        offers = to_flashbuys(conn, rows)
    # A viewer sees only itself among a targeted offer's targets.
    return [
        o.model_copy(update={"targets": [t for t in o.targets if t.id == me.id]}) for o in offers
    ]
