"""Orders: a viewer buys a piece of a flash-buy offered to them, never beyond stock."""

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Connection

from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import FlashBuy, Order, OrderCreate
from flashbuy_server import events, idempotency
from flashbuy_server.db import insert_id
from flashbuy_server.deps import CreatorDep, DbDep, IdemKeyDep, PathId, ViewerDep
from flashbuy_server.errors import ApiError
from flashbuy_server.flashbuys import load, publish, select_flashbuys, to_flashbuys
from flashbuy_server.roomaccess import owned_room, require_present
from flashbuy_server.shipping import fee_for, needs_region
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import flashbuy_targets, flashbuys, orders, shipping_templates, viewers

router = APIRouter(tags=["orders"])


def _refuse_unavailable(fb: FlashBuy) -> None:
    if fb.status is FlashBuyStatus.SOLD_OUT:
        raise ApiError(
            ErrorCode.FLASHBUY_SOLD_OUT, "sold out: every piece has been bought", flashbuy_id=fb.id
        )
    if fb.status is FlashBuyStatus.ENDED:
        raise ApiError(
            ErrorCode.FLASHBUY_ENDED, "the host has ended this flash-buy", flashbuy_id=fb.id
        )


def _require_offered(conn: Connection, fb: FlashBuy, viewer_id: int) -> None:
    if fb.mode is Mode.TARGETED:
        named = conn.execute(
            sa.select(flashbuy_targets.c.viewer_id).where(
                flashbuy_targets.c.flashbuy_id == fb.id, flashbuy_targets.c.viewer_id == viewer_id
            )
        ).first()
        if named is None:
            raise ApiError(
                ErrorCode.NOT_OFFERED_TO_VIEWER,
                "this flash-buy was offered to another viewer",
                flashbuy_id=fb.id,
            )
    else:
        require_present(conn, fb.room_id, viewer_id)


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
    )


def buy(conn: Connection, viewer_id: int, flashbuy_id: int, body: OrderCreate) -> Order:
    """Place one viewer's order for one piece, in the caller's transaction."""
    room_id = conn.execute(
        sa.select(flashbuys.c.room_id).where(flashbuys.c.id == flashbuy_id)
    ).scalar()
    if room_id is None:
        raise ApiError(
            ErrorCode.NOT_FOUND, f"flash-buy {flashbuy_id} does not exist", id=flashbuy_id
        )
    # Room first, like every writer: purchases, ends and the live's end never deadlock.
    events.lock_room(conn, room_id)
    fb = load(conn, flashbuy_id)
    _refuse_unavailable(fb)
    _require_offered(conn, fb, viewer_id)
    if conn.execute(
        sa.select(orders.c.id).where(orders.c.flashbuy_id == fb.id, orders.c.viewer_id == viewer_id)
    ).first():
        raise ApiError(
            ErrorCode.ALREADY_PURCHASED, "you have already bought this flash-buy", flashbuy_id=fb.id
        )
    template = conn.execute(
        sa.select(shipping_templates).where(shipping_templates.c.id == fb.template_id)
    ).one()
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

    # The guard against overselling: one conditional decrement, checked by its row count.
    taken = conn.execute(
        sa.update(flashbuys)
        .where(
            flashbuys.c.id == fb.id,
            flashbuys.c.sold < flashbuys.c.stock,
            flashbuys.c.status == FlashBuyStatus.ACTIVE.value,
        )
        .values(
            sold=flashbuys.c.sold + 1,
            status=sa.case(
                (flashbuys.c.sold + 1 >= flashbuys.c.stock, FlashBuyStatus.SOLD_OUT.value),
                else_=flashbuys.c.status,
            ),
        )
    ).rowcount
    if taken != 1:
        _refuse_unavailable(load(conn, fb.id))
        raise ApiError(
            ErrorCode.FLASHBUY_SOLD_OUT, "sold out: every piece has been bought", flashbuy_id=fb.id
        )
    order_id = insert_id(
        conn,
        orders,
        flashbuy_id=fb.id,
        room_id=fb.room_id,
        viewer_id=viewer_id,
        price_fen=fb.price_fen,
        shipping_fen=shipping,
        region=body.region,
        created_at=utcnow(),
    )
    order = _to_order(conn, order_id)
    events.append(
        conn,
        fb.room_id,
        "order.placed",
        order.model_dump(mode="json"),
        audience=events.AUDIENCE_CREATOR,
    )
    after = load(conn, fb.id)
    publish(conn, "flashbuy.updated", after)
    if after.status is FlashBuyStatus.SOLD_OUT:
        publish(conn, "flashbuy.sold_out", after)
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
        fb = load(conn, flashbuy_id)
        owned_room(conn, me.id, fb.room_id)
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
