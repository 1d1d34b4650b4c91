"""Where the console's own windows are and were, so a capture never photographs them.

The capture grabs whatever lies inside the frame, the console's own windows included. On
Windows and macOS the windows are also excluded from capture by the system; on X11 nothing
can do that, so this record is the guarantee: the GUI thread writes each window's
rectangle (physical pixels) with the time it got there, the capture worker asks whether a
window could have been over the region at any moment of a grab, and a frame for which the
answer is yes is not used.

Times are ``time.monotonic()``. The record is deliberately pessimistic: the window system
maps, moves and unmaps a window a little after Qt says so (a window manager may also place
it elsewhere first), so a rectangle counts from :data:`LINGER_S` before Qt reported it
(but never from before the window was shown) until :data:`LINGER_S` after Qt reported it
gone or moved.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flashbuy_desktop.capture.types import CaptureError, Region

LINGER_S = 0.25  # how long a window may still be (or already be) where Qt says it is not
FORGET_S = 30.0  # past stays are kept this long (far longer than any capture takes)

COVERED = (
    "控制台的窗口挡住了捕获框，这张图不能用；请把窗口移开，移开后会自动重拍"
    " (a console window covers the capture frame; move it away and the picture is retaken)"
)


class CoveredError(CaptureError):
    """Every frame of a burst was grabbed while one of the console's windows was over it."""

    def __init__(self, message: str = COVERED) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class _Stay:
    """One window at one rectangle, from ``since`` until ``until`` (None: still there)."""

    region: Region
    since: float
    until: float | None


def overlaps(a: Region, b: Region) -> bool:
    """Whether two regions share at least one pixel."""
    return (
        a.left < b.left + b.width
        and b.left < a.left + a.width
        and a.top < b.top + b.height
        and b.top < a.top + a.height
    )


class Occluders:
    """A thread-safe record of the console's windows: written on the GUI thread, read anywhere."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        others: Callable[[], list[Region]] | None = None,
    ) -> None:
        self._clock = clock
        # Where another console's windows are now (a second console on the same desktop,
        # which this record does not see being shown): asked at each question.
        self._others = others
        self._lock = threading.Lock()
        self._current: dict[int, _Stay] = {}  # window key -> where it is now
        self._past: list[_Stay] = []
        self._shown: dict[int, float] = {}  # window key -> when it was shown

    def place(self, window: int, region: Region | None) -> None:
        """Window ``window`` is now shown at ``region`` (None: hidden or gone)."""
        now = self._clock()
        with self._lock:
            old = self._current.pop(window, None)
            if old is not None and region == old.region:
                self._current[window] = old
                return
            if old is not None:
                self._past.append(_Stay(old.region, old.since, now + LINGER_S))
            if region is None:
                self._shown.pop(window, None)
            else:
                # Newly shown: not on screen before Qt showed it. Moved: perhaps already
                # there a little before Qt heard of it, but not before it was shown.
                shown = self._shown.setdefault(window, now)
                self._current[window] = _Stay(region, max(shown, now - LINGER_S), None)
            self._past = [s for s in self._past if s.until is not None and s.until > now - FORGET_S]

    def covers(self, region: Region, start: float, end: float) -> bool:
        """Whether any window may have been over ``region`` at some moment from start to end."""
        with self._lock:
            stays = [*self._current.values(), *self._past]
        if self._others is not None and any(overlaps(o, region) for o in self._others()):
            return True
        return any(
            overlaps(stay.region, region)
            and stay.since <= end
            and (stay.until is None or stay.until >= start)
            for stay in stays
        )

    def covering_now(self, region: Region) -> bool:
        """Whether a window is over ``region`` now or was within the last :data:`LINGER_S`."""
        now = self._clock()
        return self.covers(region, now, now)

    def clear_in(self) -> float:
        """Seconds until every window that left lingers no more (0: nothing lingers)."""
        now = self._clock()
        with self._lock:
            ends = [s.until for s in self._past if s.until is not None and s.until > now]
        return max(ends, default=now) - now
