"""Flash-buys, their progress and orders as the platform sends them: test data, no Qt.

One builder for every test of this live's sales, the Qt-free rules (``room.live_sales``) and
the table that renders them alike.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from flashbuy_protocol.enums import FlashBuyStatus, Mode, OrderStatus
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order, QueueEntry

ROOM = 7
T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
ACTIVE, SOLD_OUT, ENDED = FlashBuyStatus.ACTIVE, FlashBuyStatus.SOLD_OUT, FlashBuyStatus.ENDED


def make_fb(fid: int, **changes: Any) -> FlashBuy:
    """Flash-buy ``fid`` of :data:`ROOM`, active, one in stock; ``changes`` override fields."""
    fields: dict[str, Any] = {
        "id": fid,
        "room_id": ROOM,
        "product_id": 1,
        "product_name": "冰种翡翠手镯",
        "category_id": 1,
        "category_name": "翡翠",
        "mode": Mode.FULL,
        "title": f"{fid}号 冰种翡翠手镯",
        "piece_no": str(fid),
        "price_fen": 128_800,
        "stock": 1,
        "sold": 0,
        "status": ACTIVE,
        "revision": 1,
        "picture_id": f"{fid:064x}",
        "template_id": 1,
        "note": "",
        "targets": [],
        "created_at": T0 + timedelta(minutes=fid),
        "ended_at": None,
    }
    fields.update(changes)
    return FlashBuy(**fields)


def progress(
    fid: int, sold: int, stock: int, status: FlashBuyStatus, revision: int | None = None
) -> FlashBuyProgress:
    """The platform's progress event: created at revision 1, one more per sale by default."""
    return FlashBuyProgress(
        id=fid,
        room_id=ROOM,
        sold=sold,
        stock=stock,
        status=status,
        revision=sold + 1 if revision is None else revision,
    )


def order(oid: int, fid: int, nickname: str, revision: int = 1, **changes: Any) -> Order:
    """Order ``oid`` of flash-buy ``fid`` by ``nickname``, at the bangle's price (paid unless
    ``changes`` say otherwise)."""
    fields: dict[str, Any] = {
        "id": oid,
        "flashbuy_id": fid,
        "room_id": ROOM,
        "viewer_id": 100 + oid,
        "nickname": nickname,
        "price_fen": 128_800,
        "shipping_fen": 0,
        "total_fen": 128_800,
        "region": "浙江",
        "created_at": T0,
        "revision": revision,
    }
    fields.update(changes)
    return Order(**fields)


def held(oid: int, fid: int, nickname: str, minutes: int = 5, **changes: Any) -> Order:
    """A held order placed at :data:`T0`, to be paid within ``minutes``."""
    return order(
        oid,
        fid,
        nickname,
        status=OrderStatus.HELD,
        pay_until=T0 + timedelta(minutes=minutes),
        **changes,
    )


def waiting(fid: int, viewer_id: int, nickname: str, position: int, seconds: int = 0) -> QueueEntry:
    """Viewer ``viewer_id`` in the queue of flash-buy ``fid``, joined ``seconds`` after T0."""
    return QueueEntry(
        flashbuy_id=fid,
        room_id=ROOM,
        viewer_id=viewer_id,
        nickname=nickname,
        position=position,
        joined_at=T0 + timedelta(seconds=seconds),
    )
