"""Digits and marks drawn stroke by stroke, like a marker or a pen on a card.

Each glyph is a few polylines in a unit box (x to the right, y down, 0..1 of the glyph's
height; its width is given per glyph). Every time it is drawn, each stroke is moved and
bent a little, the whole glyph slanted and stretched, curves smoothed (Chaikin), and the
strokes drawn anti-aliased with cv2 at a thickness of the writer's pen, so no two "3"s
are the same and none is a font's.
"""

import math

import cv2
import numpy as np
import numpy.typing as npt

Stroke = tuple[tuple[float, float], ...]


def _ellipse(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> Stroke:
    """Points along an ellipse's arc, angles in degrees (0 = right, 90 = down)."""
    steps = max(4, round(abs(end - start) / 20))
    return tuple(
        (cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
        for a in np.linspace(start, end, steps + 1)
    )


# char: (width as a share of the height, smooth the strokes?, strokes)
GLYPHS: dict[str, tuple[float, bool, tuple[Stroke, ...]]] = {
    "0": (0.62, False, (_ellipse(0.5, 0.5, 0.4, 0.5, -100, 265),)),
    "1": (0.4, False, (((0.2, 0.22), (0.55, 0.0), (0.55, 1.0)),)),
    "2": (
        0.6,
        True,
        (
            (
                (0.08, 0.25),
                (0.25, 0.03),
                (0.65, 0.0),
                (0.9, 0.22),
                (0.78, 0.5),
                (0.08, 1.0),
                (0.95, 0.98),
            ),
        ),
    ),
    "3": (
        0.6,
        True,
        (
            (
                (0.1, 0.12),
                (0.45, 0.0),
                (0.85, 0.15),
                (0.78, 0.4),
                (0.38, 0.5),
                (0.85, 0.6),
                (0.9, 0.85),
                (0.5, 1.0),
                (0.08, 0.9),
            ),
        ),
    ),
    "4": (0.66, False, (((0.62, 1.0), (0.62, 0.0), (0.02, 0.7), (0.98, 0.7)),)),
    "5": (
        0.6,
        True,
        (
            ((0.88, 0.02), (0.25, 0.02)),
            (
                (0.25, 0.02),
                (0.18, 0.45),
                (0.55, 0.38),
                (0.88, 0.55),
                (0.85, 0.88),
                (0.45, 1.0),
                (0.08, 0.88),
            ),
        ),
    ),
    "6": (
        0.6,
        True,
        (
            (
                (0.8, 0.03),
                (0.45, 0.12),
                (0.15, 0.5),
                (0.15, 0.85),
                (0.45, 1.0),
                (0.82, 0.85),
                (0.82, 0.6),
                (0.5, 0.47),
                (0.18, 0.62),
            ),
        ),
    ),
    "7": (0.6, False, (((0.03, 0.03), (0.97, 0.03), (0.38, 1.0)),)),
    "8": (
        0.6,
        True,
        (
            (
                (0.5, 0.48),
                (0.15, 0.28),
                (0.3, 0.02),
                (0.72, 0.02),
                (0.85, 0.26),
                (0.5, 0.48),
                (0.12, 0.72),
                (0.3, 0.99),
                (0.72, 0.99),
                (0.88, 0.72),
                (0.5, 0.48),
            ),
        ),
    ),
    "9": (
        0.6,
        True,
        (
            ((0.85, 0.3), (0.55, 0.02), (0.18, 0.12), (0.15, 0.4), (0.45, 0.52), (0.85, 0.32)),
            ((0.85, 0.15), (0.8, 0.6), (0.62, 1.0)),
        ),
    ),
    "¥": (
        0.66,
        False,
        (
            ((0.05, 0.0), (0.5, 0.48)),
            ((0.95, 0.0), (0.5, 0.48), (0.5, 1.0)),
            ((0.15, 0.55), (0.85, 0.55)),
            ((0.15, 0.76), (0.85, 0.76)),
        ),
    ),
    "#": (
        0.7,
        False,
        (
            ((0.38, 0.05), (0.26, 0.95)),
            ((0.74, 0.05), (0.62, 0.95)),
            ((0.06, 0.33), (0.96, 0.33)),
            ((0.02, 0.67), (0.92, 0.67)),
        ),
    ),
    ".": (0.25, False, (((0.45, 0.93), (0.5, 0.96)),)),
    ",": (0.25, False, (((0.5, 0.86), (0.32, 1.12)),)),
    "k": (
        0.52,
        False,
        (((0.15, 0.0), (0.15, 1.0)), ((0.8, 0.4), (0.18, 0.74)), ((0.38, 0.62), (0.85, 1.0))),
    ),
    "K": (
        0.62,
        False,
        (((0.12, 0.0), (0.12, 1.0)), ((0.9, 0.0), (0.15, 0.62)), ((0.38, 0.45), (0.92, 1.0))),
    ),
}


def _chaikin(points: npt.NDArray[np.float64], rounds: int = 2) -> npt.NDArray[np.float64]:
    """The polyline with its corners cut ``rounds`` times (end points kept)."""
    for _ in range(rounds):
        if len(points) < 3:
            return points
        q = 0.75 * points[:-1] + 0.25 * points[1:]
        r = 0.25 * points[:-1] + 0.75 * points[1:]
        middle = np.empty((2 * len(q), 2))
        middle[0::2], middle[1::2] = q, r
        points = np.vstack([points[:1], middle[1:-1], points[-1:]])
    return points


def advance(char: str, height: float) -> float:
    """How far the pen moves right after ``char``, in pixels."""
    return GLYPHS[char][0] * height


def draw_glyph(
    mask: npt.NDArray[np.uint8],
    char: str,
    x: float,
    baseline: float,
    height: float,
    thickness: float,
    slant: float,
    rng: np.random.Generator,
) -> None:
    """Draw ``char`` on ``mask`` (255 = ink), its box's left at ``x``, bottom at ``baseline``."""
    width, smooth, strokes = GLYPHS[char]
    stretch = rng.uniform(0.85, 1.12)
    wobble = rng.uniform(0.015, 0.035)
    for stroke in strokes:
        points = np.array(stroke, dtype=np.float64)
        points += rng.normal(0.0, 0.02, size=2)  # the whole stroke a little off
        points += rng.normal(0.0, wobble, size=points.shape)
        if smooth:
            points = _chaikin(points)
        px = x + (points[:, 0] * width * stretch + slant * (1.0 - points[:, 1])) * height
        py = baseline - (1.0 - points[:, 1]) * height
        pen = max(1, round(thickness * rng.uniform(0.85, 1.15)))
        if char in ".,":
            pen = max(pen, round(thickness * 1.4))
        fixed = np.round(np.stack([px, py], axis=1) * 16).astype(np.int32)  # 4 bits of subpixel
        cv2.polylines(mask, [fixed], False, 255, pen, cv2.LINE_AA, shift=4)
