"""The card itself, flat and facing the camera: paper, ink and the written lines.

A card is written in one of three hands: ``printed`` (a plain font, straight lines), ``font``
(a handwriting-like font: Kai brush, Comic Neue, Z003, each glyph a little off its line) or
``strokes`` (digits and marks drawn stroke by stroke, see :mod:`tests.cards.strokes`; the
Chinese characters in a Kai font). Text is drawn on a mask twice the card's size and scaled
down, so strokes are smooth at any size.
"""

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from tests.cards import fonts, strokes

Image8 = npt.NDArray[np.uint8]
SUPER = 2  # the text mask is drawn at this many times the card's size

# BGR; ink is what the pen leaves at full opacity
INKS = {
    "black": (28, 28, 30),
    "blue": (150, 62, 24),
    "red": (40, 36, 190),
    "dark green": (60, 100, 30),
    "pencil": (95, 95, 100),
}
PAPERS = {
    "white": (246, 247, 248),
    "cream": (222, 240, 248),
    "pale yellow": (200, 244, 252),
    "pale pink": (228, 226, 252),
    "light kraft": (180, 210, 232),
}


@dataclass(frozen=True)
class Hand:
    """How a card is written: the hand, the font, the ink and the paper."""

    style: str  # "printed" | "font" | "strokes"
    font: tuple[str, str]  # family, style (the Chinese characters' font for "strokes")
    ink: str
    paper: str


def _paper(
    rng: np.random.Generator, width: int, height: int, paper: str
) -> npt.NDArray[np.float32]:
    """The blank card: its colour, a faint fibre texture and, on some, a printed border."""
    base = np.array(PAPERS[paper], np.float32) + rng.normal(0, 3, 3).astype(np.float32)
    face = np.empty((height, width, 3), np.float32)
    face[:] = base
    grain = cv2.GaussianBlur(rng.normal(0, 4, (height, width)).astype(np.float32), (0, 0), 0.8)
    face += grain[:, :, None]
    if rng.random() < 0.2:  # a shop's printed frame, in a pale colour
        inset = round(min(width, height) * rng.uniform(0.04, 0.07))
        colour = tuple(float(c) for c in base - rng.uniform(25, 50, 3))
        cv2.rectangle(face, (inset, inset), (width - inset, height - inset), colour, 1, cv2.LINE_AA)
    return face


def _glyph_font(hand: Hand, char: str) -> tuple[str, str]:
    """The font that draws ``char`` in this hand (a Chinese one for what the Latin font lacks)."""
    if fonts.has_glyph(*hand.font, char):
        return hand.font
    return fonts.CJK_PRINTED if hand.style == "printed" else fonts.CJK_HANDWRITTEN


def _line_width(hand: Hand, text: str, size: int) -> float:
    total = 0.0
    for char in text:
        if hand.style == "strokes" and char in strokes.GLYPHS:
            total += strokes.advance(char, size * 0.72) * 1.12
        elif char == " ":
            total += size * 0.35
        else:
            total += fonts.font(*_glyph_font(hand, char), size).getlength(char)
    return total


def _draw_line(
    mask: Image8,
    hand: Hand,
    text: str,
    x: float,
    baseline: float,
    size: int,
    rng: np.random.Generator,
) -> None:
    """One line of text on ``mask`` (255 = ink), starting at ``x`` on ``baseline``."""
    if hand.style == "printed":  # a font's own spacing and kerning, runs by font
        picture = Image.fromarray(mask)
        draw = ImageDraw.Draw(picture)
        for char in text:
            face = fonts.font(*_glyph_font(hand, char), size)
            draw.text((x, baseline), char, fill=255, font=face, anchor="ls")
            x += face.getlength(char)
        mask[:] = np.asarray(picture)
        return
    slant = rng.uniform(-0.05, 0.3)
    thickness = size * rng.uniform(0.06, 0.11)
    drift = rng.normal(0, 0.03)  # the line rises or falls as it goes
    start = x
    for char in text:
        line_y = baseline + drift * (x - start)
        if char == " ":
            x += size * rng.uniform(0.25, 0.5)
            continue
        if hand.style == "strokes" and char in strokes.GLYPHS:
            height = size * 0.72 * rng.uniform(0.92, 1.08)
            strokes.draw_glyph(
                mask, char, x, line_y + rng.normal(0, size * 0.02), height, thickness, slant, rng
            )
            x += strokes.advance(char, height) + size * rng.uniform(0.04, 0.14)
            continue
        glyph_size = max(6, round(size * rng.uniform(0.92, 1.08)))
        face = fonts.font(*_glyph_font(hand, char), glyph_size)
        box = face.getbbox(char, anchor="ls")
        pad = glyph_size // 2
        tile = Image.new("L", (int(box[2] - box[0]) + 2 * pad, int(box[3] - box[1]) + 2 * pad))
        ImageDraw.Draw(tile).text(
            (pad - box[0], pad - box[1]), char, fill=255, font=face, anchor="ls"
        )
        tile = tile.rotate(float(rng.normal(0, 4)), resample=Image.Resampling.BILINEAR)
        glyph = np.asarray(tile)
        gx = round(x + box[0] - pad)
        gy = round(line_y + rng.normal(0, size * 0.02) + box[1] - pad)
        _stamp(mask, glyph, gx, gy)
        x += face.getlength(char) * rng.uniform(0.95, 1.1)


def _stamp(mask: Image8, glyph: Image8, gx: int, gy: int) -> None:
    """``glyph`` onto ``mask`` at (gx, gy), clipped, keeping the darker (more ink) of both."""
    h, w = glyph.shape
    x0, y0 = max(0, gx), max(0, gy)
    x1, y1 = min(mask.shape[1], gx + w), min(mask.shape[0], gy + h)
    if x1 <= x0 or y1 <= y0:
        return
    region = mask[y0:y1, x0:x1]
    np.maximum(region, glyph[y0 - gy : y1 - gy, x0 - gx : x1 - gx], out=region)


def card_face(
    rng: np.random.Generator, width: int, height: int, lines: tuple[str, ...], hand: Hand
) -> Image8:
    """The card as a BGR image of ``width`` x ``height`` with ``lines`` written on it."""
    face = _paper(rng, width, height, hand.paper)
    big_w, big_h = width * SUPER, height * SUPER
    mask = np.zeros((big_h, big_w), np.uint8)
    # The first two lines (piece, price) large, a third (other words) smaller.
    weights = [1.0 if n < 2 or len(lines) <= 2 else 0.62 for n in range(len(lines))]
    weights = [w if len(text) > 0 else 0.0 for w, text in zip(weights, lines, strict=True)]
    usable_h = big_h * rng.uniform(0.62, 0.8)
    size = usable_h / (sum(weights) * 1.25)
    margin_x = big_w * rng.uniform(0.07, 0.12)
    widest = max(
        _line_width(hand, t, round(size * w)) for t, w in zip(lines, weights, strict=True) if w
    )
    size *= min(1.0, (big_w - 2 * margin_x) / widest)  # long lines: smaller writing
    centred = hand.style == "printed" or rng.random() < 0.5
    y = (big_h - sum(w * size * 1.25 for w in weights)) / 2
    for text, weight in zip(lines, weights, strict=True):
        line_size = round(size * weight)
        y += line_size * 1.25
        if not text:
            continue
        line_w = _line_width(hand, text, line_size)
        if centred:
            x = (big_w - line_w) / 2
        else:
            x = margin_x + rng.uniform(0, max(1.0, (big_w - 2 * margin_x - line_w) * 0.4))
        _draw_line(mask, hand, text, x, y - line_size * 0.22, line_size, rng)
    alpha = cv2.resize(mask, (width, height), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    if hand.ink == "pencil":  # graphite: lighter, grainy
        alpha *= np.clip(rng.normal(0.8, 0.15, alpha.shape), 0.3, 1.0).astype(np.float32)
    else:
        alpha *= rng.uniform(0.85, 1.0)
    ink = np.array(INKS[hand.ink], np.float32) + rng.normal(0, 6, 3).astype(np.float32)
    inked = face * (1 - alpha[:, :, None]) + ink * alpha[:, :, None]
    return np.clip(inked, 0, 255).astype(np.uint8)
