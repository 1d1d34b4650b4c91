"""Where an order stands and what the seller reads about it, as facts (no Qt).

An order is held (待付款) while its buyer's pay window runs, then paid, expired or
cancelled. The words are the UI's; these are the facts it words: how long a held order has
left (counted down from ``pay_until`` and the console's clock, never below zero), the
countdown as ``mm:ss``, which later order took over a piece that came back (its
``previous_order_id`` names the order it replaced), how a flash-buy's orders add up, and
which piece a hand-over to a chosen viewer takes.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flashbuy_protocol.enums import FlashBuyStatus, OrderStatus
from flashbuy_protocol.models import FlashBuy, Order

TAKEN = frozenset({OrderStatus.HELD, OrderStatus.PAID})  # the piece is this buyer's
CAME_BACK = frozenset({OrderStatus.EXPIRED, OrderStatus.CANCELLED})  # the piece was released


def aware(moment: datetime) -> datetime:
    """``moment`` with a zone: a time without one is the platform's UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def seconds_left(order: Order, now: datetime) -> int | None:
    """Whole seconds the buyer of a held order still has (rounded up, at least 0);
    ``None`` for an order that is not held or has no deadline."""
    if order.status is not OrderStatus.HELD or order.pay_until is None:
        return None
    left = (aware(order.pay_until) - aware(now)).total_seconds()
    # Never more than the window the order was given: the platform's time is known to about
    # a second (api/server_clock.py), and a fresh 5-minute order must not read 05:01.
    window = (aware(order.pay_until) - aware(order.created_at)).total_seconds()
    return max(0, min(math.ceil(left), math.floor(window)))


def countdown(seconds: int) -> str:
    """A countdown as the seller reads it: ``04:59``; an hour or more as ``1:02:03``."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def soonest_due(orders: Iterable[Order]) -> Order | None:
    """The held order whose pay window ends first (the lower id on a tie), if any."""
    held = [o for o in orders if o.status is OrderStatus.HELD and o.pay_until is not None]
    if not held:
        return None
    return min(held, key=lambda o: (aware(o.pay_until or datetime.min), o.id))


def successors(orders: Iterable[Order]) -> dict[int, Order]:
    """Per order id, the later order that took over its piece ("moved to the next buyer")."""
    return {o.previous_order_id: o for o in orders if o.previous_order_id is not None}


@dataclass(frozen=True)
class Tally:
    """How a flash-buy's known orders stand: paid, held, and released (expired or cancelled)."""

    paid: int = 0
    held: int = 0
    released: int = 0

    @property
    def taken(self) -> int:
        """Pieces that are someone's: paid, or held while the buyer may still pay."""
        return self.paid + self.held


def tally(orders: Iterable[Order]) -> Tally:
    """Count ``orders`` by where they stand."""
    paid = held = released = 0
    for o in orders:
        if o.status is OrderStatus.PAID:
            paid += 1
        elif o.status is OrderStatus.HELD:
            held += 1
        else:
            released += 1
    return Tally(paid, held, released)


@dataclass(frozen=True)
class HandOverPlan:
    """How a piece of a flash-buy can go to a viewer the seller chose.

    ``possible`` is false when every piece is paid (or the flash-buy ended); otherwise a free
    piece is given (``replacing`` is ``None``) or the unpaid order ``replacing`` is cancelled
    for it, which the seller is asked about first.
    """

    possible: bool
    replacing: Order | None = None


def hand_over_plan(
    fb: FlashBuy, orders: Iterable[Order], chosen_order_id: int | None = None
) -> HandOverPlan:
    """Which piece a hand-over takes: a free one first; else the unpaid order the seller
    chose (``chosen_order_id``), else the one whose window ends first."""
    if fb.status is FlashBuyStatus.ENDED:
        return HandOverPlan(False)
    if fb.sold < fb.stock:
        return HandOverPlan(True)
    held = [o for o in orders if o.status is OrderStatus.HELD]
    chosen = next((o for o in held if o.id == chosen_order_id), None)
    replacing = chosen or soonest_due(held) or (held[0] if held else None)
    return HandOverPlan(replacing is not None, replacing)
