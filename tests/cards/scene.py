"""The stream's picture around the card: cloth, a piece of jade, pearl or amber, the card
held at an angle, a hand, and what a live stream does to a picture (blur, glare, low light,
noise, compression).

All geometry and degradations are cv2/numpy on float32 BGR images; every random choice comes
from the generator passed in.
"""

import math

import cv2
import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.types import Box

Float = npt.NDArray[np.float32]
Image8 = npt.NDArray[np.uint8]
FRAME_W, FRAME_H = 960, 540

CLOTHS = (  # BGR of velvet and linen a seller lays pieces on
    (24, 22, 20),
    (70, 40, 22),
    (30, 28, 80),
    (40, 62, 30),
    (34, 48, 66),
    (55, 55, 58),
    (80, 60, 50),
)
SKIN = ((150, 180, 228), (120, 152, 206), (100, 130, 180), (140, 170, 215))


def _smooth_field(rng: np.random.Generator, h: int, w: int, cells: int) -> Float:
    """Smooth random values around 0 (standard deviation about 1) over an ``h`` x ``w`` image."""
    small = rng.normal(0, 1, (cells, max(2, round(cells * w / h)))).astype(np.float32)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC), np.float32)


def cloth(rng: np.random.Generator) -> Float:
    """The background: a dark cloth with folds and a fine weave."""
    colour = np.array(CLOTHS[int(rng.integers(len(CLOTHS)))], np.float32)
    colour *= rng.uniform(0.8, 1.2)
    frame = np.empty((FRAME_H, FRAME_W, 3), np.float32)
    frame[:] = colour
    folds = 1.0 + 0.18 * _smooth_field(rng, FRAME_H, FRAME_W, 5)
    frame *= folds[:, :, None]
    frame += rng.normal(0, 3, (FRAME_H, FRAME_W, 1)).astype(np.float32)
    return frame


def _shaded_ellipse(
    frame: Float, centre: tuple[float, float], axes: tuple[float, float], angle: float,
    colour: tuple[float, float, float], rng: np.random.Generator, hole: float = 0.0,
) -> None:  # fmt: skip
    """A glossy ellipse (a bead, a cabochon, a bangle if ``hole`` > 0) with a highlight."""
    mask = np.zeros(frame.shape[:2], np.uint8)
    c = (round(centre[0] * 16), round(centre[1] * 16))
    ax = (round(axes[0] * 16), round(axes[1] * 16))
    cv2.ellipse(mask, c, ax, angle, 0, 360, 255, -1, cv2.LINE_AA, shift=4)
    if hole > 0:
        inner = (round(axes[0] * hole * 16), round(axes[1] * hole * 16))
        cv2.ellipse(mask, c, inner, angle, 0, 360, 0, -1, cv2.LINE_AA, shift=4)
    alpha = mask.astype(np.float32)[:, :, None] / 255
    yy, xx = np.mgrid[0 : frame.shape[0], 0 : frame.shape[1]].astype(np.float32)
    reach = max(axes)
    lx, ly = centre[0] - 0.35 * axes[0], centre[1] - 0.35 * axes[1]
    light = np.exp(-((xx - lx) ** 2 + (yy - ly) ** 2) / (2 * (0.6 * reach) ** 2))[:, :, None]
    body = np.array(colour, np.float32) * (0.55 + 0.6 * light)
    spot = np.exp(-((xx - lx) ** 2 + (yy - ly) ** 2) / (2 * (0.12 * reach) ** 2))[:, :, None]
    body = body + 150 * spot * rng.uniform(0.5, 1.0)
    frame[:] = frame * (1 - alpha) + body * alpha


def piece(frame: Float, rng: np.random.Generator, near: tuple[float, float], size: float) -> None:
    """A piece of jewellery centred at ``near``, about ``size`` pixels across."""
    kind = int(rng.integers(5))
    x, y = near
    if kind == 0:  # jade cabochon or pendant
        green = (rng.uniform(40, 90), rng.uniform(130, 190), rng.uniform(30, 80))
        _shaded_ellipse(frame, near, (size * 0.5, size * 0.36), rng.uniform(0, 180), green, rng)
    elif kind == 1:  # jade bangle
        green = (rng.uniform(90, 140), rng.uniform(150, 200), rng.uniform(90, 140))
        _shaded_ellipse(
            frame, near, (size * 0.62, size * 0.5), rng.uniform(0, 180), green, rng, 0.72
        )
    elif kind == 2:  # a strand of pearls
        tone = rng.uniform(190, 235)
        pearl = (tone - rng.uniform(0, 20), tone - rng.uniform(0, 15), tone)
        bead = size * rng.uniform(0.09, 0.13)
        turn = rng.uniform(0, math.pi)
        for n in range(9):
            a = turn + n * 0.33
            cx = x + math.cos(a) * size * 0.55
            cy = y + math.sin(a) * size * 0.4
            _shaded_ellipse(frame, (cx, cy), (bead, bead), 0, pearl, rng)
    elif kind == 3:  # amber or beeswax
        amber = (rng.uniform(10, 40), rng.uniform(90, 140), rng.uniform(180, 230))
        _shaded_ellipse(frame, near, (size * 0.42, size * 0.34), rng.uniform(0, 180), amber, rng)
    else:  # southern red agate beads
        red = (rng.uniform(30, 50), rng.uniform(40, 70), rng.uniform(150, 200))
        for n in range(6):
            a = n * math.pi / 3 + rng.uniform(0, 0.3)
            cx, cy = x + math.cos(a) * size * 0.3, y + math.sin(a) * size * 0.3
            _shaded_ellipse(frame, (cx, cy), (size * 0.16, size * 0.16), 0, red, rng)


def card_corners(
    rng: np.random.Generator, width: int, height: int, tilt: float, skew: float
) -> npt.NDArray[np.float32]:
    """Where the card's corners land in the frame: turned up to ``tilt`` degrees, each corner
    moved up to ``skew`` of the card's size (perspective), somewhere in the frame."""
    angle = math.radians(rng.uniform(-tilt, tilt))
    half = np.array([[-width, -height], [width, -height], [width, height], [-width, height]]) / 2
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    corners = half @ rot.T
    corners += rng.uniform(-skew, skew, (4, 2)) * np.array([width, height])
    span = corners.max(axis=0) - corners.min(axis=0)
    low = -corners.min(axis=0) + 12
    high = np.array([FRAME_W, FRAME_H]) - corners.max(axis=0) - 12
    # the card sits in the middle 70 % of the frame's width when it fits there
    cx = rng.uniform(max(low[0], FRAME_W * 0.15), min(high[0], FRAME_W * 0.85 - span[0] / 2))
    cy = rng.uniform(low[1], high[1])
    return np.asarray(corners + np.array([cx, cy]), np.float32)


def place_card(
    frame: Float, face: Image8, corners: npt.NDArray[np.float32], rng: np.random.Generator
) -> Box:
    """Warp the card face onto the frame at ``corners`` (with a soft shadow); its box."""
    h, w = face.shape[:2]
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners)
    size = (FRAME_W, FRAME_H)
    warped = cv2.warpPerspective(face.astype(np.float32), matrix, size, flags=cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(
        np.full((h, w), 1.0, np.float32), matrix, size, flags=cv2.INTER_LINEAR
    )
    shadow = cv2.GaussianBlur(cover, (0, 0), 6)
    shadow = np.roll(shadow, (4, 5), axis=(0, 1))
    frame *= (1 - 0.45 * shadow * rng.uniform(0.5, 1.0))[:, :, None]
    frame[:] = frame * (1 - cover[:, :, None]) + warped * cover[:, :, None]
    x0, y0 = np.floor(corners.min(axis=0)).astype(int)
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int)
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(FRAME_W, int(x1)), min(FRAME_H, int(y1))
    return Box(x0, y0, x1 - x0, y1 - y0)


def hand(
    frame: Float, rng: np.random.Generator, corners: npt.NDArray[np.float32], reach: float
) -> None:
    """A hand holding the card by one edge: the thumb over the card, reaching ``reach`` of its
    smaller side onto it, the rest of the hand outside the card (fingers behind it)."""
    edge = int(rng.integers(4))
    a, b = corners[edge], corners[(edge + 1) % 4]
    centre = corners.mean(axis=0)
    at = a + (b - a) * rng.uniform(0.25, 0.75)
    inward = centre - at
    inward /= np.linalg.norm(inward) + 1e-6
    tangent = (b - a) / (np.linalg.norm(b - a) + 1e-6)
    side = float(
        min(np.linalg.norm(corners[1] - corners[0]), np.linalg.norm(corners[3] - corners[0]))
    )
    skin = np.array(SKIN[int(rng.integers(len(SKIN)))], np.float32) * rng.uniform(0.9, 1.1)
    mask = np.zeros(frame.shape[:2], np.uint8)
    thumb = side * rng.uniform(0.17, 0.22)  # its width
    lean = tangent * rng.uniform(-0.4, 0.4)
    tip = at + (inward + lean) * side * reach
    root = at - (inward - lean) * side * 0.3
    cv2.line(mask, _px(root), _px(tip), 255, max(3, round(thumb)), cv2.LINE_AA, shift=4)
    palm = at - inward * side * 0.42 + tangent * side * rng.uniform(-0.15, 0.15)
    angle = math.degrees(math.atan2(float(tangent[1]), float(tangent[0])))
    axes = (round(side * rng.uniform(0.5, 0.65) * 16), round(side * rng.uniform(0.28, 0.34) * 16))
    cv2.ellipse(mask, _px(palm), axes, angle, 0, 360, 255, -1, cv2.LINE_AA, shift=4)
    alpha = cv2.GaussianBlur(mask, (0, 0), 1.2).astype(np.float32)[:, :, None] / 255
    shade = 1.0 + 0.08 * _smooth_field(rng, FRAME_H, FRAME_W, 8)[:, :, None]
    frame[:] = frame * (1 - alpha) + skin * shade * alpha


def _px(point: npt.NDArray[np.float32]) -> tuple[int, int]:
    """A point in cv2's 4-bit subpixel form."""
    return round(float(point[0]) * 16), round(float(point[1]) * 16)


# --- what the camera and the stream do ----------------------------------------------------


def light(frame: Float, rng: np.random.Generator, gain: float) -> None:
    """Uneven light of a ring lamp, its colour, and the exposure (``gain``)."""
    field = 1.0 + 0.12 * _smooth_field(rng, FRAME_H, FRAME_W, 3)
    cast = np.array([rng.uniform(0.95, 1.03), 1.0, rng.uniform(0.97, 1.05)], np.float32)
    frame *= field[:, :, None] * cast * gain


def glare(frame: Float, rng: np.random.Generator, box: Box, strength: float) -> None:
    """A bright reflection of the lamp on the card's plastic sleeve."""
    cx = box.x + rng.uniform(0.1, 0.9) * box.width
    cy = box.y + rng.uniform(0.1, 0.9) * box.height
    rx, ry = box.width * rng.uniform(0.15, 0.4), box.height * rng.uniform(0.1, 0.3)
    angle = rng.uniform(0, math.pi)
    yy, xx = np.mgrid[0:FRAME_H, 0:FRAME_W].astype(np.float32)
    dx, dy = xx - cx, yy - cy
    u = (dx * math.cos(angle) + dy * math.sin(angle)) / rx
    v = (-dx * math.sin(angle) + dy * math.cos(angle)) / ry
    spot = np.exp(-(u**2 + v**2))
    frame += (strength * spot)[:, :, None]


def motion_blur(frame: Float, rng: np.random.Generator, length: int) -> Float:
    """The card moving while the shutter is open: a line kernel at a random angle."""
    kernel = np.zeros((length, length), np.float32)
    angle = rng.uniform(0, 180)
    c = (length - 1) / 2
    dx, dy = math.cos(math.radians(angle)) * c, math.sin(math.radians(angle)) * c
    cv2.line(
        kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1, cv2.LINE_AA
    )
    kernel /= kernel.sum()
    return np.asarray(cv2.filter2D(frame, -1, kernel), np.float32)


def defocus(frame: Float, sigma: float) -> Float:
    """Out of focus."""
    return np.asarray(cv2.GaussianBlur(frame, (0, 0), sigma), np.float32)


def noise(frame: Float, rng: np.random.Generator, sigma: float) -> None:
    """Sensor noise: stronger in the dark."""
    frame += rng.normal(0, sigma, frame.shape).astype(np.float32)


def stream(frame: Float, quality: int, scale: float = 1.0) -> Image8:
    """What the viewer's stream shows: scaled (an encoder's lower resolution) and JPEG-coded."""
    image = np.clip(frame, 0, 255).astype(np.uint8)
    if scale < 1.0:
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        image = np.asarray(
            cv2.resize(small, (FRAME_W, FRAME_H), interpolation=cv2.INTER_LINEAR), np.uint8
        )
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_COLOR), np.uint8)
