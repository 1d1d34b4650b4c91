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
