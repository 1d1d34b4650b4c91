"""Keeping a window on the screen: the size that fits, and a place wholly inside.

Qt-free, on plain (x, y, width, height) tuples in logical pixels, so the rules are tested
without a screen: a 1280x800 window on a 960x540 screen (1920x1080 at 200%) must shrink
to what the screen can show, and no window may hang off the bottom or a side.
"""

Rect = tuple[int, int, int, int]  # x, y, width, height

# Room for the window manager's title bar and borders, before the window is shown and
# they can be measured (a generous guess: an unscaled title bar is about 30 pixels).
FRAME_ALLOWANCE = (16, 48)


def fitted_size(
    wanted: tuple[int, int],
    available: Rect,
    frame: tuple[int, int] = FRAME_ALLOWANCE,
    minimum: tuple[int, int] = (0, 0),
) -> tuple[int, int]:
    """``wanted``, shrunk so it fits ``available`` with its window frame (not below ``minimum``)."""
    _x, _y, avail_w, avail_h = available
    width = min(wanted[0], avail_w - frame[0])
    height = min(wanted[1], avail_h - frame[1])
    return max(width, minimum[0]), max(height, minimum[1])


def inside(rect: Rect, available: Rect) -> Rect:
    """``rect`` moved (and, only if it is larger, shrunk) to lie wholly within ``available``."""
    x, y, width, height = rect
    ax, ay, aw, ah = available
    width, height = min(width, aw), min(height, ah)
    x = min(max(x, ax), ax + aw - width)
    y = min(max(y, ay), ay + ah - height)
    return x, y, width, height


def is_inside(rect: Rect, available: Rect) -> bool:
    """Whether ``rect`` lies wholly within ``available``."""
    return inside(rect, available) == rect
