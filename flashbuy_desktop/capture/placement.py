"""Where to put a window so that it never covers another: the capture frame and our windows.

The capture photographs whatever lies inside the frame, so the console places its windows
beside the frame rather than over it, and the frame beside the main window at first start.
Pure and Qt-free: rectangles are logical ``(x, y, width, height)`` tuples.
"""

from collections.abc import Iterable

Rect = tuple[int, int, int, int]  # x, y, width, height (logical pixels)

GAP = 8  # between the window and what it avoids


def intersects(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share at least one pixel."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def inside(a: Rect, area: Rect) -> bool:
    """Whether ``a`` lies wholly inside ``area``."""
    ax, ay, aw, ah = a
    x, y, w, h = area
    return x <= ax and y <= ay and ax + aw <= x + w and ay + ah <= y + h


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def _candidates(size: tuple[int, int], avoid: Rect, area: Rect, near: Rect) -> Iterable[Rect]:
    w, h = size
    ax, ay, aw, ah = avoid
    x0, y0, width, height = area
    # Aligned with ``near``'s centre along the free axis, kept inside the area.
    cx = near[0] + near[2] // 2 - w // 2
    cy = near[1] + near[3] // 2 - h // 2
    along_x = _clamp(cx, x0, x0 + width - w)
    along_y = _clamp(cy, y0, y0 + height - h)
    yield (ax + aw + GAP, along_y, w, h)  # right of it
    yield (ax - GAP - w, along_y, w, h)  # left of it
    yield (along_x, ay + ah + GAP, w, h)  # below it
    yield (along_x, ay - GAP - h, w, h)  # above it
    # Flush with the area's corners: a small screen may leave room only there.
    for corner_x in (x0, x0 + width - w):
        for corner_y in (y0, y0 + height - h):
            yield (corner_x, corner_y, w, h)


def clear_spot(
    size: tuple[int, int], avoid: Rect, area: Rect, near: Rect | None = None
) -> Rect | None:
    """A place for a ``size`` window inside ``area`` that does not touch ``avoid``.

    Of the places that fit, the one whose centre is nearest ``near``'s (the window it
    belongs with; ``avoid`` when None); None when there is no such place.
    """
    target = near or avoid
    tx, ty = target[0] + target[2] / 2, target[1] + target[3] / 2
    grown = (avoid[0] - GAP, avoid[1] - GAP, avoid[2] + 2 * GAP, avoid[3] + 2 * GAP)
    fits = [
        r
        for r in _candidates(size, avoid, area, target)
        if inside(r, area) and not intersects(r, grown)
    ]
    if not fits:
        return None
    return min(fits, key=lambda r: (r[0] + r[2] / 2 - tx) ** 2 + (r[1] + r[3] / 2 - ty) ** 2)


def frame_beside(
    window: Rect, area: Rect, size: tuple[int, int], smallest: tuple[int, int]
) -> Rect:
    """Where the capture frame goes at first start: beside ``window``, never on it.

    The frame keeps ``size`` if it fits beside the window, else shrinks step by step down to
    ``smallest``; on a screen too small even for that, the corner farthest from the window.
    """
    w, h = size
    while True:
        spot = clear_spot((w, h), window, area)
        if spot is not None:
            return spot
        if (w, h) == smallest:
            break
        w, h = max(smallest[0], w * 4 // 5), max(smallest[1], h * 4 // 5)
    x0, y0, width, height = area
    corners = [
        (x0, y0, w, h),
        (x0 + width - w, y0, w, h),
        (x0, y0 + height - h, w, h),
        (x0 + width - w, y0 + height - h, w, h),
    ]
    wx, wy = window[0] + window[2] / 2, window[1] + window[3] / 2
    return max(corners, key=lambda r: (r[0] + r[2] / 2 - wx) ** 2 + (r[1] + r[3] / 2 - wy) ** 2)
