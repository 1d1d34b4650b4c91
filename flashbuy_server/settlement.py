"""The sale after the click: a held order is paid, expires or is cancelled, and a piece that
comes back goes to the next buyer.

An order is placed **held** (:func:`place_hold`): the piece is taken (``flashbuys.sold``) and
the buyer has until ``pay_until`` to pay; a timed job (:data:`EXPIRE_KIND`, one per order) is
scheduled in the same transaction. Then exactly one of three things happens to it, each a
conditional ``UPDATE ... WHERE status = 'held'`` under the room's lock, so whichever commits
first wins and the others change nothing:

- :func:`pay` (the provider's signed callback): paid; the job is cancelled; the sale counts.
- :func:`expire` (the job, at ``pay_until``): expired; the piece is released.
- :func:`cancel` (the buyer, or the seller with a reason): cancelled; the piece is released.

**Release** (:func:`_release`): the piece goes to the first viewer in the flash-buy's queue who
is still in the room and may buy (a new held order, ``source`` queue, with a fresh window);
with nobody left, it is back on sale: ``sold`` goes down and a sold-out flash-buy is active
again, unless it or its live has ended. Every change bumps the rows' revisions and appends
its events in the same transaction, so the console and the viewers see each step in order.

Like every domain module: statements, queries, service. The routes are in orders.py.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Row

from flashbuy_protocol.enums import (
    CancelledBy,
    FlashBuyStatus,
    LiveStatus,
    Mode,
    OrderSource,
    OrderStatus,
)
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.event_payloads import LiveTotals
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import FlashBuyProgress, Order, QueueEntry
from flashbuy_server import events, jobs, viewer_records
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.shipping import fee_for, needs_region
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import (
    flashbuy_targets,
    flashbuys,
    orders,
    queue_entries,
    room_members,
    rooms,
    shipping_templates,
    viewers,
)

EXPIRE_KIND = "order.expire"


class PayOutcome(StrEnum):
    """What a confirmed payment did: paid the order, or came after it closed (to refund)."""

    PAID = "paid"
    LATE = "late"


# --- statements ---------------------------------------------------------------------------

# An order as the API shows it: the buyer's nickname and the total are computed here, in SQL.
ORDER_COLUMNS = (
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
    orders.c.status,
    orders.c.pay_until,
    orders.c.closed_at,
    orders.c.cancelled_by,
    orders.c.cancel_reason,
    orders.c.source,
    orders.c.previous_order_id,
)

_ORDER: sa.Select[Any] = (
    sa.select(*ORDER_COLUMNS, flashbuys.c.creator_id)
    .join(viewers, viewers.c.id == orders.c.viewer_id)
    .join(flashbuys, flashbuys.c.id == orders.c.flashbuy_id)
    .where(orders.c.id == sa.bindparam("order"))
)

# The one way an order leaves ``held``: whoever runs it first changes the row.
_CLOSE = (
    sa.update(orders)
    .where(orders.c.id == sa.bindparam("order"), orders.c.status == OrderStatus.HELD.value)
    .values(
        status=sa.bindparam("status"),
        closed_at=sa.bindparam("now"),
        cancelled_by=sa.bindparam("by"),
        cancel_reason=sa.bindparam("reason"),
        revision=orders.c.revision + 1,
    )
    .returning(*orders.c)
)

# The live's totals move with every order that is placed, paid or closed (room locked).
_TOTALS = (
    sa.update(rooms)
    .where(rooms.c.id == sa.bindparam("room"))
    .values(
        order_count=rooms.c.order_count + sa.bindparam("paid_n", type_=sa.Integer),
        sales_fen=rooms.c.sales_fen + sa.bindparam("paid_fen", type_=sa.BigInteger),
        held_count=rooms.c.held_count + sa.bindparam("held_n", type_=sa.Integer),
        held_fen=rooms.c.held_fen + sa.bindparam("held_fen", type_=sa.BigInteger),
    )
    .returning(
        rooms.c.status, rooms.c.order_count, rooms.c.sales_fen, rooms.c.held_count, rooms.c.held_fen
    )
)

PROGRESS_COLUMNS = (
    flashbuys.c.id,
    flashbuys.c.room_id,
    flashbuys.c.sold,
    flashbuys.c.stock,
    flashbuys.c.held,
    flashbuys.c.waiting,
    flashbuys.c.status,
    flashbuys.c.revision,
)

_OFFER: sa.Select[Any] = sa.select(
    *PROGRESS_COLUMNS,
    flashbuys.c.creator_id,
    flashbuys.c.mode,
    flashbuys.c.price_fen,
    flashbuys.c.template_id,
    flashbuys.c.pay_minutes,
    flashbuys.c.hold_back_after,
).where(flashbuys.c.id == sa.bindparam("fb"))

_TEMPLATE = sa.select(
    shipping_templates.c.kind,
    shipping_templates.c.flat_fee_fen,
    shipping_templates.c.default_fee_fen,
    shipping_templates.c.region_fees,
    shipping_templates.c.excluded_regions,
).where(shipping_templates.c.id == sa.bindparam("template"))

_TARGETS = sa.select(flashbuy_targets.c.viewer_id).where(
    flashbuy_targets.c.flashbuy_id == sa.bindparam("fb")
)

# The queue of a flash-buy, first come first.
_QUEUE = (
    sa.select(
        queue_entries.c.id,
        queue_entries.c.viewer_id,
        queue_entries.c.region,
        queue_entries.c.joined_at,
        viewers.c.nickname,
        room_members.c.present,
    )
    .join(viewers, viewers.c.id == queue_entries.c.viewer_id)
    .outerjoin(
        room_members,
        sa.and_(
            room_members.c.room_id == queue_entries.c.room_id,
            room_members.c.viewer_id == queue_entries.c.viewer_id,
        ),
    )
    .where(queue_entries.c.flashbuy_id == sa.bindparam("fb"))
    .order_by(queue_entries.c.id)
)

_INSERT_ORDER = {
    "sqlite": sqlite_insert(orders).on_conflict_do_nothing().returning(*orders.c),
    "postgresql": pg_insert(orders).on_conflict_do_nothing().returning(*orders.c),
}


# --- queries ------------------------------------------------------------------------------


def order_row(conn: Connection, order_id: int) -> Row[Any] | None:
    """An order with its buyer's nickname and its flash-buy's creator."""
    return conn.execute(_ORDER, {"order": order_id}).first()


def to_order(row: Row[Any]) -> Order:
    """The API's view of an order row selected with :data:`ORDER_COLUMNS`."""
    return Order.model_validate(row, from_attributes=True)


def seen_by(conn: Connection, flashbuy_id: int, mode: str) -> events.Seen:
    """Who on the viewer streams sees events about a flash-buy: all, or its targets."""
    if mode == Mode.TARGETED.value:
        targets = tuple(conn.execute(_TARGETS, {"fb": flashbuy_id}).scalars())
        return {"audience": events.AUDIENCE_TARGETS, "targets": targets}
    return {"audience": events.AUDIENCE_ALL}


def buyer_sees(viewer_id: int) -> events.Seen:
    """An order's events reach the creator and its buyer."""
    return {"audience": events.AUDIENCE_TARGETS, "targets": (viewer_id,)}


def progress_of(row: Row[Any]) -> FlashBuyProgress:
    """A flash-buy's progress from a row with :data:`PROGRESS_COLUMNS`."""
    return FlashBuyProgress.model_validate(row, from_attributes=True)


def offer_row(conn: Connection, flashbuy_id: int) -> Row[Any] | None:
    """A flash-buy's counters and the rules of buying it."""
    return conn.execute(_OFFER, {"fb": flashbuy_id}).first()


def locked_offer(conn: Connection, flashbuy_id: int) -> Row[Any] | None:
    """:func:`offer_row` under its room's lock, as it stands once the lock is held."""
    offer = offer_row(conn, flashbuy_id)
    if offer is None:
        return None
    events.hold_room(conn, offer.room_id)
    if conn.dialect.name == "sqlite":
        return offer  # BEGIN IMMEDIATE: nobody wrote since the transaction began
    # PostgreSQL: another purchase may have committed while this one waited for the lock.
    return offer_row(conn, flashbuy_id)


def totals_event(conn: Connection, room_id: int, **change: int) -> tuple[str, events.NewEvent]:
    """Move the live's totals by ``change`` (paid_n, paid_fen, held_n, held_fen); the room's
    status and the ``live.totals`` event that tells the console."""
    values = {"room": room_id, "paid_n": 0, "paid_fen": 0, "held_n": 0, "held_fen": 0, **change}
    row = conn.execute(_TOTALS, values).one()
    totals = LiveTotals(
        room_id=room_id,
        order_count=row.order_count,
        sales_fen=row.sales_fen,
        held_count=row.held_count,
        held_fen=row.held_fen,
    )
    return row.status, events.NewEvent(
        EventType.LIVE_TOTALS, totals, audience=events.AUDIENCE_CREATOR
    )


# --- service ------------------------------------------------------------------------------


def shipping_for(conn: Connection, template_id: int, region: str | None) -> int:
    """Postage for an order shipped to ``region``; refuses a region the template needs or
    does not ship to."""
    template = conn.execute(_TEMPLATE, {"template": template_id}).one()
    if region is None and needs_region(template):
        raise ApiError(
            ErrorCode.VALIDATION_FAILED,
            "this flash-buy's postage or delivery depends on the region: give the buyer's region",
            field="region",
        )
    fee = fee_for(template, region)
    if fee is None:
        raise ApiError(
            ErrorCode.REGION_EXCLUDED, f"this flash-buy does not ship to {region}", region=region
        )
    return fee


def place_hold(
    conn: Connection,
    offer: Row[Any],
    viewer_id: int,
    region: str | None,
    now: datetime,
    *,
    source: OrderSource = OrderSource.OFFER,
    previous_order_id: int | None = None,
    shipping: int | None = None,
    nickname: str | None = None,
) -> Order | None:
    """Insert a held order for a piece already taken for the viewer, with its pay window and
    its expiry job; None if the viewer already has an order for this flash-buy (one each).
    Refuses a region the flash-buy does not ship to (``shipping``: the postage, when the
    caller already worked it out; ``nickname``: the buyer's, when the caller has it at hand).
    The caller moves the counters."""
    if shipping is None:
        shipping = shipping_for(conn, offer.template_id, region)
    inserted = conn.execute(
        _INSERT_ORDER[conn.dialect.name],
        {
            "flashbuy_id": offer.id,
            "room_id": offer.room_id,
            "viewer_id": viewer_id,
            "price_fen": offer.price_fen,
            "shipping_fen": shipping,
            "region": region,
            "created_at": now,
            "status": OrderStatus.HELD.value,
            "pay_until": now + timedelta(minutes=offer.pay_minutes),
            "source": source.value,
            "previous_order_id": previous_order_id,
            "cancel_reason": "",
        },
    ).first()
    if inserted is None:
        return None
    if nickname is None:
        found = order_row(conn, inserted.id)
        assert found is not None
        order = to_order(found)
    else:
        order = _as_order(inserted, nickname)
    assert order.pay_until is not None
    jobs.schedule(conn, EXPIRE_KIND, str(order.id), order.pay_until)
    return order


def _as_order(stored: Row[Any], nickname: str) -> Order:
    """An order row as written (``RETURNING``), with what the API adds to it."""
    total = stored.price_fen + stored.shipping_fen
    return Order.model_validate({**stored._mapping, "nickname": nickname, "total_fen": total})


def pay(conn: Connection, order_id: int, now: datetime | None = None) -> tuple[Order, PayOutcome]:
    """The provider confirmed the order's payment: paid if it was still held (the sale
    counts, the expiry job is dropped); else LATE and nothing changes (to refund)."""
    row = order_row(conn, order_id)
    if row is None:
        raise not_found("order", order_id)
    events.hold_room(conn, row.room_id)
    order = _closed(conn, row, OrderStatus.PAID, now or utcnow())
    if order is None:
        return _reread(conn, order_id), PayOutcome.LATE
    jobs.cancel(conn, EXPIRE_KIND, str(order_id))
    progress = conn.execute(
        sa.update(flashbuys)
        .where(flashbuys.c.id == row.flashbuy_id)
        .values(held=flashbuys.c.held - 1, revision=flashbuys.c.revision + 1)
        .returning(*PROGRESS_COLUMNS, flashbuys.c.mode)
    ).one()
    left: list[QueueEntry] = []
    if progress.held == 0 and progress.status != FlashBuyStatus.ACTIVE.value:
        # Every piece is paid (or the offer ended): no piece will come back to the queue.
        left = _drop_queue(conn, row.flashbuy_id, row.room_id)
        if left:
            progress = conn.execute(
                sa.update(flashbuys)
                .where(flashbuys.c.id == row.flashbuy_id)
                .values(waiting=0)
                .returning(*PROGRESS_COLUMNS, flashbuys.c.mode)
            ).one()
    price = row.price_fen
    _status, totals = totals_event(
        conn, row.room_id, paid_n=1, paid_fen=price, held_n=-1, held_fen=-price
    )
    record = viewer_records.counted(
        conn, row.creator_id, row.viewer_id, row.nickname, paid_count=1, paid_fen=price
    )
    events.append_all(
        conn,
        row.room_id,
        [
            events.NewEvent(EventType.ORDER_UPDATED, order, **buyer_sees(row.viewer_id)),
            totals,
            viewer_records.event_for(record),
            *(
                events.NewEvent(EventType.QUEUE_LEFT, entry, **buyer_sees(entry.viewer_id))
                for entry in left
            ),
            events.NewEvent(
                EventType.FLASHBUY_UPDATED,
                progress_of(progress),
                **seen_by(conn, row.flashbuy_id, progress.mode),
            ),
        ],
    )
    return order, PayOutcome.PAID


def expire(conn: Connection, order_id: int, now: datetime) -> Order | None:
    """The pay window ran out: expired and its piece released, if the order was still held
    (else None: it was paid or cancelled first)."""
    return _close_and_release(conn, order_id, OrderStatus.EXPIRED, now)


def cancel(
    conn: Connection,
    order_id: int,
    by: CancelledBy,
    reason: str,
    now: datetime,
    *,
    keep_piece_for: Callable[[Connection, Row[Any]], Order | None] | None = None,
) -> Order:
    """Cancel a held order (the caller checked who may); its piece is released. An order
    that is no longer held is refused with ORDER_NOT_HELD.

    ``keep_piece_for``: instead of releasing the piece to the queue, hand it on (the seller's
    hand-over), called with the flash-buy's row; it returns the new order.
    """
    closed = _close_and_release(
        conn, order_id, OrderStatus.CANCELLED, now, by, reason, keep_piece_for
    )
    if closed is None:
        current = _reread(conn, order_id)
        raise ApiError(
            ErrorCode.ORDER_NOT_HELD,
            f"order {order_id} is {current.status}, not waiting for payment",
            order_id=order_id,
            status=current.status.value,
        )
    return closed


def expire_job(clock: Callable[[], datetime]) -> jobs.DueJob:
    """The timed job that expires an order at the end of its pay window."""
    return jobs.DueJob(EXPIRE_KIND, lambda conn, key: _expire_key(conn, key, clock()))


def _expire_key(conn: Connection, key: str, now: datetime) -> None:
    expire(conn, int(key), now)


def _closed(
    conn: Connection,
    row: Row[Any],
    status: OrderStatus,
    now: datetime,
    by: CancelledBy | None = None,
    reason: str = "",
) -> Order | None:
    """The order of ``row`` taken out of held, as it now is; None if it was not held."""
    values = {
        "order": row.id,
        "status": status.value,
        "now": now,
        "by": None if by is None else by.value,
        "reason": reason,
    }
    closed = conn.execute(_CLOSE, values).first()
    return None if closed is None else _as_order(closed, row.nickname)


def _reread(conn: Connection, order_id: int) -> Order:
    row = order_row(conn, order_id)
    assert row is not None
    return to_order(row)


def _close_and_release(
    conn: Connection,
    order_id: int,
    status: OrderStatus,
    now: datetime,
    by: CancelledBy | None = None,
    reason: str = "",
    keep_piece_for: Callable[[Connection, Row[Any]], Order | None] | None = None,
) -> Order | None:
    row = order_row(conn, order_id)
    if row is None:
        return None
    events.hold_room(conn, row.room_id)
    order = _closed(conn, row, status, now, by, reason)
    if order is None:
        return None
    if status is OrderStatus.CANCELLED:
        jobs.cancel(conn, EXPIRE_KIND, str(order_id))
    price = row.price_fen
    room_status, totals = totals_event(conn, row.room_id, held_n=-1, held_fen=-price)
    batch = [events.NewEvent(EventType.ORDER_UPDATED, order, **buyer_sees(row.viewer_id)), totals]
    counts = {"expired_count": 1} if status is OrderStatus.EXPIRED else {}
    if by is CancelledBy.BUYER:
        counts = {"cancelled_count": 1}
    if counts:
        record = viewer_records.counted(conn, row.creator_id, row.viewer_id, row.nickname, **counts)
        batch.append(viewer_records.event_for(record))
    batch += _release(conn, row.flashbuy_id, order, room_status, now, keep_piece_for)
    events.append_all(conn, row.room_id, batch)
    return order


def _release(
    conn: Connection,
    flashbuy_id: int,
    closed: Order,
    room_status: str,
    now: datetime,
    keep_piece_for: Callable[[Connection, Row[Any]], Order | None] | None,
) -> list[events.NewEvent]:
    """The piece of ``closed`` comes back: to the next in the queue, or back on sale."""
    offer = offer_row(conn, flashbuy_id)
    assert offer is not None
    batch: list[events.NewEvent] = []
    on_sale = offer.status != FlashBuyStatus.ENDED.value and room_status == LiveStatus.LIVE.value
    taker: Order | None = None
    left: list[QueueEntry] = []
    if keep_piece_for is not None:
        taker = keep_piece_for(conn, offer)
    elif on_sale:
        taker, left = _next_in_queue(conn, offer, closed, now)
    else:
        left = _drop_queue(conn, offer.id, offer.room_id)  # nothing to wait for any more
    if taker is not None:
        # The piece goes straight on: still taken, still held (by someone else).
        placed = [events.NewEvent(EventType.ORDER_PLACED, taker, **buyer_sees(taker.viewer_id))]
        _status, totals = totals_event(conn, offer.room_id, held_n=1, held_fen=taker.price_fen)
        placed.append(totals)
        values: dict[str, Any] = {"revision": flashbuys.c.revision + 1}
        if offer.mode == Mode.TARGETED.value:
            make_target(conn, offer.id, taker.viewer_id)
    else:
        placed = []
        status = offer.status
        if status == FlashBuyStatus.SOLD_OUT.value:
            status = FlashBuyStatus.ACTIVE.value if on_sale else FlashBuyStatus.ENDED.value
        values = {
            "sold": flashbuys.c.sold - 1,
            "held": flashbuys.c.held - 1,
            "status": status,
            "revision": flashbuys.c.revision + 1,
        }
        if status == FlashBuyStatus.ENDED.value and offer.status != status:
            values["ended_at"] = now
    if left:
        values["waiting"] = flashbuys.c.waiting - len(left)
    progress = conn.execute(
        sa.update(flashbuys)
        .where(flashbuys.c.id == flashbuy_id)
        .values(**values)
        .returning(*PROGRESS_COLUMNS)
    ).one()
    for entry in left:
        batch.append(events.NewEvent(EventType.QUEUE_LEFT, entry, **buyer_sees(entry.viewer_id)))
    batch += placed
    batch.append(
        events.NewEvent(
            EventType.FLASHBUY_UPDATED,
            progress_of(progress),
            **seen_by(conn, flashbuy_id, offer.mode),
        )
    )
    return batch


def _drop_queue(conn: Connection, flashbuy_id: int, room_id: int) -> list[QueueEntry]:
    """Empty a flash-buy's queue; the entries that left (the caller moves ``waiting``)."""
    left = queue_of(conn, queue_entries.c.flashbuy_id == flashbuy_id)
    if left:
        conn.execute(queue_entries.delete().where(queue_entries.c.flashbuy_id == flashbuy_id))
    return left


def _next_in_queue(
    conn: Connection, offer: Row[Any], closed: Order, now: datetime
) -> tuple[Order | None, list[QueueEntry]]:
    """Give the piece to the first queued viewer who may have it; the order, and every entry
    that left the queue (the one served and those passed over)."""
    left: list[QueueEntry] = []
    for position, entry in enumerate(conn.execute(_QUEUE, {"fb": offer.id}).all(), start=1):
        conn.execute(queue_entries.delete().where(queue_entries.c.id == entry.id))
        left.append(
            QueueEntry(
                flashbuy_id=offer.id,
                room_id=offer.room_id,
                viewer_id=entry.viewer_id,
                nickname=entry.nickname,
                position=position,
                joined_at=entry.joined_at,
            )
        )
        if not entry.present:
            continue
        if viewer_records.refusal(conn, offer.creator_id, entry.viewer_id, offer.hold_back_after):
            continue
        try:
            taker = place_hold(
                conn,
                offer,
                entry.viewer_id,
                entry.region,
                now,
                source=OrderSource.QUEUE,
                previous_order_id=closed.id,
                nickname=entry.nickname,
            )
        except ApiError:
            continue  # the template no longer ships to the region they gave: the next one
        if taker is not None:
            return taker, left
    return None, left


def make_target(conn: Connection, flashbuy_id: int, viewer_id: int) -> None:
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(flashbuy_targets)
    conn.execute(
        insert.values(flashbuy_id=flashbuy_id, viewer_id=viewer_id).on_conflict_do_nothing()
    )


def queue_of(conn: Connection, where: sa.ColumnElement[bool]) -> list[QueueEntry]:
    """The queue entries matching ``where``, each flash-buy's in order, positions from 1."""
    rows = conn.execute(
        sa.select(
            queue_entries.c.flashbuy_id,
            queue_entries.c.room_id,
            queue_entries.c.viewer_id,
            queue_entries.c.joined_at,
            viewers.c.nickname,
        )
        .join(viewers, viewers.c.id == queue_entries.c.viewer_id)
        .where(where)
        .order_by(queue_entries.c.flashbuy_id, queue_entries.c.id)
    ).all()
    found: list[QueueEntry] = []
    position: dict[int, int] = {}
    for r in rows:
        position[r.flashbuy_id] = position.get(r.flashbuy_id, 0) + 1
        found.append(QueueEntry(**r._mapping, position=position[r.flashbuy_id]))
    return found
