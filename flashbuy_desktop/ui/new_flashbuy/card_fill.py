"""The window's side of reading the order card: 件号 and 价格 filled, marked, and outlined.

The capture service reads the card of each picture on a worker and says what it read
(``card_read``) or that it could not (``card_read_failed``). This object listens for one
window, applies only a reading of the picture the window shows now, and renders what the
rule (:func:`flashbuy_desktop.operations.card_fill.fill`) decides: the fields' text, their
"read from the card" tone, the note under the fields, the outlines on the picture, and the
price selected so that typing replaces it. It never publishes.

- A field the seller edited in this window is theirs until the window closes, even emptied:
  no read fills it again.
- The moment a new picture starts being taken, the old card's values, outlines and note go
  (the piece number back to the window's guess) and the note says the card is being read:
  Enter in between never publishes the new picture with the old card's price.
- Once the seller pressed Enter on a picture, no read of that picture changes the form any
  more (nor any read while sending): a retry must send exactly what was sent, under the same
  Idempotency-Key (``operations/publish.py``).
- A read gives the price the keyboard only when the window's own focus is nowhere or on the
  price already: the field the seller went to keeps it, also while another application (the
  streaming software) is the active one.
- Editing a field filled from the card takes away its outline and its part of the note.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from flashbuy_desktop.capture.types import Box, CaptureResult
from flashbuy_desktop.operations.card_fill import (
    FieldFill,
    FieldNow,
    Fill,
    Note,
    fill,
    forget,
    picture_box,
)
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.capture_watch import CaptureWatch
from flashbuy_desktop.ui.new_flashbuy.inline import say
from flashbuy_desktop.ui.new_flashbuy.preview import PicturePreview
from flashbuy_desktop.ui.theme import Tone

if TYPE_CHECKING:  # a type only: card_reading loads numpy, never on the GUI thread
    from flashbuy_desktop.capture.card_reading import CardReading


class _Field:
    """One field's history since the window opened: edited by the seller, or from the card."""

    def __init__(self, edit: QLineEdit, edited: Callable[[], None]) -> None:
        self.edit = edit
        self.typed = False
        self.from_card = False
        self.dropped = False  # an old picture's card value was emptied by a new capture
        self.guess = ""
        self._edited = edited

    def now(self) -> FieldNow:
        return FieldNow(self.edit.text(), self.typed, self.from_card, self.guess, self.dropped)

    def on_edited(self, _text: str) -> None:
        # The seller's own keys: theirs for the life of the window, even if emptied.
        self.typed = True
        self.dropped = False
        self.from_card = False
        if theme.tone_of(self.edit) is Tone.CARD:
            theme.set_tone(self.edit, None)
        self._edited()

    def forget(self) -> None:
        """A new picture is being taken: the old card's value goes."""
        if self.from_card:
            self.dropped = True
        self.apply(forget(self.now()))

    def apply(self, value: FieldFill) -> None:
        if value.text != self.edit.text():
            self.edit.setText(value.text)  # the field's own checks run, as for typing
        self.from_card = value.from_card
        tone = theme.tone_of(self.edit)
        if value.from_card and tone is None:  # a refused value keeps its red border
            theme.set_tone(self.edit, Tone.CARD)
        elif not value.from_card and tone is Tone.CARD:
            theme.set_tone(self.edit, None)


class CardFill(QObject):
    """Fills one window's piece number and price from the card of the picture it shows."""

    def __init__(
        self,
        capture: CaptureService,
        watch: CaptureWatch,
        piece_edit: QLineEdit,
        price_edit: QLineEdit,
        note: QLabel,
        preview: PicturePreview,
        busy: Callable[[], bool],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.capture = capture
        self.watch = watch
        self.piece = _Field(piece_edit, self._on_piece_edited)
        self.price = _Field(price_edit, self._on_price_edited)
        self.note = note
        self.preview = preview
        self._busy = busy
        self.last_fill: Fill | None = None  # what the shown picture's read filled (None: none)
        self._filled: CaptureResult | None = None  # the picture ``last_fill`` is of
        self._sent: list[CaptureResult] = []  # pictures submitted: their reads change nothing
        self._listening = False
        self._reading = False  # the "reading the card" note is up
        piece_edit.textEdited.connect(self.piece.on_edited)
        price_edit.textEdited.connect(self.price.on_edited)

    def set_piece_guess(self, piece: str) -> None:
        """The piece number the window prefilled (a comment's, or the next one): not typed."""
        self.piece.guess = piece

    def submitted(self, result: CaptureResult) -> None:
        """The seller pressed Enter on ``result``: from now on its reads change nothing."""
        if not any(sent is result for sent in self._sent):
            self._sent.append(result)

    def start(self) -> None:
        """Listen to the capture service's reads (until :meth:`stop`)."""
        self._listening = True
        self.capture.started.connect(self._on_capture_started)
        self.capture.failed.connect(self._on_no_picture)
        self.capture.covered.connect(self._on_no_picture)
        self.capture.reading_started.connect(self._on_reading_started)
        self.capture.card_read.connect(self._on_card_read)
        self.capture.card_read_failed.connect(self._on_card_read_failed)
        self.watch.picture_ready.connect(self._on_picture)

    def stop(self) -> None:
        """Stop listening (the window closes)."""
        if not self._listening:
            return
        self._listening = False
        self.capture.started.disconnect(self._on_capture_started)
        self.capture.failed.disconnect(self._on_no_picture)
        self.capture.covered.disconnect(self._on_no_picture)
        self.capture.reading_started.disconnect(self._on_reading_started)
        self.capture.card_read.disconnect(self._on_card_read)
        self.capture.card_read_failed.disconnect(self._on_card_read_failed)
        self.watch.picture_ready.disconnect(self._on_picture)

    # --- what the service says ------------------------------------------------------------

    def _on_capture_started(self) -> None:
        # A new picture: the old card's values, outlines and note were the old picture's.
        self.last_fill = None
        self._filled = None
        self.piece.forget()
        self.price.forget()
        self.preview.set_highlights([])
        if self.capture.reading:
            self._say_reading()
        else:
            self._reading = False
            say(self.note, None)

    def _on_no_picture(self) -> None:
        if self._reading:  # no picture, so no card to read
            self._reading = False
            say(self.note, None)

    def _on_picture(self) -> None:
        result = self.watch.result
        if result is None or (result.card_image is not None and self.capture.reading):
            return  # its card is being read: the read says the rest
        if self.capture.reading and (self.piece.dropped or self.price.dropped):
            # No card in the new picture: say what the earlier card's values gave way to.
            self._apply(result, None)
        elif self._reading:
            self._reading = False
            say(self.note, None)

    def _on_reading_started(self) -> None:
        if self.watch.result is not None and not self._frozen(self.watch.result):
            self._say_reading()

    def _say_reading(self) -> None:
        self._reading = True
        say(self.note, self.tr("Reading the card…"), Tone.MUTED)

    def _on_card_read(self, result: CaptureResult, reading: CardReading) -> None:
        if result is self.watch.result:  # a read of an older picture is not this one's
            self._apply(result, reading)

    def _on_card_read_failed(self, result: CaptureResult) -> None:
        if result is self.watch.result:
            self._apply(result, None)

    def _frozen(self, result: CaptureResult) -> bool:
        """The form is being (or was) sent with this picture: it must stay what was sent."""
        return self._busy() or any(sent is result for sent in self._sent)

    # --- the seller's edits ---------------------------------------------------------------

    def _on_piece_edited(self) -> None:
        self._edited(piece=True)

    def _on_price_edited(self) -> None:
        self._edited(price=True)

    def _edited(self, *, piece: bool = False, price: bool = False) -> None:
        if self.last_fill is None or self._filled is None:
            return
        self.last_fill = self.last_fill.edited(piece=piece, price=price)
        self._say(self.last_fill)
        self.preview.set_highlights(self._highlights(self._filled, self.last_fill))

    # --- rendering the rule ---------------------------------------------------------------

    def _apply(self, result: CaptureResult, reading: CardReading | None) -> None:
        if self._frozen(result):
            if self._reading:  # the read is dropped: the form stays what was sent
                self._reading = False
                say(self.note, None)
            return
        self._reading = False
        decided = fill(reading, self.piece.now(), self.price.now())
        self.last_fill = decided
        self._filled = result
        self.piece.dropped = self.price.dropped = False
        self.piece.apply(decided.piece)
        self.price.apply(decided.price)
        self._say(decided)
        self.preview.set_highlights(self._highlights(result, decided))
        edit = self.price.edit
        # The window's own focus, not the application's: while the streaming software is the
        # active application there is none, yet the seller's field must keep it.
        focus = edit.window().focusWidget()
        if focus is None or focus is edit:
            # The price keeps the keyboard; a price read is selected so typing replaces it.
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            if decided.select_price:
                edit.selectAll()

    def _say(self, decided: Fill) -> None:
        guess = decided.kept_guess
        words = {
            Note.NONE: None,
            Note.READ: self.tr("Read from the card; please check"),
            Note.READ_OVER_GUESS: self.tr(
                "Read from the card; please check (the piece number was {piece})"
            ).format(piece=decided.replaced_guess),
            Note.PRICE_UNREAD: self.tr("The price on the card could not be read; type the price"),
            Note.PIECE_READ_PRICE_UNREAD: self.tr(
                "Piece number read from the card; the price could not be read: type the price"
            ),
            Note.FAILED: self.tr("The card could not be read; type the price"),
            Note.PIECE_GUESS: self.tr(
                "The piece number on the card could not be read; it is back to {piece}"
            ).format(piece=guess),
            Note.PRICE_READ_PIECE_GUESS: self.tr(
                "Price read from the card; please check. The piece number could not be read;"
                " it is back to {piece}"
            ).format(piece=guess),
            Note.PIECE_GUESS_PRICE_UNREAD: self.tr(
                "The card could not be read; the piece number is back to {piece}; type the price"
            ).format(piece=guess),
        }
        tone = Tone.CARD if decided.note in (Note.READ, Note.READ_OVER_GUESS) else Tone.WARNING
        say(self.note, words[decided.note], tone)

    def _highlights(self, result: CaptureResult, decided: Fill) -> list[Box]:
        cut = result.card_image_box
        if cut is None:
            return []
        boxes = (
            picture_box(b, cut, result.crop, result.width, result.height) for b in decided.boxes()
        )
        return [b for b in boxes if b is not None]
