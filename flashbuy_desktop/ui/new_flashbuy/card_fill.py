"""The window's side of reading the order card: 件号 and 价格 filled, marked, and outlined.

The capture service reads the card of each picture on a worker and says what it read
(``card_read``) or that it could not (``card_read_failed``). This object listens for one
window, applies only a reading of the picture the window shows now, and renders what the
rule (:func:`flashbuy_desktop.operations.card_fill.fill`) decides: the fields' text, their
"read from the card" tone, the note under the fields, the outlines on the picture, and the
price selected so that typing replaces it. It remembers which field the seller has typed in:
their typing is never overwritten. It never publishes.
"""

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from flashbuy_desktop.capture.card_reading import CardReading
from flashbuy_desktop.capture.types import Box, CaptureResult
from flashbuy_desktop.operations.card_fill import FieldFill, FieldNow, Fill, Note, fill, picture_box
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.capture_watch import CaptureWatch
from flashbuy_desktop.ui.new_flashbuy.inline import say
from flashbuy_desktop.ui.new_flashbuy.preview import PicturePreview
from flashbuy_desktop.ui.theme import Tone


class _Field:
    """One field's history since the window opened: typed by the seller, or from the card."""

    def __init__(self, edit: QLineEdit) -> None:
        self.edit = edit
        self.typed = False
        self.from_card = False
        self.guess = ""

    def now(self) -> FieldNow:
        return FieldNow(self.edit.text(), self.typed, self.from_card, self.guess)

    def on_edited(self, text: str) -> None:
        # The seller's own keys: theirs from now on (emptied, it holds nothing of theirs).
        self.typed = bool(text.strip())
        if self.from_card:
            self.from_card = False
            if theme.tone_of(self.edit) is Tone.CARD:
                theme.set_tone(self.edit, None)

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
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.capture = capture
        self.watch = watch
        self.piece = _Field(piece_edit)
        self.price = _Field(price_edit)
        self.note = note
        self.preview = preview
        self.last_fill: Fill | None = None
        self._listening = False
        self._reading = False  # the "reading the card" note is up
        piece_edit.textEdited.connect(self.piece.on_edited)
        price_edit.textEdited.connect(self.price.on_edited)

    def set_piece_guess(self, piece: str) -> None:
        """The piece number the window prefilled (a comment's, or the next one): not typed."""
        self.piece.guess = piece

    def start(self) -> None:
        """Listen to the capture service's reads (until :meth:`stop`)."""
        self._listening = True
        self.capture.started.connect(self._on_capture_started)
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
        self.capture.reading_started.disconnect(self._on_reading_started)
        self.capture.card_read.disconnect(self._on_card_read)
        self.capture.card_read_failed.disconnect(self._on_card_read_failed)
        self.watch.picture_ready.disconnect(self._on_picture)

    # --- what the service says ------------------------------------------------------------

    def _on_capture_started(self) -> None:
        # A retake: the outlines were the old picture's; the fields keep their values until
        # the new picture's card is read (the rule replaces or empties them then).
        self.preview.set_highlights([])
        if self._reading:
            self._reading = False
            say(self.note, None)

    def _on_picture(self) -> None:
        result = self.watch.result
        if result is not None and result.card_image is None and self._holds_card_values():
            # No card in the new picture, so nothing will be read: the values read from the
            # earlier picture's card do not describe this one.
            self._apply(result, None)

    def _holds_card_values(self) -> bool:
        return self.piece.from_card or self.price.from_card

    def _on_reading_started(self) -> None:
        if self.watch.result is not None:
            self._reading = True
            say(self.note, self.tr("Reading the card…"), Tone.MUTED)

    def _on_card_read(self, result: CaptureResult, reading: CardReading) -> None:
        if result is self.watch.result:  # a read of an older picture is not this one's
            self._apply(result, reading)

    def _on_card_read_failed(self, result: CaptureResult) -> None:
        if result is self.watch.result:
            self._apply(result, None)

    # --- rendering the rule ---------------------------------------------------------------

    def _apply(self, result: CaptureResult, reading: CardReading | None) -> None:
        self._reading = False
        decided = fill(reading, self.piece.now(), self.price.now())
        self.last_fill = decided
        self.piece.apply(decided.piece)
        self.price.apply(decided.price)
        self._say(decided)
        self.preview.set_highlights(self._highlights(result, decided))
        edit = self.price.edit
        if QApplication.focusWidget() is edit or QApplication.focusWidget() is None:
            # The price keeps the keyboard; a price read is selected so typing replaces it.
            # Focus elsewhere (the seller went to another field) is never taken away.
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            if decided.select_price:
                edit.selectAll()

    def _say(self, decided: Fill) -> None:
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
