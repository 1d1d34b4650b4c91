"""The kinds of event a live room's stream carries, named once for both sides.

The platform appends each with its payload (the model :data:`flashbuy_protocol.event_payloads.
PAYLOADS` maps it to); the console and the rehearsal audience read the type to know which model
the data is. A ``StrEnum``, so a type compares and serialises as the plain string the wire has
always carried. The payload models live beside this module, not in it: they reuse the API's
models, and :class:`flashbuy_protocol.models.Event` names its type with this enum.
"""

from enum import StrEnum


class EventType(StrEnum):
    """One kind of change in a live room, as the SSE ``event:`` field names it."""

    LIVE_STARTED = "live.started"  # data: LiveStarted
    LIVE_ENDED = "live.ended"  # data: LiveEnded
    LIVE_TOTALS = "live.totals"  # data: LiveTotals (creator only)
    VIEWER_JOINED = "viewer.joined"  # data: ViewerPresence (creator only)
    VIEWER_LEFT = "viewer.left"  # data: ViewerLeft (creator only)
    COMMENT_POSTED = "comment.posted"  # data: Comment (creator only)
    FLASHBUY_CREATED = "flashbuy.created"  # data: FlashBuy
    FLASHBUY_UPDATED = "flashbuy.updated"  # data: FlashBuyProgress
    FLASHBUY_SOLD_OUT = "flashbuy.sold_out"  # data: FlashBuyProgress
    FLASHBUY_ENDED = "flashbuy.ended"  # data: FlashBuy
    ORDER_PLACED = "order.placed"  # data: Order (the creator and the buyer)
    ORDER_UPDATED = "order.updated"  # data: Order, paid, expired or cancelled (creator, buyer)
    QUEUE_JOINED = "queue.joined"  # data: QueueEntry (the creator and that viewer)
    QUEUE_LEFT = "queue.left"  # data: QueueEntry (the creator and that viewer)
    VIEWER_RECORD = "viewer.record"  # data: ViewerRecord (creator only)
