"""The rule of filling 件号 and 价格 from the order card, and where a read lies on the picture.

Qt-free. The new flash-buy window hands :func:`fill` what the card says (a
:class:`~flashbuy_desktop.capture.card_reading.CardReading`, or ``None`` when the read
failed) and where each of the two fields stands; it answers what each field gets, the note
under the fields, whether the price is selected (so typing replaces it) and the boxes to
highlight on the picture.

The rule, field by field (piece number and price alike):

============================  ==================  =======================================
the field now                  a sure value read   no sure value (unsure, absent, failed)
============================  ==================  =======================================
typed by the seller            kept                kept
holds an earlier card value    the new value       emptied (back to the guess, if any)
holds the window's guess       the card's value    kept (the guess)
empty                          the card's value    kept empty (price: with the focus)
============================  ==================  =======================================

- Only sure values fill a field (``sure_piece()`` / ``sure_price()``): a value read with low
  confidence is never shown as if it were read.
- The seller's typing always wins, over a retake's read too. A field the seller emptied
  holds nothing of theirs any more: a later read may fill it.
- The window's guess of the piece number (the one a clicked comment names, or the one after
  the last flash-buy's) is not the seller's typing: the card says which piece the host holds
  up, so the card wins, and the note says which number it replaced.
- An earlier card value belongs to an earlier picture: a retake's read replaces it, or
  empties it when the new picture's card cannot be read, so a price never outlives its picture.
- Nothing here publishes: the price read goes through the window's own checks, as a typed one.
"""

from dataclasses import dataclass
from enum import StrEnum

from flashbuy_desktop.capture.card_reading import CardReading, ReadValue
from flashbuy_desktop.capture.types import Box


@dataclass(frozen=True)
class FieldNow:
    """Where one field stands when a reading arrives."""

    text: str
    typed: bool = False  # the seller typed in it since the window opened (and it is not empty)
    from_card: bool = False  # its text is a value an earlier read put there
    guess: str = ""  # what the window prefilled before any read (the piece number's guess)


@dataclass(frozen=True)
class FieldFill:
    """What one field gets: its text, whether that text came from the card, and from where."""

    text: str
    from_card: bool
    box: Box | None = None  # where on the card image the value was read (from_card only)


class Note(StrEnum):
    """The one line under the fields after a read."""

    NONE = "none"  # nothing was filled and nothing is missing
    READ = "read"  # values were read from the card: please check them
    READ_OVER_GUESS = "read_over_guess"  # …and the piece number replaced the window's guess
    PRICE_UNREAD = "price_unread"  # the card's price could not be read: type it
    PIECE_READ_PRICE_UNREAD = "piece_read_price_unread"  # the piece was read, the price not
    FAILED = "failed"  # the card could not be read at all: type the price


@dataclass(frozen=True)
class Fill:
    """The answer of :func:`fill`."""

    piece: FieldFill
    price: FieldFill
    note: Note
    replaced_guess: str = ""  # the guess the card's piece number replaced (READ_OVER_GUESS)

    @property
    def select_price(self) -> bool:
        """A price from the card is selected, so whatever the seller types replaces it."""
        return self.price.from_card

    @property
    def price_needs_typing(self) -> bool:
        """The price is empty: the price field keeps the focus for the seller to type it."""
        return not self.price.text.strip()

    def boxes(self) -> list[Box]:
        """Where the values filled were read on the card image (to highlight)."""
        return [f.box for f in (self.piece, self.price) if f.from_card and f.box is not None]


def _field(now: FieldNow, value: ReadValue | None) -> FieldFill:
    if now.typed:
        return FieldFill(now.text, from_card=False)
    if value is not None:
        return FieldFill(value.text, from_card=True, box=value.box)
    if now.from_card:
        return FieldFill(now.guess, from_card=False)  # that value belonged to an older picture
    return FieldFill(now.text, from_card=False)


def fill(reading: CardReading | None, piece: FieldNow, price: FieldNow) -> Fill:
    """What the two fields get from ``reading`` (None: the read failed), and the note."""
    sure_piece = reading.sure_piece() if reading is not None else None
    sure_price = reading.sure_price() if reading is not None else None
    piece_fill = _field(piece, sure_piece)
    price_fill = _field(price, sure_price)
    replaced = ""
    if (
        piece_fill.from_card
        and not piece.from_card
        and piece.guess
        and piece.text.strip() == piece.guess
        and piece.guess != piece_fill.text
    ):
        replaced = piece.guess

    price_missing = not price.typed and not price_fill.from_card
    if price_missing and reading is None:
        note = Note.FAILED
    elif price_missing:
        note = Note.PIECE_READ_PRICE_UNREAD if piece_fill.from_card else Note.PRICE_UNREAD
    elif piece_fill.from_card or price_fill.from_card:
        note = Note.READ_OVER_GUESS if replaced else Note.READ
    else:
        note = Note.NONE
    return Fill(piece_fill, price_fill, note, replaced if note is Note.READ_OVER_GUESS else "")


def picture_box(read: Box, card_image_box: Box, crop: Box, width: int, height: int) -> Box | None:
    """Where ``read`` (a box on the card image) lies on the picture, clipped; None if off it.

    The card image was cut from the frame at ``card_image_box``; the picture shows the
    frame's ``crop`` scaled to ``width`` x ``height`` (the JPEG's size).
    """
    if crop.width <= 0 or crop.height <= 0 or width <= 0 or height <= 0:
        return None
    sx, sy = width / crop.width, height / crop.height
    left = (card_image_box.x + read.x - crop.x) * sx
    top = (card_image_box.y + read.y - crop.y) * sy
    right = left + read.width * sx
    bottom = top + read.height * sy
    x0, y0 = max(0, round(left)), max(0, round(top))
    x1, y1 = min(width, round(right)), min(height, round(bottom))
    if x1 <= x0 or y1 <= y0:
        return None
    return Box(x0, y0, x1 - x0, y1 - y0)
