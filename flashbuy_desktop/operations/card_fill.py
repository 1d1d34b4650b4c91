"""The rule of filling 件号 and 价格 from the order card, and where a read lies on the picture.

Qt-free. The new flash-buy window hands :func:`fill` what the card says (a
:class:`~flashbuy_desktop.capture.card_reading.CardReading`, or ``None`` when the read
failed) and where each of the two fields stands; it answers what each field gets, the note
under the fields, whether the price is selected (so typing replaces it) and the boxes to
highlight on the picture. When a new picture starts being taken, :func:`forget` says what a
field keeps of the old picture's card; when the seller edits a field, :meth:`Fill.edited`
says what the note and the outlines become.

The rule, field by field (piece number and price alike):

============================  ==================  =======================================
the field now                  a sure value read   no sure value (unsure, absent, failed)
============================  ==================  =======================================
edited by the seller           kept                kept
holds the window's guess       the card's value    kept (the guess)
empty                          the card's value    kept empty (price: with the focus)
============================  ==================  =======================================

- Only sure values fill a field (``sure_piece()`` / ``sure_price()``): a value read with low
  confidence is never shown as if it were read.
- A field the seller edited in this window is theirs for the life of the window, even if
  they emptied it: no read fills it again (a retake's neither), so a wrong price the seller
  deleted never comes back.
- The window's guess of the piece number (the one a clicked comment names, or the one after
  the last flash-buy's) is not the seller's typing: the card says which piece the host holds
  up, so the card wins, and the note says which number it replaced.
- A card value belongs to its picture: the moment a new picture starts being taken, every
  value from the card is emptied (the piece number goes back to the guess), so the new
  picture is never published with the old card's price. If the new card's piece number
  cannot be read, the note says the piece number went back to the guess.
- Nothing here publishes: the price read goes through the window's own checks, as a typed one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from flashbuy_desktop.capture.types import Box

if TYPE_CHECKING:  # types only: card_reading loads numpy, which the GUI thread never needs
    from flashbuy_desktop.capture.card_reading import CardReading, ReadValue


@dataclass(frozen=True)
class FieldNow:
    """Where one field stands when a reading arrives."""

    text: str
    typed: bool = False  # the seller edited it in this window (even if they emptied it)
    from_card: bool = False  # its text is a value an earlier read put there
    guess: str = ""  # what the window prefilled before any read (the piece number's guess)
    dropped: bool = False  # it held an earlier picture's card value, emptied by a new capture


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
    # A new picture's card did not give the piece number: it went back to the window's guess.
    PIECE_GUESS = "piece_guess"  # …the price is the seller's
    PRICE_READ_PIECE_GUESS = "price_read_piece_guess"  # …the price was read
    PIECE_GUESS_PRICE_UNREAD = "piece_guess_price_unread"  # …nor the price: type it


@dataclass(frozen=True)
class Fill:
    """The answer of :func:`fill` (and of :meth:`edited`, after the seller's edit)."""

    piece: FieldFill
    price: FieldFill
    note: Note
    replaced_guess: str = ""  # the guess the card's piece number replaced (READ_OVER_GUESS)
    kept_guess: str = ""  # the guess the piece number went back to (the PIECE_GUESS notes)
    failed: bool = False  # the read failed: there was no reading at all
    price_typed: bool = False  # the price is the seller's

    @property
    def select_price(self) -> bool:
        """A price from the card is selected, so whatever the seller types replaces it."""
        return self.price.from_card

    def boxes(self) -> list[Box]:
        """Where the values filled were read on the card image (to highlight)."""
        return [f.box for f in (self.piece, self.price) if f.from_card and f.box is not None]

    def edited(self, *, piece: bool = False, price: bool = False) -> Fill:
        """The same fill once the seller edited the piece number and/or the price.

        An edited field is no longer from the card: its outline goes, and the note speaks
        only of what is still the card's (or of the price still to type).
        """
        piece_fill = FieldFill(self.piece.text, from_card=False) if piece else self.piece
        price_fill = FieldFill(self.price.text, from_card=False) if price else self.price
        price_typed = self.price_typed or price
        replaced = self.replaced_guess if piece_fill.from_card else ""
        kept = "" if piece else self.kept_guess
        note = _note(self.failed, piece_fill, price_fill, price_typed, replaced, kept)
        return replace(
            self,
            piece=piece_fill,
            price=price_fill,
            note=note,
            replaced_guess=replaced if note is Note.READ_OVER_GUESS else "",
            kept_guess=kept if note in _GUESS_NOTES else "",
            price_typed=price_typed,
        )


_GUESS_NOTES = (Note.PIECE_GUESS, Note.PRICE_READ_PIECE_GUESS, Note.PIECE_GUESS_PRICE_UNREAD)


def forget(now: FieldNow) -> FieldFill:
    """What a field keeps when a new picture starts being taken: never the old card's value.

    A value from the card goes (back to the guess, if any); the seller's text stays.
    """
    if now.from_card and not now.typed:
        return FieldFill(now.guess, from_card=False)
    return FieldFill(now.text, from_card=False)


def _field(now: FieldNow, value: ReadValue | None) -> FieldFill:
    if now.typed:
        return FieldFill(now.text, from_card=False)
    if value is not None:
        return FieldFill(value.text, from_card=True, box=value.box)
    if now.from_card:
        return FieldFill(now.guess, from_card=False)  # that value belonged to an older picture
    return FieldFill(now.text, from_card=False)


def _note(
    failed: bool,
    piece: FieldFill,
    price: FieldFill,
    price_typed: bool,
    replaced: str,
    kept: str,
) -> Note:
    price_missing = not price_typed and not price.from_card
    if kept:
        if price_missing:
            return Note.PIECE_GUESS_PRICE_UNREAD
        return Note.PRICE_READ_PIECE_GUESS if price.from_card else Note.PIECE_GUESS
    if price_missing and failed:
        return Note.FAILED
    if price_missing:
        return Note.PIECE_READ_PRICE_UNREAD if piece.from_card else Note.PRICE_UNREAD
    if piece.from_card or price.from_card:
        return Note.READ_OVER_GUESS if replaced else Note.READ
    return Note.NONE


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
    kept = ""
    if (
        (piece.dropped or piece.from_card)
        and not piece.typed
        and not piece_fill.from_card
        and piece.guess
        and piece_fill.text == piece.guess
    ):
        kept = piece.guess  # the new card did not say which piece: the guess is back
    failed = reading is None
    note = _note(failed, piece_fill, price_fill, price.typed, replaced, kept)
    return Fill(
        piece_fill,
        price_fill,
        note,
        replaced if note is Note.READ_OVER_GUESS else "",
        kept if note in _GUESS_NOTES else "",
        failed,
        price.typed,
    )


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
