"""Reading the order card: the piece number and the price, how sure the reader is, and where.

Qt-free. A :class:`CardReader` wraps one OCR engine (a :class:`CardEngine`: text lines with a
confidence and a box), loads it once, and turns the lines into a :class:`CardReading`: the
piece number, the price and the rest of the card's text, each value with its confidence and
the box of the card image it was read from. Whether a value is sure enough to fill a field is
decided by :meth:`CardReading.sure_piece` / :meth:`CardReading.sure_price` against thresholds
tuned on the tuning part of the card set (``tests/cards``), never on its held-out part.

Reads run on a worker thread, never the GUI thread; one reader serves one read at a time.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, cast

import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.types import Box

Image = npt.NDArray[np.uint8]  # BGR, uint8, as the capture engine's frames

# A value read with less confidence than this is not filled in. Both are set by one rule on
# the tuning half of the card set (benchmarks/read_card.py): the lowest threshold at which at
# most 0.25 % of those cards get a sure and wrong value. The price's is what a price marked
# as one (¥1288, 1288元) beside a piece number needs of its weakest character: the rule on
# those ~310 tuning cards gives 0.80, kept at 0.9 like the piece's. A price found a riskier
# way (a bare amount, no piece beside it) needs more, and its confidence is scaled to this
# threshold (card_words.PRICE_NEED). The piece keeps 0.9, stricter than the rule's 0.66.
PIECE_MIN_CONFIDENCE = 0.9
PRICE_MIN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Glyph:
    """One character of a line as the engine read it: its confidence (0..1) and box."""

    char: str
    confidence: float
    box: Box


@dataclass(frozen=True)
class TextLine:
    """One line of text an engine read, with its confidence (0..1) and box (card pixels).

    ``glyphs`` is empty, or one per character of ``text`` (in order): an engine that knows
    each character's confidence and place gives them, so a value is only as sure as its
    weakest character and its box covers just that value, not the whole line.
    ``corners`` is empty, or the line's quadrilateral in card pixels (top left, top right,
    bottom right, bottom left), which follows a tilted line where ``box`` cannot.
    """

    text: str
    confidence: float
    box: Box
    glyphs: tuple[Glyph, ...] = ()
    corners: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        if self.glyphs and len(self.glyphs) != len(self.text):
            raise ValueError("a line has one glyph per character, or none")
        if self.corners and len(self.corners) != 4:
            raise ValueError("a line has four corners, or none")


@dataclass(frozen=True)
class ReadValue:
    """A value read off the card, as it goes into its field.

    ``text`` is what the field gets: the piece number's digits ("3"), or the price in plain
    yuan ("1288", "1288.50", "12000"), which ``flashbuy_protocol.money.parse_yuan`` reads
    like a typed one. ``box`` is where on the card image it was read.
    """

    text: str
    confidence: float
    box: Box


@dataclass(frozen=True)
class CardReading:
    """What a card says: piece number, price, the rest as free text."""

    piece: ReadValue | None
    price: ReadValue | None
    text: str  # the card's other text, lines joined by "\n" (may be empty)
    lines: tuple[TextLine, ...]
    engine: str
    elapsed_ms: float

    def sure_piece(self) -> ReadValue | None:
        """The piece number, if it was read with enough confidence to fill the field."""
        if self.piece is not None and self.piece.confidence >= PIECE_MIN_CONFIDENCE:
            return self.piece
        return None

    def sure_price(self) -> ReadValue | None:
        """The price, if it was read with enough confidence to fill the field."""
        if self.price is not None and self.price.confidence >= PRICE_MIN_CONFIDENCE:
            return self.price
        return None


CARD_MARGIN = 0.04  # around the card's box, as a share of its longer side


def cut_card(frame: Image, card: Box, margin: float = CARD_MARGIN) -> tuple[Image, Box]:
    """The card's box of ``frame`` with a small margin (a BGR copy), and where it was cut.

    The copy lets the frame go; the box says where the image lies in the frame, so a box
    read on the image maps back onto the picture.
    """
    height, width = frame.shape[:2]
    pad = round(margin * max(card.width, card.height))
    x0, y0 = max(0, card.x - pad), max(0, card.y - pad)
    x1 = min(width, card.x + card.width + pad)
    y1 = min(height, card.y + card.height + pad)
    image = np.ascontiguousarray(frame[y0:y1, x0:x1, :3])
    return image, Box(x0, y0, x1 - x0, y1 - y0)


def warm_up_card() -> Image:
    """A small made-up card (a piece number and a price on white) for a warm-up read.

    Whatever the reader makes of it, its models run once on something like a card, so the
    seller's first read does not pay for onnxruntime's first run.
    """
    import cv2

    card = np.full((220, 360, 3), (245, 248, 250), np.uint8)
    ink = (30, 30, 30)
    cv2.putText(card, "No.3", (40, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.8, ink, 4, cv2.LINE_AA)
    cv2.putText(card, "1288", (40, 180), cv2.FONT_HERSHEY_SIMPLEX, 2.2, ink, 5, cv2.LINE_AA)
    return card


class CardEngine(Protocol):
    """An OCR engine: the text lines of a card image."""

    name: str

    def load(self) -> None:
        """Load the models (slow; once, on a worker). Raises if they are missing."""
        ...

    def read_lines(self, image: Image) -> list[TextLine]:
        """The text lines of ``image`` (BGR), with confidence and box, top to bottom."""
        ...


class LineRereader(Protocol):
    """An engine that can read one line again, independently: a second opinion on a value."""

    def reread(self, image: Image, line: TextLine) -> TextLine | None:
        """``line`` of ``image`` read again on its own (None: the engine cannot)."""
        ...


class CardReader:
    """One engine, loaded once, reading one card at a time from any worker thread."""

    def __init__(self, engine: CardEngine | None = None) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def engine(self) -> CardEngine:
        """The engine (the default one, PP-OCR, unless one was given)."""
        if self._engine is None:
            from flashbuy_desktop.capture.card_ocr import PaddleEngine  # loads onnxruntime

            self._engine = PaddleEngine()
        return self._engine

    def load(self) -> None:
        """Load the engine's models now, if not yet (a warm-up before the first capture)."""
        with self._lock:
            if not self._loaded:
                self.engine.load()
                self._loaded = True

    def read(self, image: Image) -> CardReading:
        """Read the card in ``image`` (BGR uint8, the card with a small margin)."""
        from flashbuy_desktop.capture.card_words import reading_of

        self.load()
        engine = self.engine
        reread: Callable[[TextLine], TextLine | None] | None = None
        if callable(getattr(engine, "reread", None)):
            rereader = cast(LineRereader, engine)

            def reread(line: TextLine) -> TextLine | None:
                return rereader.reread(image, line)

        with self._lock:
            began = time.perf_counter()
            lines = engine.read_lines(image)
            reading = reading_of(
                lines,
                engine=engine.name,
                elapsed_ms=0.0,
                size=(image.shape[1], image.shape[0]),
                reread=reread,
            )
            return replace(reading, elapsed_ms=(time.perf_counter() - began) * 1000)
