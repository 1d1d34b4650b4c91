"""The platform's time, as the console can tell it from the answers it gets (no Qt).

A held order must be paid by its ``pay_until``, a time on the platform's clock. The seller's
PC may be minutes off (no network time, a wrong zone set by hand), and a countdown read off it
would then tell the seller a buyer has time left when the order has already expired, or the
reverse. Every HTTP answer carries the platform's time in its ``Date`` header (whole seconds,
RFC 9110), so the console keeps the difference between the two clocks: the median of the
latest few answers, each taken at the middle of its round trip and at the end of the second
the header names, so that one slow answer does not move the countdown and it never shows more
time than there is (at most about a second less).
"""

import statistics
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

KEPT = 15  # answers the median is taken over
# The header says whole seconds: the platform's time was somewhere in the second it names.
# Taking its end errs towards less time left on a countdown, never more: a seller is never
# told a buyer still has a second the platform has already taken away.
WHOLE_SECOND = timedelta(seconds=1)


def utc_now() -> datetime:
    """This machine's clock, in UTC."""
    return datetime.now(UTC)


def header_time(value: str | None) -> datetime | None:
    """The time a ``Date`` header states, in UTC; None when it is absent or unreadable."""
    if not value:
        return None
    try:
        stated = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if stated.tzinfo is None:
        return None  # "-0000": the sender did not know its zone
    return stated.astimezone(UTC)


class ServerClock:
    """This machine's clock corrected to the platform's; safe to use from any thread."""

    def __init__(self, local: Callable[[], datetime] = utc_now) -> None:
        self.local = local
        self._offsets: deque[float] = deque(maxlen=KEPT)
        self._offset = 0.0
        self._lock = threading.Lock()

    def observe(self, date_header: str | None, sent: datetime, received: datetime) -> None:
        """Take an answer's ``Date``, for a request sent and answered at these local times."""
        stated = header_time(date_header)
        if stated is None or received < sent:
            return
        middle = sent + (received - sent) / 2
        offset = (stated + WHOLE_SECOND - middle).total_seconds()
        with self._lock:
            self._offsets.append(offset)
            self._offset = statistics.median(self._offsets)

    @property
    def offset(self) -> timedelta:
        """How far the platform's clock is ahead of this machine's (behind: negative)."""
        with self._lock:
            return timedelta(seconds=self._offset)

    def now(self) -> datetime:
        """The platform's time now, as well as the answers so far tell it."""
        return self.local() + self.offset
