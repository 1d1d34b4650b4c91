"""The live's sales as the platform counts them, the newest view kept (no Qt).

The header never adds up the table: the figures come whole from the platform, in the room it
loads (``order_count``, ``sales_fen``, ``held_count``, ``held_fen``, as of its
``last_event_id``) and in every ``live.totals`` event after. Only paid orders are sales; held
ones (waiting for their buyer to pay) are counted apart. Which view is the newer is told by
the event id it stands at, not by the figures: once a buyer who does not pay gives a piece
back, the totals can go down.
"""

from dataclasses import dataclass

from flashbuy_protocol.event_payloads import LiveTotals
from flashbuy_protocol.models import Room


@dataclass(frozen=True)
class SalesFigures:
    """Paid orders and sales (fen), and held orders and their sum, of one live, as of one
    event of its stream."""

    room_id: int
    order_count: int  # paid orders
    sales_fen: int  # what they were paid, postage aside
    as_of: int  # the event id these figures stand at
    held_count: int = 0  # orders waiting to be paid
    held_fen: int = 0

    @classmethod
    def none(cls) -> "SalesFigures":
        """No live: nothing sold."""
        return cls(room_id=0, order_count=0, sales_fen=0, as_of=0)

    @classmethod
    def of_room(cls, room: Room) -> "SalesFigures":
        """The figures a room was read with: they stand at its newest event."""
        return cls(
            room.id,
            room.order_count,
            room.sales_fen,
            room.last_event_id,
            room.held_count,
            room.held_fen,
        )

    def updated(self, event_id: int, totals: LiveTotals) -> "SalesFigures":
        """These figures, or ``totals`` (from event ``event_id``) if they are newer ones of
        this live. A repeat of an event already counted, or another live's, changes nothing."""
        if totals.room_id != self.room_id or event_id <= self.as_of:
            return self
        return SalesFigures(
            self.room_id,
            totals.order_count,
            totals.sales_fen,
            event_id,
            totals.held_count,
            totals.held_fen,
        )
