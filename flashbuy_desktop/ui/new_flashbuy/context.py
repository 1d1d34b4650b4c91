"""What the new flash-buy window knows of the live it publishes into (given by the main window)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flashbuy_protocol.limits import PAY_MINUTES_DEFAULT
from flashbuy_protocol.models import FlashBuy, ViewerRecord


def _no_record(_viewer_id: int) -> ViewerRecord | None:
    return None


@dataclass(frozen=True)
class LiveContext:
    """What the window knows of the live it publishes into (from the main window)."""

    flashbuys: Sequence[FlashBuy] = ()  # this live's flash-buys so far, oldest first
    last_product_id: int | None = None  # the product the seller used last, kept if usable
    comment: str | None = None  # the comment whose + opened a targeted window
    ended: bool = False  # the live has ended: nothing can be published any more
    pay_minutes: int = PAY_MINUTES_DEFAULT  # the pay window the field starts with (settings)
    # Full flash-buys hold back viewers with this many expired orders (settings; None: off).
    hold_back_after: int | None = None
    # What is known of a viewer (the comment list's records): shown beside a targeted one.
    record_of: Callable[[int], ViewerRecord | None] = _no_record
