"""Where a logical (Qt) rectangle lies in physical (mss) pixels, across screens and scales.

Pure and Qt-free, so multi-monitor layouts can be tested as tables (Xvfb shows Qt one
screen only).

The model, as Qt 6's high-DPI scaling implements it (``QHighDpiScaling::scaleAndOrigin``
and ``QHighDpi::fromNativeScreenGeometry``) on X11 and on Windows (per-monitor DPI aware):

* each screen keeps its **native top-left as its logical top-left**: a screen whose
  physical pixels start at (1920, 0) is reported by ``QScreen.geometry()`` at (1920, 0)
  whatever its scale; only its **size** is divided by its scale (devicePixelRatio);
* a point inside a screen maps around that screen's origin:
  ``physical = origin + (logical - origin) * scale``.

So logical screens of different scales may leave gaps (or overlap) in logical space;
that is why a rectangle is mapped through one screen, the one holding its centre.
mss reports the same physical virtual-desktop coordinates as the native ones (X11 root
window pixels, Windows virtual-screen pixels), so the result is an mss region.
(macOS reports native coordinates in points, not pixels; it is not modelled here.)
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flashbuy_desktop.capture.types import CaptureError, Region

LogicalRect = tuple[int, int, int, int]  # x, y, width, height in Qt's logical pixels


OFF_SCREEN = "捕获框不在任何屏幕上 (the capture frame is off every screen)"


class OffScreenError(CaptureError):
    """The capture frame lies on no screen at all."""

    def __init__(self, message: str = OFF_SCREEN) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class ScreenInfo:
    """A screen as Qt reports it: logical geometry and devicePixelRatio."""

    name: str
    x: int
    y: int
    width: int
    height: int
    scale: float

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"a screen has a positive size, not {self.width}x{self.height}")
        if not self.scale > 0:
            raise ValueError(f"a screen's scale is positive, not {self.scale}")

    def physical(self) -> Region:
        """This screen's pixels on the physical virtual desktop.

        Qt rounds a fractionally scaled screen's logical size (2560 / 1.5 = 1706.7 is
        reported as 1707), so logical size times scale can overshoot the real pixels by
        less than a pixel; rounding down never reaches past the screen (where an X11 grab
        would fail), at worst leaving out its last row or column.
        """
        return Region(
            self.x,
            self.y,
            max(1, math.floor(_snap(self.width * self.scale))),
            max(1, math.floor(_snap(self.height * self.scale))),
        )


def physical_layout(screens: Sequence[ScreenInfo]) -> list[tuple[ScreenInfo, Region]]:
    """Each screen with the physical region it covers (origin kept, size times scale)."""
    return [(screen, screen.physical()) for screen in screens]


def to_physical(rect: LogicalRect, screens: Sequence[ScreenInfo]) -> Region:
    """Map a logical rectangle to physical pixels through the screen it lies on.

    The screen is the one holding the rectangle's centre or, when the centre is on no
    screen, the one it overlaps most. The rectangle is clipped to that screen, then
    mapped with outward rounding (left/top down, right/bottom up) so no covered pixel
    is lost. Raises :class:`OffScreenError` when it overlaps no screen.
    """
    x, y, w, h = rect
    if w <= 0 or h <= 0:
        raise CaptureError(f"捕获框大小无效 (the capture frame has no size: {w}x{h})")
    screen = _screen_for(rect, screens)
    if screen is None:
        raise OffScreenError()
    # Clip in logical space to the chosen screen.
    left = max(x, screen.x)
    top = max(y, screen.y)
    right = min(x + w, screen.x + screen.width)
    bottom = min(y + h, screen.y + screen.height)
    if right <= left or bottom <= top:  # pragma: no cover - _screen_for ensured overlap
        raise OffScreenError()
    phys = screen.physical()
    p_left = math.floor(_snap(screen.x + (left - screen.x) * screen.scale))
    p_top = math.floor(_snap(screen.y + (top - screen.y) * screen.scale))
    p_right = math.ceil(_snap(screen.x + (right - screen.x) * screen.scale))
    p_bottom = math.ceil(_snap(screen.y + (bottom - screen.y) * screen.scale))
    # Outward rounding never leaves the screen's own pixels.
    p_left = max(p_left, phys.left)
    p_top = max(p_top, phys.top)
    p_right = min(p_right, phys.left + phys.width)
    p_bottom = min(p_bottom, phys.top + phys.height)
    return Region(p_left, p_top, p_right - p_left, p_bottom - p_top)


def _screen_for(rect: LogicalRect, screens: Sequence[ScreenInfo]) -> ScreenInfo | None:
    x, y, w, h = rect
    cx, cy = x + w / 2, y + h / 2
    for screen in screens:
        if screen.x <= cx < screen.x + screen.width and screen.y <= cy < screen.y + screen.height:
            return screen
    best: ScreenInfo | None = None
    best_area = 0
    for screen in screens:
        overlap_w = min(x + w, screen.x + screen.width) - max(x, screen.x)
        overlap_h = min(y + h, screen.y + screen.height) - max(y, screen.y)
        area = max(0, overlap_w) * max(0, overlap_h)
        if area > best_area:
            best, best_area = screen, area
    return best


def _snap(value: float) -> float:
    """Absorb float noise (1.1 * 3 = 3.3000000000000003) before floor/ceil."""
    return round(value, 6)
