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

It also keeps each flash-buy's queue (候补): the viewers waiting for a piece to come back, in
order of arrival, from the room's queue at load and ``queue.joined``/``queue.left`` after. A
viewer given a piece (an order for them appears) is no longer waiting for it.
"""

from collections.abc import Iterable
from enum import Enum, auto

from flashbuy_desktop.room.order_life import CAME_BACK, TAKEN, aware
from flashbuy_protocol.enums import FlashBuyStatus, OrderStatus
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order, QueueEntry


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
            "held": progress.held,
            "waiting": progress.waiting,
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
        # Queues by flash-buy id, then viewer id; None until the room's queue was loaded.
        self._queues: dict[int, dict[int, QueueEntry]] | None = None

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
        """The nicknames of those whose piece it is (paid or held), first buyer first."""
        return [o.nickname for o in self.orders(flashbuy_id) if o.status in TAKEN]

    def missing_buyers(self) -> list[int]:
        """Known flash-buys with more pieces taken than the taken orders known for them."""
        return [
            fid
            for fid, fb in self._flashbuys.items()
            if sum(o.status in TAKEN for o in self._orders.get(fid, {}).values()) < fb.sold
        ]

    def queue(self, flashbuy_id: int) -> list[QueueEntry]:
        """The viewers waiting for a piece of ``flashbuy_id`` to come back, first come first."""
        entries = (self._queues or {}).get(flashbuy_id, {})
        return sorted(entries.values(), key=lambda e: (aware(e.joined_at), e.position))

    def waiting(self, flashbuy_id: int) -> int:
        """How many wait for ``flashbuy_id``: the queue as followed here once it was loaded,
        else the platform's count on the flash-buy."""
        if self._queues is not None:
            return len(self._queues.get(flashbuy_id, {}))
        fb = self._flashbuys.get(flashbuy_id)
        return fb.waiting if fb is not None else 0

    def waiting_pieces(self) -> list[FlashBuy]:
        """Active flash-buys with a piece that came back and is free now (an order of theirs
        expired or was cancelled, and not every piece is taken): pieces the seller may hand
        to a viewer of their choice. Newest first."""
        return [
            fb
            for fb in self.flashbuys()
            if fb.status is FlashBuyStatus.ACTIVE
            and fb.sold < fb.stock
            and any(o.status in CAME_BACK for o in self._orders.get(fb.id, {}).values())
        ]

    def held_orders(self) -> list[Order]:
        """Every held order of the known flash-buys (their countdowns run)."""
        return [
            o
            for fid, orders in self._orders.items()
            if fid in self._flashbuys
            for o in orders.values()
            if o.status is OrderStatus.HELD
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
        if self._queues is not None:
            # A piece given to a waiting viewer: they no longer wait for it.
            self._queues.get(order.flashbuy_id, {}).pop(order.viewer_id, None)
        return Outcome.CHANGED if order.flashbuy_id in self._flashbuys else Outcome.HELD

    def load_queue(self, entries: Iterable[QueueEntry]) -> set[int]:
        """Know exactly the room's queue of a full load; the flash-buy ids whose queue changed."""
        before = self._queues or {}
        fresh: dict[int, dict[int, QueueEntry]] = {}
        for entry in entries:
            if not self._served(entry):
                fresh.setdefault(entry.flashbuy_id, {})[entry.viewer_id] = entry
        self._queues = fresh
        return {
            fid
            for fid in before.keys() | fresh.keys()
            if before.get(fid, {}).keys() != fresh.get(fid, {}).keys()
        }

    def joined(self, entry: QueueEntry) -> Outcome:
        """A viewer joined a flash-buy's queue (``queue.joined``)."""
        queues = self._queues if self._queues is not None else {}
        self._queues = queues
        known = queues.get(entry.flashbuy_id, {}).get(entry.viewer_id)
        if known == entry or self._served(entry):
            return Outcome.IGNORED
        queues.setdefault(entry.flashbuy_id, {})[entry.viewer_id] = entry
        return Outcome.CHANGED if entry.flashbuy_id in self._flashbuys else Outcome.HELD

    def left(self, entry: QueueEntry) -> Outcome:
        """A viewer left a flash-buy's queue (``queue.left``: gone, given a piece, or the
        flash-buy ended)."""
        queue = (self._queues or {}).get(entry.flashbuy_id, {})
        if queue.pop(entry.viewer_id, None) is None:
            return Outcome.IGNORED
        return Outcome.CHANGED if entry.flashbuy_id in self._flashbuys else Outcome.HELD

    # --- inside -------------------------------------------------------------------------------

    def _served(self, entry: QueueEntry) -> bool:
        """Whether the viewer of ``entry`` was given an order of that flash-buy after joining
        (an entry read before the order, arriving late)."""
        joined = aware(entry.joined_at)
        return any(
            o.viewer_id == entry.viewer_id and aware(o.created_at) >= joined
            for o in self._orders.get(entry.flashbuy_id, {}).values()
        )

    def _with_held(self, fb: FlashBuy) -> FlashBuy:
        """``fb`` with the progress held for it, if that is newer."""
        held = self._held.pop(fb.id, None)
        return fb if held is None else progressed(fb, held)
