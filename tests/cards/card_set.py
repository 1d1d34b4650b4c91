"""The card set: order cards held up on a live stream, each with the truth of what it says.

Every card is generated from the set's seed and its index alone, so any card can be made
again on its own and the set is byte-identical on every run (on the same fonts and library
versions). Cards come in three kinds, one after another: ``clean`` (printed, good light),
``handwriting`` (handwriting fonts and stroke-drawn digits, held at an angle) and
``degraded`` (either, with blur, glare, low light, heavy compression, a hand or the piece
over the card). Half of them, by index, are ``held_out``: the benchmark reports on them, and
nothing is ever tuned on them (see README.md).

    python -m tests.cards.card_set --dump /tmp/cards --count 60
"""

import argparse
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.types import Box
from tests.cards import fonts, scene
from tests.cards.face import INKS, PAPERS, Hand, card_face
from tests.cards.writing import writing

SEED = 15_2024
COUNT = 1200
KINDS = ("clean", "handwriting", "degraded")
SPLITS = ("tune", "held_out")


@dataclass(frozen=True)
class Card:
    """One card in its frame, and the truth about it."""

    index: int
    split: str  # "tune" | "held_out"
    kind: str  # "clean" | "handwriting" | "degraded"
    piece: str | None  # the piece number's digits, or None if the card has none
    price_fen: int | None  # the price in fen, or None if the card has none
    written: tuple[str, ...]  # the lines as written on the card
    hand: Hand
    frame: npt.NDArray[np.uint8]  # BGR, as a stream shows it
    card_box: Box  # the card in frame pixels


def kind_of(index: int) -> str:
    """The card's kind: the three kinds in turn."""
    return KINDS[index % len(KINDS)]


def split_of(index: int) -> str:
    """The card's part of the set: blocks of three (one of each kind), alternately."""
    return SPLITS[(index // len(KINDS)) % 2]


def _pick(rng: np.random.Generator, options: tuple[str, ...] | list[str]) -> str:
    return str(options[int(rng.integers(len(options)))])


def _hand(rng: np.random.Generator, kind: str) -> Hand:
    inks = list(INKS)
    papers = list(PAPERS)
    if kind == "clean":
        style = "printed"
        inks = ["black", "black", "blue", "red", "dark green"]
    else:
        roll = rng.random()
        style = "strokes" if roll < 0.45 else "font"
        if kind == "degraded" and roll > 0.8:
            style = "printed"
    if style == "printed":
        font = fonts.PRINTED[int(rng.integers(len(fonts.PRINTED)))]
    elif style == "font":
        font = fonts.HANDWRITTEN[int(rng.integers(len(fonts.HANDWRITTEN)))]
    else:  # the Chinese characters beside stroke-drawn digits: a Kai brush
        font = fonts.HANDWRITTEN[int(rng.integers(2))]
    return Hand(style, font, _pick(rng, inks), _pick(rng, papers))


def card(index: int, seed: int = SEED) -> Card:
    """Card number ``index`` of the set made from ``seed``."""
    rng = np.random.default_rng([seed, index])
    kind = kind_of(index)
    words = writing(rng)
    hand = _hand(rng, kind)
    width = int(
        rng.integers(
            *{"clean": (250, 350), "handwriting": (230, 340), "degraded": (200, 330)}[kind]
        )
    )
    portrait = rng.random() < 0.2
    aspect = rng.uniform(1.25, 1.5) if portrait else rng.uniform(0.58, 0.75)
    height = round(width * aspect)
    if portrait:
        width = round(width * 0.8)
        height = round(width * aspect)
    face = card_face(rng, width, height, words.lines, hand)
    tilt, skew = {"clean": (4.0, 0.015), "handwriting": (12.0, 0.03), "degraded": (15.0, 0.06)}[
        kind
    ]
    corners = scene.card_corners(rng, width, height, tilt, skew)
    frame = scene.cloth(rng)
    centre = corners.mean(axis=0)
    side = 1.0 if centre[0] < scene.FRAME_W / 2 else -1.0
    piece_size = rng.uniform(0.5, 0.8) * max(width, height)
    beside = (
        float(
            np.clip(
                centre[0] + side * (max(width, height) * 0.55 + piece_size * 0.6),
                40,
                scene.FRAME_W - 40,
            )
        ),
        float(np.clip(centre[1] + rng.uniform(-0.3, 0.3) * height, 40, scene.FRAME_H - 40)),
    )
    scene.piece(frame, rng, beside, piece_size)
    box = scene.place_card(frame, face, corners, rng)
    harms: set[str] = set()
    if kind == "degraded":
        everything = ("motion", "defocus", "glare", "dark", "compressed", "hand", "piece over")
        count = 2 if rng.random() < 0.6 else 3
        harms = {str(h) for h in rng.choice(everything, size=count, replace=False)}
    if "hand" in harms or (kind == "handwriting" and rng.random() < 0.25):
        scene.hand(frame, rng, corners, rng.uniform(0.15, 0.28) if "hand" in harms else 0.1)
    if "piece over" in harms:
        corner = corners[int(rng.integers(4))]
        over = (
            float(corner[0] + (centre[0] - corner[0]) * 0.15),
            float(corner[1] + (centre[1] - corner[1]) * 0.15),
        )
        scene.piece(frame, rng, over, piece_size * 0.6)
    gain = (
        rng.uniform(0.3, 0.5)
        if "dark" in harms
        else rng.uniform(0.85 if kind == "clean" else 0.7, 1.05)
    )
    scene.light(frame, rng, gain)
    if "glare" in harms:
        scene.glare(frame, rng, box, rng.uniform(90, 170))
    if "motion" in harms:
        frame = scene.motion_blur(frame, rng, int(rng.integers(5, 12)))
    if "defocus" in harms:
        frame = scene.defocus(frame, rng.uniform(1.2, 2.0))
    elif kind == "handwriting" and rng.random() < 0.5:
        frame = scene.defocus(frame, rng.uniform(0.4, 0.8))
    sigma = {"clean": 2.0, "handwriting": 3.0, "degraded": 4.0}[kind] * (
        2.2 if "dark" in harms else 1.0
    )
    scene.noise(frame, rng, sigma * rng.uniform(0.7, 1.3))
    if "compressed" in harms:
        image = scene.stream(frame, int(rng.integers(18, 40)), rng.uniform(0.5, 0.7))
    else:
        low, high = {"clean": (82, 95), "handwriting": (68, 90), "degraded": (55, 85)}[kind]
        image = scene.stream(frame, int(rng.integers(low, high)))
    return Card(
        index, split_of(index), kind, words.piece, words.price_fen, words.lines, hand, image, box
    )


def card_set(count: int = COUNT, seed: int = SEED) -> Iterator[Card]:
    """The first ``count`` cards, one at a time (a card's frame is 1.5 MB)."""
    for index in range(count):
        yield card(index, seed)


def indices(
    count: int = COUNT, *, split: str | None = None, kinds: tuple[str, ...] = KINDS
) -> list[int]:
    """Indices of the cards of ``split`` (both if None) and ``kinds`` among the first ``count``."""
    return [
        i for i in range(count) if (split is None or split_of(i) == split) and kind_of(i) in kinds
    ]


def price_text(fen: int | None) -> str:
    """A truth's price as plain yuan ("1288", "1288.50"), as a reading's value says it."""
    if fen is None:
        return "-"
    return str(fen // 100) if fen % 100 == 0 else f"{fen // 100}.{fen % 100:02d}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the card set's frames as PNG files.")
    parser.add_argument("--dump", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--box", action="store_true", help="draw the card's true box")
    args = parser.parse_args()
    args.dump.mkdir(parents=True, exist_ok=True)
    width = math.ceil(math.log10(max(2, args.start + args.count)))
    for index in range(args.start, args.start + args.count):
        c = card(index)
        frame = c.frame.copy()
        if args.box:
            b = c.card_box
            cv2.rectangle(
                frame, (b.x, b.y), (b.x + b.width - 1, b.y + b.height - 1), (0, 0, 255), 1
            )
        name = (
            f"{index:0{width}d}-{c.split}-{c.kind}-{c.piece or 'x'}-{price_text(c.price_fen)}.png"
        )
        cv2.imwrite(str(args.dump / name), frame)
    print(f"{args.count} cards in {args.dump}")


if __name__ == "__main__":
    main()
