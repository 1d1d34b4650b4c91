"""What a rehearsal audience is asked to do (:class:`AudienceConfig`), what it did
(:class:`AudienceStats`), and the pace it keeps with the platform."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Requests under way at once on the shared connection pool (joins, comments, purchases,
# leaves); each viewer's event stream has a connection of its own besides.
CALLS_AT_ONCE = 32
# Joins in flight at once: the platform takes them one transaction at a time anyway, and
# a queue of hundreds would hold up the seller's own requests behind it.
JOINS_AT_ONCE = 8
# Above this rate the chatter posts each moment's comments in one batch, through
# ``post_comments`` when the embedder gives one: one Python process cannot post thousands
# of requests a second, each with its own authentication, idempotency and transaction.
HTTP_COMMENT_RATE = 20.0
TICK_SECONDS = 0.05  # a flood is posted in batches this often
FOLLOW_POLL_SECONDS = 0.25  # after a live ended: how often to look for the next one
INVITED_KEPT = 10_000  # the newest invitations kept in ``Audience.invited``
# The sale after the click (flashbuy_server.rehearsal.buyers): buyers' steps waiting for
# their moment, at most this many (an order beyond them is left unpaid, and counted);
# how often their moments are looked at; how often one step is tried when the platform is
# busy or away, and the first pause before trying again (doubling each time).
SALE_STEPS_MOST = 5_000
SALE_TICK_SECONDS = 0.1
SALE_TRIES = 5
SALE_RETRY_SECONDS = 1.0
ORDERS_KEPT = 10_000  # orders already taken care of, remembered (both the 201 and its event)
FLASHBUYS_KEPT = 1_000  # flash-buys whose sold-out and back-on-sale moments are remembered
SHARE_FIELDS = ("late_share", "never_share", "cancel_share")
SECONDS_MOST = 600.0  # no buyer step is planned further than this from its moment

# ``post_comments(room_id, [(viewer_id, text), ...])``: stores the comments, returns how many.
PostComments = Callable[[int, Sequence[tuple[int, str]]], int]
# ``next_live(ended_room_id)``: the room of the creator's live now, or None while there is none.
NextLive = Callable[[int], int | None]


@dataclass(frozen=True)
class AudienceConfig:
    """What the audience does; ``comment_rate`` is comments per second for the whole room.

    ``buyers_per_offer``, if set, caps how many viewers (on average) try to buy one offer to
    every viewer: with a thousand viewers, ``buy_probability`` alone would send hundreds of
    purchases at one unique piece. A targeted offer's viewer buys with ``buy_probability``.
    ``leave_on_stop``: whether the viewers leave the room when the audience stops.
    ``stop_grace``: how long requests under way may take to finish at the stop, so that the
    stats say what the platform did (default: ``request_timeout``).

    After the click (an order held for the viewer, by its purchase or from the queue): a
    buyer pays late with ``late_share``, never with ``never_share``, cancels with
    ``cancel_share``, and pays within ``pay_seconds`` otherwise (the shares add up to at most
    1). A fast payer pays, and a canceller cancels, ``pay_seconds`` / ``cancel_seconds``
    after the order, within its window at the latest; a late payer pays ``late_seconds``
    after the window ran out. A viewer that sees an offer sold out while some of its pieces
    are only held joins the queue (候补) with ``queue_share`` (capped like a purchase by
    ``buyers_per_offer``). With a 1-minute window the defaults show every state of an order
    within about a minute.
    """

    server: str
    room_id: int
    viewers: int = 20
    comment_rate: float = 2.0
    buy_probability: float = 0.3
    reaction_seconds: tuple[float, float] = (0.2, 2.0)
    seed: int | None = None
    request_timeout: float = 10.0
    buyers_per_offer: float | None = None
    leave_on_stop: bool = True
    stop_grace: float | None = None
    late_share: float = 0.1
    never_share: float = 0.2
    cancel_share: float = 0.05
    queue_share: float = 0.3
    pay_seconds: tuple[float, float] = (2.0, 8.0)
    cancel_seconds: tuple[float, float] = (3.0, 15.0)
    late_seconds: tuple[float, float] = (2.0, 10.0)

    @property
    def pay_share(self) -> float:
        """The share of buyers that pay within seconds: what the other shares leave."""
        return max(0.0, 1.0 - self.late_share - self.never_share - self.cancel_share)

    def __post_init__(self) -> None:
        if not self.server.startswith(("http://", "https://")):
            raise ValueError(
                f"the server address must start with http:// or https://: {self.server!r}"
            )
        if self.room_id < 1:
            raise ValueError("the room id is a whole number from 1")
        if not 0 <= self.viewers <= 5_000:
            raise ValueError("viewers must be between 0 and 5000")
        if not 0 <= self.comment_rate <= 10_000:
            raise ValueError("the comment rate must be between 0 and 10000 per second")
        if not 0 <= self.buy_probability <= 1:
            raise ValueError("the buy probability must be between 0 and 1")
        low, high = self.reaction_seconds
        if not 0 <= low <= high:
            raise ValueError("the reaction time range must be 0 <= low <= high")
        if self.buyers_per_offer is not None and self.buyers_per_offer < 0:
            raise ValueError("the buyers per offer must be 0 or more")
        if self.stop_grace is not None and self.stop_grace < 0:
            raise ValueError("the stop grace must be 0 seconds or more")
        for name in (*SHARE_FIELDS, "queue_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"the {name.replace('_', ' ')} must be between 0 and 1")
        if sum(getattr(self, name) for name in SHARE_FIELDS) > 1 + 1e-9:
            raise ValueError("the late, never and cancel shares must add up to at most 1")
        for name in ("pay_seconds", "cancel_seconds", "late_seconds"):
            low, high = getattr(self, name)
            if not 0 <= low <= high <= SECONDS_MOST:
                raise ValueError(
                    f"the {name.replace('_', ' ')} range must be 0 <= low <= high <= "
                    f"{SECONDS_MOST:g}"
                )


@dataclass
class AudienceStats:
    """What the audience did so far (``joined`` counts every join, in every live)."""

    joined: int = 0
    comments: int = 0
    invitations: int = 0
    attempts: int = 0
    orders: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    # comments not sent: the platform was still busy with earlier ones, or said 429 (too
    # fast for one viewer)
    skipped: int = 0
    # streams refused as resuming beyond the room's newest event (a restored platform),
    # after which the viewer read its offers afresh
    resyncs: int = 0
    # After the click. ``queued``: purchases answered with a place in the queue (202), of
    # them ``queued_on_purpose`` asked for one on a sold-out offer; ``handed``: orders the
    # queue (or the seller) gave a viewer; ``habits``: how buyers chose to treat their orders;
    # ``checkouts`` / ``payments`` / ``cancels``: what the platform and the provider took;
    # ``sale_refused``: checkouts, payments and cancels the platform refused, by error code
    # (ORDER_NOT_HELD: too late); ``closed``: the audience's orders as their buyers were told
    # they ended (paid, expired, cancelled); ``dropped``: buyer steps not taken (the agenda
    # was full, the audience stopped before their moment, or the platform was restored).
    queued: int = 0
    queued_on_purpose: int = 0
    handed: int = 0
    habits: dict[str, int] = field(default_factory=dict)
    checkouts: int = 0
    payments: int = 0
    cancels: int = 0
    sale_refused: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)
    dropped: int = 0
