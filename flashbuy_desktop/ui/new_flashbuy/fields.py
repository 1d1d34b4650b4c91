"""The new flash-buy window's form: product, piece, title, price, stock, template and note.

Each field says what is wrong with it underneath, as the seller types (a price that is not an
amount, a piece number this live already sold) or when Enter asks for :meth:`values` (an
empty title, a text the platform would refuse). The window around it adds the targets and
the picture, and renders the publisher's answer.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.room.product_choice import repeated_pieces
from flashbuy_desktop.services.money_words import Amount, money_reason
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.inline import inline_label, say
from flashbuy_desktop.ui.new_flashbuy.products import ProductPicker
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.limits import (
    NOTE_MAX,
    PAY_MINUTES_DEFAULT,
    PAY_MINUTES_MAX,
    PAY_MINUTES_MIN,
    PIECE_NO_MAX,
    STOCK_MAX,
    STOCK_MIN,
    TITLE_MAX,
    text_problem,
    trim,
)
from flashbuy_protocol.models import FlashBuy, Product, ShippingTemplate
from flashbuy_protocol.money import MoneyError, format_fen, parse_yuan


@dataclass(frozen=True)
class FieldValues:
    """What the fields describe once every one of them is valid."""

    product: Product
    piece_no: str
    title: str
    price_fen: int
    stock: int
    template_id: int
    note: str
    pay_minutes: int = PAY_MINUTES_DEFAULT


class FlashBuyFields(QWidget):
    """The form's rows, each with its inline words; the title follows piece and product."""

    changed = Signal()  # another product or template: what the window can do may change

    def __init__(
        self,
        mode: Mode,
        flashbuys: Sequence[FlashBuy],
        parent: QWidget | None = None,
        *,
        pay_minutes: int = PAY_MINUTES_DEFAULT,
    ) -> None:
        super().__init__(parent)
        self._flashbuys = flashbuys  # this live's so far: a repeated piece number is said
        self._title_edited = False
        self.templates: list[ShippingTemplate] = []
        self.templates_loaded = False
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)

        self.product_picker = ProductPicker(mode, self)
        form.addRow(self.tr("Product"), self.product_picker)

        self.piece_edit = QLineEdit(self)
        self.piece_edit.setMaxLength(PIECE_NO_MAX)
        self.piece_edit.setPlaceholderText(self.tr("e.g. 3"))
        self.piece_error = inline_label(self, Tone.WARNING)
        form.addRow(self.tr("Piece no."), self._stack(self.piece_edit, self.piece_error))

        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_error = inline_label(self)
        form.addRow(self.tr("Title"), self._stack(self.title_edit, self.title_error))

        self.price_edit = QLineEdit(self)
        self.price_edit.setPlaceholderText(self.tr("Yuan, e.g. 1288 or 1288.50"))
        self.price_error = inline_label(self)
        form.addRow(self.tr("Price (yuan)"), self._stack(self.price_edit, self.price_error))

        self.stock_spin = QSpinBox(self)
        self.stock_spin.setRange(STOCK_MIN, STOCK_MAX)
        self.stock_spin.setValue(1)
        form.addRow(self.tr("Stock"), self.stock_spin)

        # How long the buyer has to pay; the settings give the default. After stock in the
        # tab order, and never focused first: the price keeps the keyboard.
        self.pay_spin = QSpinBox(self)
        self.pay_spin.setObjectName("pay_minutes_spin")
        self.pay_spin.setRange(PAY_MINUTES_MIN, PAY_MINUTES_MAX)
        self.pay_spin.setValue(min(max(pay_minutes, PAY_MINUTES_MIN), PAY_MINUTES_MAX))
        self.pay_spin.setSuffix(self.tr(" min", "a spin box's unit"))
        self.pay_spin.setToolTip(
            self.tr(
                "Unpaid after this long, the order expires and the piece goes to the next buyer"
            )
        )
        form.addRow(self.tr("Time to pay"), self.pay_spin)

        template_row = QHBoxLayout()
        self.template_combo = QComboBox(self)
        self.template_combo.setPlaceholderText(self.tr("Loading shipping templates…"))
        self.template_combo.setMinimumContentsLength(10)
        template_row.addWidget(self.template_combo, 1)
        self.new_template_button = QPushButton(self.tr("New…", "a shipping template"), self)
        self.new_template_button.setAutoDefault(False)
        template_row.addWidget(self.new_template_button)
        self.template_error = inline_label(self)
        form.addRow(self.tr("Shipping template"), self._stack(template_row, self.template_error))

        self.note_edit = QLineEdit(self)
        self.note_edit.setMaxLength(NOTE_MAX)
        self.note_edit.setPlaceholderText(self.tr("Optional"))
        self.note_error = inline_label(self)
        form.addRow(self.tr("Note"), self._stack(self.note_edit, self.note_error))

        self.product_picker.changed.connect(self._on_product_changed)
        self.piece_edit.textChanged.connect(self._prefill_title)
        self.piece_edit.textChanged.connect(self.check_piece)
        self.title_edit.textEdited.connect(self._on_title_edited)
        self.title_edit.textChanged.connect(lambda _text: say(self.title_error, None))
        self.note_edit.textChanged.connect(lambda _text: say(self.note_error, None))
        self.price_edit.textChanged.connect(self.check_price)
        self.template_combo.currentIndexChanged.connect(lambda _i: say(self.template_error, None))

    def _stack(self, content: QWidget | QHBoxLayout, error: QLabel) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
        layout.addWidget(error)
        return box

    def _on_product_changed(self) -> None:
        self._prefill_title()
        self.changed.emit()

    # --- piece and title ------------------------------------------------------------------

    def _suggested_title(self) -> str:
        product = self.product_picker.current()
        name = product.name if product else ""
        piece = self.piece_edit.text().strip()
        title = (
            self.tr("No. {piece} {product}").format(piece=piece, product=name) if piece else name
        )
        return title.strip()[:TITLE_MAX]

    def _prefill_title(self) -> None:
        if not self._title_edited:
            self.title_edit.setText(self._suggested_title())

    def _on_title_edited(self, text: str) -> None:
        # Edited by hand: keep it; emptied by hand: follow piece and product again.
        self._title_edited = bool(text.strip())
        if not self._title_edited:
            self.title_edit.setText(self._suggested_title())

    def repeated_pieces(self) -> list[FlashBuy]:
        """This live's active or sold flash-buys with the piece number typed."""
        return repeated_pieces(self.piece_edit.text(), self._flashbuys)

    def check_piece(self) -> None:
        """Warn when this piece number already has an active or sold flash-buy in this live."""
        theme.set_tone(self.piece_error, Tone.WARNING)  # a refused piece number was shown red
        repeated = self.repeated_pieces()
        if not repeated:
            say(self.piece_error, None)
            return
        latest = repeated[-1]
        state = (
            self.tr("sold", "a flash-buy")
            if latest.status is FlashBuyStatus.SOLD_OUT
            else self.tr("on sale", "a flash-buy")
        )
        say(
            self.piece_error,
            self.tr(
                "⚠ No. {piece} already has a flash-buy in this live ({state}: {title},"
                " ¥{price}). Press Enter again to publish it anyway."
            ).format(
                piece=self.piece_edit.text().strip(),
                state=state,
                title=latest.title,
                price=format_fen(latest.price_fen),
            ),
        )

    # --- price ----------------------------------------------------------------------------

    def check_price(self, text: str) -> int | None:
        """The price typed, in fen; else say why under the field (None)."""
        try:
            fen = parse_yuan(text)
        except MoneyError as exc:
            typed = bool(text.strip())
            say(self.price_error, money_reason(exc, Amount.PRICE) if typed else None)
            theme.set_tone(self.price_edit, Tone.INVALID if typed else None)
            return None
        say(self.price_error, None)
        theme.set_tone(self.price_edit, None)
        return fen

    def price_fen(self) -> int | None:
        """The price typed, in fen, or None when it is not a valid amount."""
        try:
            return parse_yuan(self.price_edit.text())
        except MoneyError:
            return None

    # --- templates ------------------------------------------------------------------------

    def set_templates(self, templates: list[ShippingTemplate], preferred_id: int | None) -> None:
        """List the seller's templates, ``preferred_id`` chosen if it is one of them."""
        self.templates = templates
        self.templates_loaded = True
        self.template_combo.clear()
        for template in templates:
            self.template_combo.addItem(template.name, template.id)
        index = self.template_combo.findData(preferred_id)
        self.template_combo.setPlaceholderText(self.tr("Make a shipping template"))
        self.template_combo.setCurrentIndex(index if index >= 0 else (0 if templates else -1))
        self.changed.emit()

    def add_template(self, template: ShippingTemplate) -> None:
        """A template just made: listed and chosen."""
        self.templates.append(template)
        self.template_combo.addItem(template.name, template.id)
        self.template_combo.setCurrentIndex(self.template_combo.findData(template.id))
        self.changed.emit()

    def template_id(self) -> int | None:
        """The chosen template's id (None: none chosen)."""
        data = self.template_combo.currentData()
        return data if isinstance(data, int) else None

    # --- on Enter -------------------------------------------------------------------------

    def values(self) -> FieldValues | None:
        """What the fields say once each is valid; else None, every problem said in place."""
        ok = True
        product = self.product_picker.selected()
        if product is None:
            say(
                self.product_picker.product_error,
                self.tr("Choose a product that can be flash-bought"),
            )
            ok = False
        price = self.check_price(self.price_edit.text())
        if price is None:
            try:
                parse_yuan(self.price_edit.text())
            except MoneyError as exc:
                say(self.price_error, money_reason(exc, Amount.PRICE))
            ok = False
        title = trim(self.title_edit.text())
        if not title:
            say(self.title_error, self.tr("Enter a title"))
            ok = False
        elif problem := text_problem(title):
            say(self.title_error, text_rule_reason(problem, self.tr("title")))
            ok = False
        piece = trim(self.piece_edit.text())
        if problem := text_problem(piece):
            say(self.piece_error, text_rule_reason(problem, self.tr("piece number")), Tone.ERROR)
            ok = False
        note = trim(self.note_edit.text())
        if problem := text_problem(note):
            say(self.note_error, text_rule_reason(problem, self.tr("note")))
            ok = False
        template_id = self.template_id()
        if template_id is None:
            say(self.template_error, self.tr("Choose a shipping template (or click “New…”)"))
            ok = False
        if not ok or product is None or price is None or template_id is None:
            return None
        return FieldValues(
            product,
            piece,
            title,
            price,
            self.stock_spin.value(),
            template_id,
            note,
            self.pay_spin.value(),
        )
