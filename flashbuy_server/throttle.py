"""Floods of joins and comments: token buckets in this process's memory.

A flood is not guessing: nothing is learned by the requests it lets through, so an
exact count across processes is not needed, and a bucket in memory costs no database
write per request. Behind a load balancer of N processes a client that spreads its
requests gets up to N times these limits; each process still protects its own share.

- joins per client address (``join_*_per_address``) and per room (``join_*_per_room``:
  the room's row lock is what purchases in that room wait on);
- comments per viewer (``comment_*_per_viewer``).

A refused request answers ``RATE_LIMITED`` (429) with ``details.retry_after_seconds`` and
``details.limit`` (``address``, ``room`` or ``viewer``), takes nothing from any bucket and
writes nothing. :func:`retry_after_header` gives every 429 its ``Retry-After`` header.

The client address is what the ASGI server says (``request.client.host``): behind a proxy,
uvicorn's proxy-header settings (``--forwarded-allow-ips``) decide whether that is the
proxy or the address it forwarded. IPv6 addresses count by their /64, which one customer
usually holds whole.
"""

import ipaddress
import math
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from typing import Annotated

from fastapi import Depends, Request

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.config import Settings
from flashbuy_server.deps import PathId, Principal, ViewerDep
from flashbuy_server.errors import ApiError

KEYS_KEPT = 100_000  # buckets kept per limit before full ones are dropped
# A rehearsal audience joins from the platform's own address, a thousand viewers in about
# ten seconds: these let it in at that pace (flashbuy-server --demo --audience N).
REHEARSAL_JOIN_RATE = 500.0
REHEARSAL_VIEWERS_MAX = 5_000  # the most an audience simulates


@dataclass
class Buckets:
    """Token buckets by key: each holds up to ``burst`` and refills at ``rate`` per second."""

    burst: int
    rate: float
    _held: dict[Hashable, tuple[float, float]] = field(default_factory=dict)  # tokens, at

    def wait(self, key: Hashable, now: float) -> float:
        """Seconds until ``key`` has a token (0: it has one now)."""
        tokens = self._tokens(key, now)
        if tokens >= 1:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1 - tokens) / self.rate

    def take(self, key: Hashable, now: float) -> None:
        """Use one of ``key``'s tokens (after :meth:`wait` said 0)."""
        self._held[key] = (self._tokens(key, now) - 1, now)
        if len(self._held) > KEYS_KEPT:
            self._forget_full(now)

    def _tokens(self, key: Hashable, now: float) -> float:
        held = self._held.get(key)
        if held is None:
            return float(self.burst)
        tokens, at = held
        # A clock that stepped back refills nothing rather than taking tokens away.
        return min(float(self.burst), tokens + max(0.0, now - at) * self.rate)

    def _forget_full(self, now: float) -> None:
        # A full bucket is the same as none. If the flood itself is what fills the
        # dictionary, keep the newest half: the keys still sending.
        self._held = {k: v for k, v in self._held.items() if self._tokens(k, now) < self.burst}
        if len(self._held) > KEYS_KEPT // 2:
            newest = sorted(self._held.items(), key=lambda kv: kv[1][1])[-(KEYS_KEPT // 2) :]
            self._held = dict(newest)


class Limiter:
    """One platform app's buckets; a request takes from all it needs, or from none."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.joins_by_address = Buckets(
            settings.join_burst_per_address, settings.join_rate_per_address
        )
        self.joins_by_room = Buckets(settings.join_burst_per_room, settings.join_rate_per_room)
        self.comments_by_viewer = Buckets(
            settings.comment_burst_per_viewer, settings.comment_rate_per_viewer
        )
        self._lock = threading.Lock()

    def take(self, *wanted: tuple[str, Buckets, Hashable]) -> None:
        """One token from each named bucket, or :func:`rate_limited` for the longest wait."""
        now = self.settings.clock().timestamp()
        with self._lock:
            waits = [(buckets.wait(key, now), name) for name, buckets, key in wanted]
            longest, name = max(waits)
            if longest > 0:
                raise rate_limited(name, longest)
            for _name, buckets, key in wanted:
                buckets.take(key, now)


_limiters_lock = threading.Lock()


def limiter_of(request: Request) -> Limiter:
    """The limiter of the app serving ``request`` (made on first use)."""
    state = request.app.state
    limiter: Limiter | None = getattr(state, "throttle", None)
    if limiter is None:
        with _limiters_lock:
            limiter = getattr(state, "throttle", None)
            if limiter is None:
                limiter = Limiter(state.settings)
                state.throttle = limiter
    return limiter


def client_address(request: Request) -> str:
    """Who is calling, as counted: the address, an IPv6 one by its /64."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def rate_limited(limit: str, wait_seconds: float) -> ApiError:
    """The refusal of a request over the ``limit`` (address, room, viewer) for a while."""
    seconds = max(1, math.ceil(min(wait_seconds, 24 * 3600)))
    return ApiError(
        ErrorCode.RATE_LIMITED,
        f"too many requests per {limit}; try again in {seconds} s",
        limit=limit,
        retry_after_seconds=seconds,
    )


def retry_after_header(error: ApiError) -> dict[str, str] | None:
    """``Retry-After`` for a 429 that says how long to wait (RFC 9110: whole seconds)."""
    seconds = error.details.get("retry_after_seconds")
    if error.status != 429 or not isinstance(seconds, int):
        return None
    return {"Retry-After": str(seconds)}


def join_slot(request: Request, room_id: PathId) -> None:
    """A join may go ahead: the address and the room each have a token left."""
    limiter = limiter_of(request)
    limiter.take(
        ("address", limiter.joins_by_address, client_address(request)),
        ("room", limiter.joins_by_room, room_id),
    )


def comment_slot(request: Request, me: ViewerDep) -> Principal:
    """A comment may go ahead: the viewer has a token left. The viewer, for the route."""
    limiter = limiter_of(request)
    limiter.take(("viewer", limiter.comments_by_viewer, me.id))
    return me


def rehearsal_settings(settings: Settings, viewers: int = REHEARSAL_VIEWERS_MAX) -> Settings:
    """``settings`` letting a rehearsal audience of ``viewers`` in from one address at the
    pace of a crowd; every other limit stays."""
    return replace(
        settings,
        join_burst_per_address=max(settings.join_burst_per_address, viewers),
        join_rate_per_address=max(settings.join_rate_per_address, REHEARSAL_JOIN_RATE),
        join_burst_per_room=max(settings.join_burst_per_room, viewers),
        join_rate_per_room=max(settings.join_rate_per_room, REHEARSAL_JOIN_RATE),
    )


# For the join and comment routes: ``_slot: JoinSlot``, ``_slot: CommentSlot``.
JoinSlot = Annotated[None, Depends(join_slot)]
CommentSlot = Annotated[Principal, Depends(comment_slot)]
