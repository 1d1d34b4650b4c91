"""What each kind of event carries: one model per :class:`EventType`, and one map between them.

Where the data already is an API model (a flash-buy, an order, a comment) the event carries that
model; the rest are the small models below. Code on either side never reads ``event.data`` by
hand: the platform appends a model (:data:`PAYLOADS` says which one a type takes) and a reader
asks :func:`payload` for it, so a field renamed here is a type error on both sides, not a
``KeyError`` in the middle of a live.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import (
    Comment,
    Event,
    FlashBuy,
    FlashBuyProgress,
    Order,
    QueueEntry,
    Response,
    Viewer,
    ViewerRecord,
)


class LiveStarted(Response):
    """A live began: the data of ``live.started``."""

    room_id: int
    title: str


class LiveEnded(Response):
    """A live ended (and every active flash-buy with it): the data of ``live.ended``."""

    room_id: int


class ViewerCount(Response):
    """How many viewers are in the room now; what both presence events tell the header."""

    viewer_count: int


class ViewerPresence(ViewerCount):
    """A viewer came in: who, and the room's count after: the data of ``viewer.joined``."""

    viewer: Viewer


class ViewerLeft(ViewerCount):
    """A viewer went: the data of ``viewer.left``.

    Only the id: the platform has it at hand when a viewer leaves (or when a whole audience
    is sent away), and no reader needs more than the count.
    """

    viewer_id: int


class LiveTotals(Response):
    """The live's sales so far, after an order changes: the data of ``live.totals``.

    ``order_count``/``sales_fen`` count paid orders only; ``held_count``/``held_fen`` the
    orders waiting to be paid. The platform's own figures, so the console's header never
    has to add up its table.
    """

    room_id: int
    order_count: int
    sales_fen: int
    held_count: int = 0
    held_fen: int = 0


EventPayload: TypeAlias = (
    LiveStarted
    | LiveEnded
    | LiveTotals
    | ViewerPresence
    | ViewerLeft
    | Comment
    | FlashBuy
    | FlashBuyProgress
    | Order
    | QueueEntry
    | ViewerRecord
)

PAYLOADS: Mapping[EventType, type[EventPayload]] = MappingProxyType(
    {
        EventType.LIVE_STARTED: LiveStarted,
        EventType.LIVE_ENDED: LiveEnded,
        EventType.LIVE_TOTALS: LiveTotals,
        EventType.VIEWER_JOINED: ViewerPresence,
        EventType.VIEWER_LEFT: ViewerLeft,
        EventType.COMMENT_POSTED: Comment,
        EventType.FLASHBUY_CREATED: FlashBuy,
        EventType.FLASHBUY_UPDATED: FlashBuyProgress,
        EventType.FLASHBUY_SOLD_OUT: FlashBuyProgress,
        EventType.FLASHBUY_ENDED: FlashBuy,
        EventType.ORDER_PLACED: Order,
        EventType.ORDER_UPDATED: Order,
        EventType.QUEUE_JOINED: QueueEntry,
        EventType.QUEUE_LEFT: QueueEntry,
        EventType.VIEWER_RECORD: ViewerRecord,
    }
)


def payload(event: Event) -> EventPayload:
    """The event's data as the model its type carries.

    Each model stands for one meaning, so a reader can ``match`` on the class; the pairs that
    share one (created and ended both carry the whole flash-buy, updated and sold-out its
    progress, placed and updated the whole order, joined and left a queue entry) are handled
    alike. Raises pydantic's ``ValidationError`` if the data is not
    that model.
    """
    return PAYLOADS[event.type].model_validate(event.data)


__all__ = [
    "PAYLOADS",
    "EventPayload",
    "LiveEnded",
    "LiveStarted",
    "LiveTotals",
    "ViewerCount",
    "ViewerLeft",
    "ViewerPresence",
    "payload",
]
