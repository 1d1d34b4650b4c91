"""The "new flash-buy" window: captured picture, price, Enter, and the viewers get the invitation.

The window asks the capture service for a picture the moment it is built, so by the time
the seller has typed the price the picture is there. Everything the platform would refuse
is said in the window first: an ineligible product, a used-up quota, a price that is not an
amount. Enter hands the form and the picture to a :class:`Publisher` (crop, upload, create,
off the GUI thread through Tasks), which owns the submission's Idempotency-Key; the window
renders what it answers.
"""

import logging

from pydantic import ValidationError
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import OfflineError, PlatformClient, PlatformError
from flashbuy_desktop.api.events import StreamState
from flashbuy_desktop.capture.placement import clear_spot
from flashbuy_desktop.capture.types import CaptureResult
from flashbuy_desktop.operations.publish import (
    PICTURE_PLACEHOLDER,
    ChosenPicture,
    Publisher,
    PublishState,
)
from flashbuy_desktop.room.pieces import next_piece_number, piece_number_in
from flashbuy_desktop.room.product_choice import repeated_pieces
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.money_words import Amount, money_reason
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.services.window_watch import BORDER, TITLE_BAR
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.chip import TargetChip
from flashbuy_desktop.ui.new_flashbuy.context import LiveContext
from flashbuy_desktop.ui.new_flashbuy.inline import inline_label, say
from flashbuy_desktop.ui.new_flashbuy.picture_pane import PicturePane
from flashbuy_desktop.ui.new_flashbuy.products import ProductPicker
from flashbuy_desktop.ui.new_flashbuy.targets import TargetsBox
from flashbuy_desktop.ui.new_flashbuy.template_hook import TemplateEditorHook
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import (
    NOTE_MAX,
    PIECE_NO_MAX,
    STOCK_MAX,
    STOCK_MIN,
    TITLE_MAX,
    text_problem,
    trim,
)
from flashbuy_protocol.models import FlashBuy, FlashBuyCreate, Product, ShippingTemplate, Viewer
from flashbuy_protocol.money import MoneyError, format_fen, parse_yuan

log = logging.getLogger(__name__)

COVERED_POLL_MS = 100  # how often a covered frame is looked at again, to retake once clear

# Refusals that mean the products' quotas or eligibility changed: the list is read again.
_REFRESH_PRODUCTS = {
    ErrorCode.QUOTA_FULL_EXCEEDED,
    ErrorCode.QUOTA_TARGETED_EXCEEDED,
    ErrorCode.CREATOR_NOT_INVITED,
    ErrorCode.SHOP_NOT_QUALIFIED,
    ErrorCode.CATEGORY_NOT_APPROVED,
    ErrorCode.SHOP_NOT_BOUND,
}


class NewFlashBuyDialog(QDialog):
    """Create one flash-buy, full (every viewer) or targeted (the named viewers)."""

    created = Signal(object)  # FlashBuy

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        capture: CaptureService,
        room_id: int,
        *,
        targets: list[tuple[int, str]] | None = None,
        last_template_id: int | None = None,
        retake_key: QKeySequence | None = None,
        live: LiveContext | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks.scoped(self)
        self.capture = capture
        self.publisher = Publisher(client, room_id, encoding=capture.config)
        self.retake_key = retake_key if retake_key is not None else QKeySequence(Qt.Key.Key_F5)
        self.live = live or LiveContext()
        self._ended = self.live.ended
        self.room_id = room_id
        self.mode = Mode.TARGETED if targets else Mode.FULL
        self._templates: list[ShippingTemplate] = []
        self._initial_template_id = last_template_id
        self._result: CaptureResult | None = None
        self._title_edited = False
        # From Enter until the publisher's answer is back on this thread: the publisher's own
        # state turns before its answer arrives, and a press between the two must not count.
        self._sending = False
        self._closed = False
        self._templates_loaded = False
        self._load_failed = False  # reload as soon as the platform is reachable again
        self._duplicate_ok: str | None = None  # the repeated piece number the seller accepted
        self._covered_timer = QTimer(self)  # while our own window covers the frame
        self._covered_timer.setInterval(COVERED_POLL_MS)

        self.setWindowTitle(
            self.tr("New targeted flash-buy")
            if self.mode is Mode.TARGETED
            else self.tr("New full flash-buy")
        )
        self.setModal(True)
        self._build(targets or [])
        self.retake_shortcut = QShortcut(self.retake_key, self)
        self._connect()
        self._prefill_piece()
        self.price_edit.setFocus()  # the widget that takes the keys once the window shows
        if self._ended:
            self._say_ended()
        self._update_state()
        self._place_clear_of_frame()

        if not self._ended:
            self.capture.request()  # the picture is taken as the window appears
        self._load()

    # --- layout ---------------------------------------------------------------------------

    def _build(self, targets: list[tuple[int, str]]) -> None:
        root = QVBoxLayout(self)

        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        theme.set_tone(self.banner, Tone.BANNER)
        self.banner.hide()
        root.addWidget(self.banner)

        body = QHBoxLayout()
        root.addLayout(body, 1)

        # left: the picture
        self.picture_pane = PicturePane(self._retake_key_text(), self)
        body.addWidget(self.picture_pane, 3)
        self.preview_stack = self.picture_pane.preview_stack
        self.preview = self.picture_pane.preview
        self.capture_spinner = self.picture_pane.capture_spinner
        self.capture_status = self.picture_pane.capture_status
        self.warnings_label = self.picture_pane.warnings_label
        self.crop_label = self.picture_pane.crop_label
        self.retake_button = self.picture_pane.retake_button

        # right: mode, targets, quota, fields
        self.form_box = QWidget(self)
        body.addWidget(self.form_box, 4)
        right = QVBoxLayout(self.form_box)
        right.setContentsMargins(0, 0, 0, 0)

        self.mode_label = QLabel(self.form_box)
        self.mode_label.setWordWrap(True)
        self.mode_label.setText(
            self.tr("Targeted flash-buy: only the viewers below can see and buy it")
            if self.mode is Mode.TARGETED
            else self.tr("Full flash-buy: every viewer in the live room gets the invitation")
        )
        theme.set_tone(self.mode_label, Tone.STRONG)
        right.addWidget(self.mode_label)

        self.targets_box = TargetsBox(targets, self.form_box)
        self.targets_box.setVisible(self.mode is Mode.TARGETED)
        right.addWidget(self.targets_box)
        self.comment_label = self.targets_box.comment_label
        self.viewer_combo = self.targets_box.viewer_combo
        self.add_target_button = self.targets_box.add_target_button
        self.targets_error = self.targets_box.targets_error

        self.quota_label = QLabel(self.form_box)
        right.addWidget(self.quota_label)
        self.quota_error = inline_label(self.form_box)
        right.addWidget(self.quota_error)

        form = QFormLayout()
        right.addLayout(form)

        self.product_picker = ProductPicker(self.mode, self.form_box)
        form.addRow(self.tr("Product"), self.product_picker)
        self.product_model = self.product_picker.product_model
        self.product_combo = self.product_picker.product_combo
        self.category_label = self.product_picker.category_label
        self.product_error = self.product_picker.product_error

        self.piece_edit = QLineEdit(self.form_box)
        self.piece_edit.setMaxLength(PIECE_NO_MAX)
        self.piece_edit.setPlaceholderText(self.tr("e.g. 3"))
        self.piece_error = inline_label(self.form_box, Tone.WARNING)
        form.addRow(self.tr("Piece no."), self._stack(self.piece_edit, self.piece_error))

        self.title_edit = QLineEdit(self.form_box)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_error = inline_label(self.form_box)
        form.addRow(self.tr("Title"), self._stack(self.title_edit, self.title_error))

        self.price_edit = QLineEdit(self.form_box)
        self.price_edit.setPlaceholderText(self.tr("Yuan, e.g. 1288 or 1288.50"))
        self.price_error = inline_label(self.form_box)
        form.addRow(self.tr("Price (yuan)"), self._stack(self.price_edit, self.price_error))

        self.stock_spin = QSpinBox(self.form_box)
        self.stock_spin.setRange(STOCK_MIN, STOCK_MAX)
        self.stock_spin.setValue(1)
        form.addRow(self.tr("Stock"), self.stock_spin)

        template_row = QHBoxLayout()
        self.template_combo = QComboBox(self.form_box)
        self.template_combo.setPlaceholderText(self.tr("Loading shipping templates…"))
        self.template_combo.setMinimumContentsLength(10)
        template_row.addWidget(self.template_combo, 1)
        self.new_template_button = QPushButton(
            self.tr("New…", "a shipping template"), self.form_box
        )
        self.new_template_button.setAutoDefault(False)
        template_row.addWidget(self.new_template_button)
        self.template_error = inline_label(self.form_box)
        form.addRow(self.tr("Shipping template"), self._stack(template_row, self.template_error))

        self.note_edit = QLineEdit(self.form_box)
        self.note_edit.setMaxLength(NOTE_MAX)
        self.note_edit.setPlaceholderText(self.tr("Optional"))
        self.note_error = inline_label(self.form_box)
        form.addRow(self.tr("Note"), self._stack(self.note_edit, self.note_error))
        right.addStretch(1)

        # bottom: status and buttons
        bottom = QHBoxLayout()
        self.create_spinner = QProgressBar(self)
        self.create_spinner.setRange(0, 0)
        self.create_spinner.setTextVisible(False)
        self.create_spinner.setMaximumWidth(120)
        self.create_spinner.hide()
        bottom.addWidget(self.create_spinner)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        bottom.addWidget(self.status_label, 1)
        bottom.addStretch(0)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setMinimumWidth(96)
        self.cancel_button.setAutoDefault(False)
        bottom.addWidget(self.cancel_button)
        self.create_button = QPushButton(self.tr("Create (Enter)"), self)
        self.create_button.setDefault(True)
        self.create_button.setMinimumWidth(140)
        bottom.addWidget(self.create_button)
        root.addLayout(bottom)
        self.resize(self.minimumSizeHint().expandedTo(QSize(880, 520)))

    def _stack(self, content: QWidget | QHBoxLayout, error: QLabel) -> QWidget:
        box = QWidget(self.form_box)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
        layout.addWidget(error)
        return box

    def _connect(self) -> None:
        self.capture.started.connect(self._on_capture_started)
        self.capture.captured.connect(self._on_captured)
        self.capture.failed.connect(self._on_capture_failed)
        self.capture.covered.connect(self._on_covered)
        self._covered_timer.timeout.connect(self._retake_when_clear)
        self.retake_button.clicked.connect(self.retake)
        self.retake_shortcut.activated.connect(self.retake)
        self.product_picker.changed.connect(self._on_product_changed)
        self.targets_box.changed.connect(self._update_state)
        self.piece_edit.textChanged.connect(self._prefill_title)
        self.piece_edit.textChanged.connect(self._check_piece)
        self.title_edit.textEdited.connect(self._on_title_edited)
        self.title_edit.textChanged.connect(lambda _text: say(self.title_error, None))
        self.note_edit.textChanged.connect(lambda _text: say(self.note_error, None))
        self.price_edit.textChanged.connect(self._check_price)
        self.template_combo.currentIndexChanged.connect(lambda _i: say(self.template_error, None))
        self.new_template_button.clicked.connect(self._new_template)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.submit)

    # --- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        self._load_failed = False
        client = self.client
        self.tasks.run(client.products, self._on_products, self._on_load_failed, key="products")
        self.tasks.run(client.templates, self._on_templates, self._on_load_failed, key="templates")
        if self.mode is Mode.TARGETED:
            room_id = self.room_id
            self.tasks.run(
                lambda: client.viewers(room_id),
                self._on_viewers,
                self._on_load_failed,
                key="viewers",
            )

    def _on_load_failed(self, error: Exception) -> None:
        log.warning("new flash-buy: loading failed: %s", error)
        self._load_failed = True
        if not self._ended:
            say(self.banner, describe(error))

    def on_stream_state(self, state: str, _reason: str = "") -> None:
        """The room's stream changed state (StreamState value): connected means reachable."""
        self.connection_changed(state == StreamState.CONNECTED)

    def connection_changed(self, connected: bool) -> None:
        """The platform is reachable again (or not): reload what could not be loaded."""
        if connected and self._load_failed and not self._closed:
            log.info("new flash-buy: the platform is back; loading again")
            say(self.banner, None)
            self._load()

    def live_ended(self) -> None:
        """The live ended while the window was open: nothing can be published any more."""
        if not self._ended:
            self._ended = True
            self._say_ended()
            self._update_state()

    def _say_ended(self) -> None:
        say(
            self.banner,
            self.tr("The live has ended, so nothing can be published: start a new live first"),
        )

    @property
    def _products_loaded(self) -> bool:
        return self.product_picker.loaded

    @property
    def _products(self) -> list[Product]:
        return self.product_picker.products

    def _on_products(self, products: list[Product]) -> None:
        self.product_picker.set_products(products, self.live.last_product_id)
        self._show_eligibility()

    def _reload_products(self, products: list[Product]) -> None:
        self.product_picker.reload(products, self.live.last_product_id)
        self._show_eligibility()

    def _on_templates(self, templates: list[ShippingTemplate]) -> None:
        self._templates = templates
        self._templates_loaded = True
        self.template_combo.clear()
        for template in templates:
            self.template_combo.addItem(template.name, template.id)
        index = self.template_combo.findData(self._initial_template_id)
        self.template_combo.setPlaceholderText(self.tr("Make a shipping template"))
        self.template_combo.setCurrentIndex(index if index >= 0 else (0 if templates else -1))
        self._update_state()

    def _on_viewers(self, viewers: list[Viewer]) -> None:
        self.targets_box.set_viewers(viewers)

    # --- eligibility and quotas -----------------------------------------------------------

    def product_text(self, product: Product, *, with_shop: bool) -> str:
        """A product as the list shows it: name (shop), and what is left of its quotas."""
        return self.product_picker.product_text(product, with_shop=with_shop)

    def _show_eligibility(self) -> None:
        """Say up front why nothing (or not everything) can be flash-bought."""
        products = self.product_picker.products
        reasons = [self.product_picker.unusable_reason(p) for p in products]
        if self._ended:
            self._say_ended()
        elif not products:
            say(
                self.banner,
                self.tr(
                    "No product can be flash-bought: first list products of a non-standard"
                    " category in your shop"
                ),
            )
        elif all(reason is not None for reason in reasons):
            # Not eligible, or this mode's quota used up: the same words as in the list.
            separator = self.tr("; ", "between reasons")
            say(
                self.banner,
                self.tr("Flash-buys cannot be created: {reasons}").format(
                    reasons=separator.join(dict.fromkeys(str(r) for r in reasons))
                ),
            )
        else:
            say(self.banner, self.product_picker.last_product_note)
        self._update_state()

    def selected_product(self) -> Product | None:
        """The selected product if it can be flash-bought."""
        return self.product_picker.selected()

    def _on_product_changed(self) -> None:
        picker = self.product_picker
        if picker.current() is not None and picker.last_product_note is not None:
            picker.last_product_note = None  # the seller chose: the note has done its job
            if self.banner.isVisible() and not self._ended:
                say(self.banner, None)
        self._prefill_title()
        self._update_state()

    def quota_text(self) -> str:
        product = self.selected_product()
        if product is None:
            return ""
        q = product.quota
        return self.tr(
            "Full {full_left}/{full_limit}    Targeted {targeted_left}/{targeted_limit}"
        ).format(
            full_left=q.full_left,
            full_limit=q.full_limit,
            targeted_left=q.targeted_left,
            targeted_limit=q.targeted_limit,
        )

    def blocking_reason(self) -> str | None:
        """Why this window cannot create right now, whatever is typed (None: it can)."""
        if self._ended:
            return self.tr("The live has ended")
        if not self._products_loaded:
            return self.tr("Loading products…")
        product = self.selected_product()
        if product is None:
            if self._load_failed:
                return self.banner.text()
            return self.tr("Choose a product that can be flash-bought")
        if self.mode is Mode.FULL and product.quota.full_left <= 0:
            return self.tr("This product has no full flash-buys left ({left}/{limit})").format(
                left=product.quota.full_left, limit=product.quota.full_limit
            )
        if self.mode is Mode.TARGETED and product.quota.targeted_left <= 0:
            return self.tr("This product has no targeted flash-buys left ({left}/{limit})").format(
                left=product.quota.targeted_left, limit=product.quota.targeted_limit
            )
        return None

    def _busy(self) -> bool:
        return self._sending

    def _update_state(self) -> None:
        busy = self._busy()
        self.quota_label.setText(self.quota_text())
        reason = self.blocking_reason()
        loading = not self._products_loaded
        quota_reason = None if loading or self.selected_product() is None else reason
        say(self.quota_error, quota_reason)
        self.create_button.setEnabled(not busy and reason is None)
        self.create_button.setToolTip(reason or "")
        self.form_box.setEnabled(not busy)
        self.retake_button.setEnabled(not busy)
        self.retake_shortcut.setEnabled(not busy)
        self.create_spinner.setVisible(busy)

    # --- the picture ----------------------------------------------------------------------

    def _retake_key_text(self) -> str:
        return self.retake_key.toString(QKeySequence.SequenceFormat.NativeText)

    def retake(self) -> None:
        """Capture the frame again (the retake key and the 重拍 button)."""
        if not self._busy():
            self.capture.retake()

    def _on_capture_started(self) -> None:
        self.picture_pane.show_taking()

    def _on_captured(self, result: CaptureResult) -> None:
        self._covered_timer.stop()
        if not self.picture_pane.show_picture(result):
            self._result = None
            return
        self._result = result
        say(self.status_label, None)

    def _on_covered(self) -> None:
        """Every frame may show one of our own windows: none is used; retake once clear."""
        self._on_capture_failed(
            self.tr(
                "A console window covers the capture frame, so this picture cannot be used."
                " Move the window off the frame: the picture is retaken as soon as it is clear."
            )
        )
        self._covered_timer.start()

    def _retake_when_clear(self) -> None:
        if self.capture.is_clear():
            self._covered_timer.stop()
            self.retake()

    def _on_capture_failed(self, message: str) -> None:
        self._covered_timer.stop()
        self._result = None
        self.picture_pane.show_problem(message)

    def captured_result(self) -> CaptureResult | None:
        return self._result

    # --- fields ---------------------------------------------------------------------------

    def _suggested_title(self) -> str:
        product = self.product_picker.current()
        name = product.name if product else ""
        piece = self.piece_edit.text().strip()
        title = (
            self.tr("No. {piece} {product}").format(piece=piece, product=name) if piece else name
        )
        return title.strip()[:TITLE_MAX]

    def _prefill_piece(self) -> None:
        """The piece number the clicked comment names, or the one after the last flash-buy's."""
        if self.live.comment:
            self.targets_box.set_comment(self.live.comment)
            piece = piece_number_in(self.live.comment)
        elif self.mode is Mode.FULL and self.live.flashbuys:
            piece = next_piece_number(self.live.flashbuys[-1].piece_no)
        else:
            piece = None
        if piece:
            self.piece_edit.setText(piece)

    def repeated_pieces(self) -> list[FlashBuy]:
        """This live's active or sold flash-buys with the piece number typed."""
        return repeated_pieces(self.piece_edit.text(), self.live.flashbuys)

    def _check_piece(self) -> None:
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

    def _prefill_title(self) -> None:
        if not self._title_edited:
            self.title_edit.setText(self._suggested_title())

    def _on_title_edited(self, text: str) -> None:
        # Edited by hand: keep it; emptied by hand: follow piece and product again.
        self._title_edited = bool(text.strip())
        if not self._title_edited:
            self.title_edit.setText(self._suggested_title())

    def _check_price(self, text: str) -> int | None:
        try:
            fen = parse_yuan(text)
        except MoneyError as exc:
            typed = bool(text.strip())
            say(self.price_error, self.price_reason(exc) if typed else None)
            theme.set_tone(self.price_edit, Tone.INVALID if typed else None)
            return None
        say(self.price_error, None)
        theme.set_tone(self.price_edit, None)
        return fen

    def price_reason(self, error: MoneyError) -> str:
        """Why ``parse_yuan`` refused the price, in the seller's language."""
        return money_reason(error, Amount.PRICE)

    def price_fen(self) -> int | None:
        """The price typed, in fen, or None when it is not a valid amount."""
        try:
            return parse_yuan(self.price_edit.text())
        except MoneyError:
            return None

    def template_id(self) -> int | None:
        data = self.template_combo.currentData()
        return data if isinstance(data, int) else None

    @property
    def last_product_id(self) -> int | None:
        """The product chosen here, for the caller to keep next time."""
        product = self.selected_product()
        return product.id if product is not None else self.live.last_product_id

    @property
    def last_template_id(self) -> int | None:
        """The template chosen here, for the caller to preselect next time."""
        return self.template_id() or self._initial_template_id

    def _new_template(self) -> None:
        template = TemplateEditorHook.create(self, self.client, self.tasks)
        if template is None:
            return
        self._templates.append(template)
        self.template_combo.addItem(template.name, template.id)
        self.template_combo.setCurrentIndex(self.template_combo.findData(template.id))
        self._update_state()

    # --- targets --------------------------------------------------------------------------

    def targets(self) -> list[tuple[int, str]]:
        return self.targets_box.targets()

    def chips(self) -> list[TargetChip]:
        return self.targets_box.chips()

    def add_target(self, viewer_id: int, nickname: str) -> None:
        self.targets_box.add_target(viewer_id, nickname)

    def remove_target(self, viewer_id: int) -> None:
        self.targets_box.remove_target(viewer_id)

    # --- creating -------------------------------------------------------------------------

    def _validated(self) -> FlashBuyCreate | None:
        """The request the fields make, with a placeholder picture; None after saying why."""
        ok = True
        product = self.selected_product()
        if product is None:
            say(self.product_error, self.tr("Choose a product that can be flash-bought"))
            ok = False
        price = self._check_price(self.price_edit.text())
        if price is None:
            try:
                parse_yuan(self.price_edit.text())
            except MoneyError as exc:
                say(self.price_error, self.price_reason(exc))
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
        targets = self.targets()
        if self.mode is Mode.TARGETED and not targets:
            say(self.targets_error, self.tr("A targeted flash-buy needs at least one viewer"))
            ok = False
        if self._result is None:
            say(
                self.status_label,
                self.tr("No picture yet: wait for the capture, or press {key} to retake").format(
                    key=self._retake_key_text()
                ),
                Tone.ERROR,
            )
            ok = False
        if not ok or product is None or price is None or template_id is None:
            return None
        try:
            return FlashBuyCreate(
                product_id=product.id,
                mode=self.mode,
                title=title,
                piece_no=piece,
                price_fen=price,
                stock=self.stock_spin.value(),
                picture_id=PICTURE_PLACEHOLDER,
                template_id=template_id,
                target_viewer_ids=[t for t, _ in targets] if self.mode is Mode.TARGETED else [],
                note=note,
            )
        except ValidationError as exc:
            say(
                self.status_label,
                self.tr("Invalid input: {reason}").format(reason=exc.errors()[0]["msg"]),
                Tone.ERROR,
            )
            return None

    def submit(self) -> None:
        """Create the flash-buy the fields describe (Enter, or the 创建 button)."""
        if self._busy() or self.blocking_reason() is not None:
            return
        body = self._validated()
        if body is None or self._result is None:
            return
        if self.repeated_pieces() and self._duplicate_ok != body.piece_no:
            # The first Enter shows what would repeat; the second one publishes anyway
            # (a second identical bangle is legitimate).
            self._duplicate_ok = body.piece_no
            self._check_piece()
            say(
                self.status_label,
                self.tr(
                    "No. {piece} was already published in this live: press Enter again to"
                    " publish it anyway"
                ).format(piece=body.piece_no),
                Tone.WARNING,
            )
            return
        picture = ChosenPicture(self._result.jpeg, self.preview.crop())
        publisher = self.publisher
        self._set_sending(True)
        say(self.status_label, self.tr("Creating…"), Tone.MUTED)
        self.tasks.run(
            lambda: publisher.submit(body, picture),
            self._on_created,
            self._on_create_failed,
            key="create",
        )

    def _set_sending(self, sending: bool) -> None:
        self._sending = sending
        self._update_state()

    def _on_created(self, flashbuy: FlashBuy) -> None:
        self._set_sending(False)
        self.created.emit(flashbuy)
        self.accept()

    def _on_create_failed(self, error: Exception) -> None:
        self._set_sending(False)
        if self.publisher.state is PublishState.UNCONFIRMED and isinstance(error, OfflineError):
            # The publisher keeps the key: pressing Enter again on the same form retries it.
            say(
                self.status_label,
                self.tr(
                    "Cannot reach the platform, so the flash-buy is not confirmed;"
                    " check the network, then press Enter to try again"
                ),
                Tone.ERROR,
            )
        else:
            if not isinstance(error, PlatformError):
                log.error("new flash-buy failed: %s", getattr(error, "__traceback_text__", error))
            say(self.status_label, describe(error), Tone.ERROR)
            if isinstance(error, PlatformError) and str(error.code) in _REFRESH_PRODUCTS:
                self.tasks.run(
                    self.client.products,
                    self._reload_products,
                    self._on_load_failed,
                    key="products",
                )
        self.price_edit.setFocus()

    def pending_key(self) -> str | None:
        """The key a retry of the last unconfirmed submission would carry."""
        return self.publisher.pending_key

    # --- where the window opens, and the keys ---------------------------------------------

    def _place_clear_of_frame(self) -> None:
        """Open beside the capture frame, never over it (the picture would show this window)."""
        frame = self.capture.frame
        parent = self.parentWidget()
        if not isinstance(frame, QWidget) or not frame.isVisible():
            return  # no frame on screen to keep clear of
        screen = (parent or frame).screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        avoid = frame.geometry()
        near = parent.frameGeometry() if parent is not None else avoid
        title, border = TITLE_BAR, BORDER  # what a window manager adds around the window
        size = (self.width() + 2 * border, self.height() + title + border)
        spot = clear_spot(
            size,
            (avoid.x(), avoid.y(), avoid.width(), avoid.height()),
            (area.x(), area.y(), area.width(), area.height()),
            (near.x(), near.y(), near.width(), near.height()),
        )
        if spot is not None:
            self.move(spot[0] + border, spot[1] + title)
        # Else the window may cover the frame: the capture drops every frame it may show
        # (see capture.occlusion) and asks the seller to move it.

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The price is what the seller types first, the moment the window appears.
        QTimer.singleShot(0, self._focus_price)

    def _focus_price(self) -> None:
        if self._closed:
            return
        self.activateWindow()
        self.raise_()
        if self.price_edit.isEnabled():
            self.price_edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The retake shortcut already covers an active window; this covers a key that reached
        # the dialog unused (focus on a button) when the shortcut could not match.
        pressed = QKeySequence(event.keyCombination())
        if not self.retake_key.isEmpty() and pressed.matches(self.retake_key) == (
            QKeySequence.SequenceMatch.ExactMatch
        ):
            self.retake()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- closing --------------------------------------------------------------------------

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self._covered_timer.stop()
            self.capture.covered.disconnect(self._on_covered)
            self.capture.started.disconnect(self._on_capture_started)
            self.capture.captured.disconnect(self._on_captured)
            self.capture.failed.disconnect(self._on_capture_failed)
            if self._result is None:
                self.capture.cancel()  # nobody will look at the picture any more
        super().done(result)
