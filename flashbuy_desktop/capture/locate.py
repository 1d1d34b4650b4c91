"""Finding the order card and the piece in a frame, and the crop that shows both.

Everything here is a pure function of a BGR or BGRA ``uint8`` frame. The card is searched on a
copy whose longest side is :data:`WORK_SIDE` pixels, then its box is refined on the frame itself,
so it is accurate to a pixel or two at any frame size; the piece is searched on a smaller copy
(:data:`PIECE_SIDE`): its box is only used to crop, with a margin.

The card is a bright, low-saturation, roughly rectangular blob with dark strokes (the
handwritten number) inside:

1. bright mask: HSV value at least a threshold and a paper's saturation (at most 80, as such
   or once the sensor's noise of a dim scene is smoothed by a 3x3 median). The thresholds are
   relative, and each is tried: 30, 60 and 90 below the frame's brightest pixels (99.5th
   percentile), and 30 % and 50 % of the way from the scene's median (the cloth) up to them,
   never below 60 nor less than 25 above that median. So a card in low light (no pixel above
   100) or under a glare (which sets the brightest pixels) still separates from its
   surroundings;
2. outer contours of plausible size (0.3 % to 50 % of the frame) whose convex hull fills at
   least 85 % of its minimum-area rectangle (a tilted card still passes, a round pearl, 79 %,
   does not) and which fill at least 85 % of that hull (a thumb or a piece biting into the
   card's edge is forgiven, a card merged with a pearl strand beside it is not), sides at most
   4:1, not touching two or more frame edges (a bright wall or table is not a card);
3. on the frame at full resolution, inside the candidate: ink, pixels much darker than the
   paper around them (25 grey levels or a quarter of the paper's local level, the brightest
   pixel within 15 % of the card's side, so a glare on one side does not make the rest ink),
   must cover 0.2 % to 35 % of it. A blank white card is rejected; a phone screen or a window
   with lines of text on a light ground is NOT (their ink share is a card's): when one is in
   the frame beside the card, the larger of the two wins.

The best candidate (largest, most rectangular and solid) with ink on it wins.

The piece is the most salient region that is neither background nor card: the background's
colour is the per-channel median of a strip along the frame's border (in CIE Lab); pixels far
from it (Otsu's threshold on the distance, kept within 20..45 Lab units, lightness counted half
so that soft shadows and uneven light on the cloth are ignored) form blobs, the card is masked
out, and the largest blob wins, weighted towards blobs near the card and away from blobs cut by
the frame's edge. Nearby small blobs (beads of a strand, a pendant's chain) join it.

Limits: the background must be roughly uniform along the frame's border and darker or more
coloured than the card (a white card on a white table is not found); the card must be mostly
visible and not much smaller than 0.3 % of the frame; the piece must differ from the background
in colour or brightness (a black stone on black velvet is not found), and the seller's hand, if
it is the largest thing near the card, can be taken for the piece. When no card is found the
whole frame is kept (with a warning); when a card but no piece is found the whole frame is kept
too, so the piece is never cut off.
"""

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.sharpness import downscale
from flashbuy_desktop.capture.types import Box, union

WORK_SIDE = 640  # longest side of the copy the card is searched on
PIECE_SIDE = 320  # longest side of the copy the piece is searched on

_CARD_MIN_AREA = 0.003  # share of the frame
_CARD_MAX_AREA = 0.5
_CARD_MIN_RECTANGULARITY = 0.85  # contour area / minimum-area rectangle area
_CARD_MAX_ASPECT = 4.0
_CARD_MAX_SATURATION = 80
_CARD_MIN_SOLIDITY = 0.85  # contour area / its convex hull's area (a thumb's bite)
_CARD_THRESHOLD_STEPS = (30, 60, 90)  # below the 99.5th percentile of the value channel
_CARD_THRESHOLD_SHARES = (0.3, 0.5)  # of the way from the scene's median up to that percentile
_CARD_MIN_THRESHOLD = 60
_CARD_MIN_LIFT = 25  # the card is at least this much brighter than the scene's median
_PAPER_REACH = 0.15  # the paper's local level: the brightest pixel within this share of the card
_INK_MIN_CONTRAST = 25  # ink is this much darker than the paper around it (grey levels) ...
_INK_CONTRAST_SHIFT = 2  # ... or a quarter of the paper's level, if more
_INK_MIN, _INK_MAX = 0.002, 0.35  # share of the card's inside covered by ink

_BORDER_SHARE = 0.03  # width of the border strip the background colour is taken from
_PIECE_MIN_DISTANCE, _PIECE_MAX_DISTANCE = 20.0, 45.0  # bounds of the Lab distance threshold
_PIECE_MIN_AREA = 0.002  # share of the frame
_PIECE_PART_MIN_AREA = 0.0003  # a nearby blob this large joins the piece
_PIECE_JOIN_GAP = 0.015  # share of the frame's diagonal


@dataclass(frozen=True)
class Location:
    """What :func:`locate` found, in frame pixels."""

    card: Box | None
    piece: Box | None
    crop: Box


def _check(frame: npt.NDArray[np.uint8]) -> None:
    if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
        raise ValueError(f"expected a BGR or BGRA uint8 frame, not {frame.dtype} {frame.shape}")


def _bgr(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """A BGR image of a BGR or BGRA one (converted only if it has four channels)."""
    if image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    return image


def _percentile(channel: npt.NDArray[np.uint8], share: float) -> int:
    """The ``share`` quantile of a uint8 image, by histogram (much faster than np.percentile)."""
    return int(np.searchsorted(np.cumsum(_histogram(channel)), share * channel.size))


def _histogram(channel: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Counts of each grey level of a uint8 image (OpenCV's is much faster than bincount)."""
    flat = np.ascontiguousarray(channel).reshape(-1, 1)
    return np.asarray(cv2.calcHist([flat], [0], None, [256], [0, 256]), np.float32).ravel()


def _scale_box(x: int, y: int, w: int, h: int, sx: float, sy: float, fw: int, fh: int) -> Box:
    """A box of the working copy in frame pixels (outward rounding, clipped to the frame)."""
    x0 = max(0, math.floor(x * sx))
    y0 = max(0, math.floor(y * sy))
    x1 = min(fw, math.ceil((x + w) * sx))
    y1 = min(fh, math.ceil((y + h) * sy))
    return Box(x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def gap(a: Box, b: Box) -> float:
    """The distance between two boxes (0 if they touch or overlap)."""
    dx = max(0, max(a.x, b.x) - min(a.x + a.width, b.x + b.width))
    dy = max(0, max(a.y, b.y) - min(a.y + a.height, b.y + b.height))
    return math.hypot(dx, dy)


def _paper_like(hsv: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Pixels grey enough for paper: saturation at most the limit, as such or once the sensor's
    noise (which makes single pixels of paper in a dim scene look coloured) is smoothed out."""
    saturation = hsv[:, :, 1]
    smooth = cv2.medianBlur(saturation, 3)
    return np.asarray(
        (saturation <= _CARD_MAX_SATURATION) | (smooth <= _CARD_MAX_SATURATION), np.bool_
    )


def _refine_card(
    frame: npt.NDArray[np.uint8], rough: Box, threshold: float
) -> tuple[Box, float] | None:
    """The card's box on the full frame near ``rough``, and the share of it covered by ink."""
    fh, fw = frame.shape[:2]
    pad = max(4, round(0.1 * min(rough.width, rough.height)))
    x0, y0 = max(0, rough.x - pad), max(0, rough.y - pad)
    x1 = min(fw, rough.x + rough.width + pad)
    y1 = min(fh, rough.y + rough.height + pad)
    roi = _bgr(frame[y0:y1, x0:x1])
    hsv = np.asarray(cv2.cvtColor(roi, cv2.COLOR_BGR2HSV), dtype=np.uint8)
    bright = ((hsv[:, :, 2] >= threshold) & _paper_like(hsv)).astype(np.uint8)
    bright = np.asarray(
        cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)), dtype=np.uint8
    )
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    bx, by, bw, bh = cv2.boundingRect(contour)
    if bw < 4 or bh < 4:
        return None
    # Ink: inside the card (its outline shrunk by a few pixels), much darker than the paper
    # around it. The paper's level is taken locally (the brightest pixel nearby, once the noise
    # is smoothed), so glare on one side or a dim corner does not turn the rest into ink.
    filled = np.zeros(bright.shape, np.uint8)
    cv2.drawContours(filled, [contour], -1, 1, thickness=cv2.FILLED)
    inset = max(2, round(0.04 * min(bw, bh)))
    inside = cv2.erode(filled, np.ones((2 * inset + 1, 2 * inset + 1), np.uint8)).astype(bool)
    inside_count = int(inside.sum())
    if inside_count == 0:
        return None
    grey = cv2.GaussianBlur(cv2.cvtColor(roi, cv2.COLOR_BGR2GRAY), (3, 3), 0)
    reach = max(3, round(_PAPER_REACH * min(bw, bh)))
    paper = cv2.dilate(grey, np.ones((reach, reach), np.uint8)).astype(np.int16)
    contrast = np.maximum(paper >> _INK_CONTRAST_SHIFT, _INK_MIN_CONTRAST)
    ink = int(np.count_nonzero((grey < paper - contrast)[inside]))
    return Box(x0 + bx, y0 + by, bw, bh), ink / inside_count


def find_card(frame: npt.NDArray[np.uint8]) -> Box | None:
    """The order card's bounding box in frame pixels, or None (see the module's notes)."""
    _check(frame)
    return _find_card(frame, _bgr(downscale(frame, WORK_SIDE)))


def _thresholds(value: npt.NDArray[np.uint8]) -> list[int]:
    """The brightness thresholds to try, brightest first.

    Some a fixed step below the frame's brightest pixels, some a share of the way from the
    scene's typical level (the cloth) up to them: a dim card in a dark scene, or a card under a
    glare that sets the brightest pixels, still stands out from what is around it.
    """
    counts = np.cumsum(_histogram(value))
    top = int(np.searchsorted(counts, 0.995 * value.size))
    ground = int(np.searchsorted(counts, 0.5 * value.size))
    floor = max(_CARD_MIN_THRESHOLD, ground + _CARD_MIN_LIFT)
    wanted = [top - step for step in _CARD_THRESHOLD_STEPS]
    wanted += [round(ground + share * (top - ground)) for share in _CARD_THRESHOLD_SHARES]
    return sorted({max(floor, t) for t in wanted if t < top}, reverse=True)


def _find_card(frame: npt.NDArray[np.uint8], small: npt.NDArray[np.uint8]) -> Box | None:
    fh, fw = frame.shape[:2]
    sh, sw = small.shape[:2]
    sx, sy = fw / sw, fh / sh
    hsv = np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2HSV), dtype=np.uint8)
    value = hsv[:, :, 2]
    low_saturation = _paper_like(hsv)
    small_area = float(sw * sh)
    kernel = np.ones((3, 3), np.uint8)
    candidates: list[tuple[float, int, Box]] = []
    for threshold in _thresholds(value):
        mask = ((value >= threshold) & low_saturation).astype(np.uint8)
        mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel), dtype=np.uint8)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            area = cv2.contourArea(contour)
            if not _CARD_MIN_AREA <= area / small_area <= _CARD_MAX_AREA:
                continue
            # A thumb or a piece over the card bites into its outline: judge the outline's
            # convex hull, as long as the bite is a small part of it.
            hull = cv2.convexHull(contour)
            hull_area = cv2.contourArea(hull)
            if area < _CARD_MIN_SOLIDITY * hull_area:
                continue
            (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
            if rw < 2 or rh < 2:
                continue
            rectangularity = hull_area / (rw * rh)
            if rectangularity < _CARD_MIN_RECTANGULARITY:
                continue
            if max(rw, rh) / min(rw, rh) > _CARD_MAX_ASPECT:
                continue
            x, y, w, h = cv2.boundingRect(contour)
            edges = (x <= 0) + (y <= 0) + (x + w >= sw) + (y + h >= sh)
            if edges >= 2:
                continue
            score = area * rectangularity**2 * (area / hull_area) * (0.5 if edges else 1.0)
            candidates.append((score, threshold, _scale_box(x, y, w, h, sx, sy, fw, fh)))
    # The same card shows at several thresholds: the best scoring one with ink on it wins, so
    # the (costlier) look at the full frame stops at the first that passes.
    for _, threshold, rough in sorted(candidates, key=lambda c: c[0], reverse=True):
        refined = _refine_card(frame, rough, threshold)
        if refined is not None and _INK_MIN <= refined[1] <= _INK_MAX:
            return refined[0]
    return None


def background_lab(lab: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """The background's colour: per-channel median of a strip along the image's border."""
    h, w = lab.shape[:2]
    b = max(1, round(_BORDER_SHARE * min(h, w)))
    strip = np.concatenate(
        [
            lab[:b].reshape(-1, 3),
            lab[h - b :].reshape(-1, 3),
            lab[b : h - b, :b].reshape(-1, 3),
            lab[b : h - b, w - b :].reshape(-1, 3),
        ]
    )
    return np.array([_percentile(strip[:, c], 0.5) for c in range(3)], dtype=np.float32)


def find_piece(frame: npt.NDArray[np.uint8], card: Box | None) -> Box | None:
    """The piece's bounding box in frame pixels, or None (see the module's notes)."""
    _check(frame)
    return _find_piece(frame, _bgr(downscale(frame, PIECE_SIDE)), card)


def _find_piece(
    frame: npt.NDArray[np.uint8], small: npt.NDArray[np.uint8], card: Box | None
) -> Box | None:
    fh, fw = frame.shape[:2]
    sh, sw = small.shape[:2]
    sx, sy = fw / sw, fh / sh
    lab = np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2Lab), dtype=np.uint8)
    diff = lab.astype(np.float32) - background_lab(lab)
    diff[:, :, 0] *= 0.5  # lightness counts half: shadows and uneven light on the cloth
    distance = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    # Lab in OpenCV's 8-bit form spans about 0..255 per channel: distances fit in a byte.
    distance_u8 = np.clip(distance, 0, 255).astype(np.uint8)
    card_small: Box | None = None
    if card is not None:
        pad = max(2, round(0.01 * max(sw, sh)))
        cx0 = max(0, math.floor(card.x / sx) - pad)
        cy0 = max(0, math.floor(card.y / sy) - pad)
        cx1 = min(sw, math.ceil((card.x + card.width) / sx) + pad)
        cy1 = min(sh, math.ceil((card.y + card.height) / sy) + pad)
        distance_u8[cy0:cy1, cx0:cx1] = 0
        card_small = Box(cx0, cy0, cx1 - cx0, cy1 - cy0)
    otsu, _ = cv2.threshold(distance_u8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    threshold = min(max(float(otsu), _PIECE_MIN_DISTANCE), _PIECE_MAX_DISTANCE)
    mask = (distance_u8 > threshold).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    if card_small is not None:  # closing must not bridge the piece onto the card
        mask[
            card_small.y : card_small.y + card_small.height,
            card_small.x : card_small.x + card_small.width,
        ] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    area_total = float(sw * sh)
    diagonal = math.hypot(sw, sh)
    blobs: list[tuple[Box, int]] = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        blobs.append((Box(x, y, w, h), area))
    best: tuple[float, Box] | None = None
    for box, area in blobs:
        if area < _PIECE_MIN_AREA * area_total:
            continue
        score = float(area)
        if card_small is not None:
            reach = math.hypot(card_small.width, card_small.height)
            score /= 1.0 + gap(box, card_small) / reach
        edges = (box.x <= 0) + (box.y <= 0) + (box.x + box.width >= sw) + (box.y + box.height >= sh)
        score *= 0.5**edges
        if best is None or score > best[0]:
            best = (score, box)
    if best is None:
        return None
    piece = best[1]
    join_gap = _PIECE_JOIN_GAP * diagonal
    grown = True
    while grown:  # beads of a strand, the links of a chain: bounded by the number of blobs
        grown = False
        for box, area in blobs:
            if area < _PIECE_PART_MIN_AREA * area_total or union(piece, box) == piece:
                continue
            if gap(piece, box) <= join_gap:
                piece = union(piece, box)
                grown = True
    return _scale_box(piece.x, piece.y, piece.width, piece.height, sx, sy, fw, fh)


def crop_box(width: int, height: int, card: Box | None, piece: Box | None, margin: float) -> Box:
    """Card and piece with a margin around them, clipped to a ``width`` x ``height`` frame.

    The margin is a share of the longest side of the card-and-piece box, on every side. Without
    a card or without a piece the crop is the whole frame.
    """
    if card is None or piece is None:
        return Box(0, 0, width, height)
    both = union(card, piece)
    pad = round(margin * max(both.width, both.height))
    x0, y0 = max(0, both.x - pad), max(0, both.y - pad)
    x1 = min(width, both.x + both.width + pad)
    y1 = min(height, both.y + both.height + pad)
    return Box(x0, y0, x1 - x0, y1 - y0)


def locate(frame: npt.NDArray[np.uint8], margin: float = 0.06) -> Location:
    """Find card and piece in a BGR or BGRA frame, and the crop around both."""
    _check(frame)
    small = _bgr(downscale(frame, WORK_SIDE))
    card = _find_card(frame, small)
    piece = _find_piece(frame, downscale(small, PIECE_SIDE), card)
    fh, fw = frame.shape[:2]
    return Location(card, piece, crop_box(fw, fh, card, piece, margin))
