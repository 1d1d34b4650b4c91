"""What the new flash-buy window knows of the live it publishes into (given by the main window)."""

from collections.abc import Sequence
from dataclasses import dataclass

from flashbuy_protocol.models import FlashBuy


@dataclass(frozen=True)
class LiveContext:
    """What the window knows of the live it publishes into (from the main window)."""

    flashbuys: Sequence[FlashBuy] = ()  # this live's flash-buys so far, oldest first
    last_product_id: int | None = None  # the product the seller used last, kept if usable
    comment: str | None = None  # the comment whose + opened a targeted window
    ended: bool = False  # the live has ended: nothing can be published any more
