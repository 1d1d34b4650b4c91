"""This live's flash-buys and their orders as the platform last described them (no Qt).

The platform bumps a row's ``revision`` by one on every change it makes to it, and every view
it sends (a :class:`FlashBuy`, a :class:`FlashBuyProgress`, an :class:`Order`) carries that
revision. So the console never has to guess which of two views is the newer from what they
say ("sold only grows"): the higher revision wins, whatever its counters read. A piece whose
buyer did not pay can come back (``sold`` goes down, a sold-out flash-buy is active again),
and a view that arrives late (a full load that raced with the stream, an event replayed after
a reconnect) is ignored because its revision is not newer.

:class:`LiveSales` keeps, per flash-buy id, the newest view, and per order id the newest order.
Progress and orders for a flash-buy not known yet are held until it arrives. Every method says
whether what it was given changed anything, so a table renders only what did.
"""

from collections.abc import Iterable
from enum import Enum, auto

from flashbuy_protocol.enums import FlashBuyStatus
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order


class Outcome(Enum):
    """What a view handed to :class:`LiveSales` did to what it knows."""

    ADDED = auto()  # a flash-buy not known before
    CHANGED = auto()  # a newer view of a known flash-buy (or a new or newer order of one)
    HELD = auto()  # news of a flash-buy not known yet, kept for when it arrives
    IGNORED = auto()  # not newer than what is known: nothing changed


def progressed(fb: FlashBuy, progress: FlashBuyProgress) -> FlashBuy:
    """``fb`` as ``progress`` describes it, if ``progress`` is the newer view; else ``fb``."""
    if progress.revision <= fb.revision:
        return fb
    ended_at = fb.ended_at if progress.status is FlashBuyStatus.ENDED else None
    return fb.model_copy(
        update={
            "sold": progress.sold,
            "stock": progress.stock,
            "status": progress.status,
            "revision": progress.revision,
            "ended_at": ended_at,
        }
    )


def newest(known: FlashBuy | None, fb: FlashBuy) -> FlashBuy:
    """Of two views of one flash-buy, the one with the higher revision (``known`` on a tie)."""
    return fb if known is None or fb.revision > known.revision else known


class LiveSales:
    """The newest known view of each of this live's flash-buys and of each of their orders."""

    def __init__(self) -> None:
        self._flashbuys: dict[int, FlashBuy] = {}
        # Orders by flash-buy id, then order id: also those of flash-buys not known yet.
        self._orders: dict[int, dict[int, Order]] = {}
        self._held: dict[int, FlashBuyProgress] = {}  # progress of flash-buys not known yet

    # --- reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._flashbuys)

    def __contains__(self, flashbuy_id: object) -> bool:
        return flashbuy_id in self._flashbuys

    def flashbuy(self, flashbuy_id: int) -> FlashBuy | None:
        """The newest view of ``flashbuy_id``, or ``None`` if it is not known."""
        return self._flashbuys.get(flashbuy_id)

    def flashbuys(self) -> list[FlashBuy]:
        """Every known flash-buy, newest (largest id) first."""
        return [self._flashbuys[k] for k in sorted(self._flashbuys, reverse=True)]

    def orders(self, flashbuy_id: int) -> list[Order]:
        """The orders of ``flashbuy_id``, first placed first (by order id)."""
        orders = self._orders.get(flashbuy_id, {})
        return [orders[k] for k in sorted(orders)]

    def buyers(self, flashbuy_id: int) -> list[str]:
        """The buyers' nicknames of ``flashbuy_id``, first buyer first."""
        return [o.nickname for o in self.orders(flashbuy_id)]

    def missing_buyers(self) -> list[int]:
        """Known flash-buys that have sold more pieces than the orders known for them."""
        return [
            fid for fid, fb in self._flashbuys.items() if len(self._orders.get(fid, {})) < fb.sold
        ]

    # --- what the platform says ---------------------------------------------------------------

    def load(self, items: Iterable[FlashBuy]) -> None:
        """Know exactly the flash-buys of a full load, each at the newest revision seen.

        A load read before an event that overtook it keeps what the event said; flash-buys not
        in the load are forgotten with their orders (another room, or a cleared table).
        """
        fresh: dict[int, FlashBuy] = {}
        for fb in items:
            fresh[fb.id] = newest(fresh.get(fb.id) or self._flashbuys.get(fb.id), fb)
        for fid in self._flashbuys.keys() - fresh.keys():
            self._orders.pop(fid, None)
        self._flashbuys = {fid: self._with_held(fb) for fid, fb in fresh.items()}

    def put(self, fb: FlashBuy) -> Outcome:
        """A whole view of a flash-buy (created, ended, or the answer to a request)."""
        known = self._flashbuys.get(fb.id)
        if known is None:
            self._flashbuys[fb.id] = self._with_held(fb)
            return Outcome.ADDED
        if fb.revision <= known.revision:
            return Outcome.IGNORED
        self._flashbuys[fb.id] = fb
        return Outcome.CHANGED

    def progress(self, progress: FlashBuyProgress) -> Outcome:
        """How far a flash-buy has sold (``updated``, ``sold_out``): applied only if newer."""
        known = self._flashbuys.get(progress.id)
        if known is None:
            held = self._held.get(progress.id)
            if held is not None and progress.revision <= held.revision:
                return Outcome.IGNORED
            self._held[progress.id] = progress
            return Outcome.HELD
        advanced = progressed(known, progress)
        if advanced is known:
            return Outcome.IGNORED
        self._flashbuys[progress.id] = advanced
        return Outcome.CHANGED

    def order(self, order: Order) -> Outcome:
        """An order (placed, or a newer view of one): kept once per order id, the newest."""
        orders = self._orders.setdefault(order.flashbuy_id, {})
        known = orders.get(order.id)
        if known is not None and order.revision <= known.revision:
            return Outcome.IGNORED
        orders[order.id] = order
        return Outcome.CHANGED if order.flashbuy_id in self._flashbuys else Outcome.HELD

    # --- inside -------------------------------------------------------------------------------

    def _with_held(self, fb: FlashBuy) -> FlashBuy:
        """``fb`` with the progress held for it, if that is newer."""
        held = self._held.pop(fb.id, None)
        return fb if held is None else progressed(fb, held)
