"""The "new flash-buy" window: captured picture, price, Enter, and the viewers get the invitation.

The window asks the capture service for a picture the moment it is built, so by the time
the seller has typed the price the picture is there. Everything the platform would refuse
is said in the window first: an ineligible product, a used-up quota, a price that is not an
amount. Enter hands the form and the picture to a :class:`Publisher` (crop, upload, create,
off the GUI thread through Tasks), which owns the submission's Idempotency-Key; the window
renders what it answers.

The window renders and forwards keys; its parts are beside it: the form and its inline words
(``fields``), the capture it listens to (``capture_watch``), the publishing state
(``publishing``) and where it opens (``placement``).
"""

import logging

from pydantic import ValidationError
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import StreamState
from flashbuy_desktop.capture.types import CaptureResult
from flashbuy_desktop.operations.publish import PICTURE_PLACEHOLDER, ChosenPicture, Publisher
from flashbuy_desktop.room.pieces import next_piece_number, piece_number_in
from flashbuy_desktop.room.product_choice import Unusable, unusable
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.capture_watch import CaptureWatch
from flashbuy_desktop.ui.new_flashbuy.card_fill import CardFill
from flashbuy_desktop.ui.new_flashbuy.chip import TargetChip
from flashbuy_desktop.ui.new_flashbuy.context import LiveContext
from flashbuy_desktop.ui.new_flashbuy.fields import FlashBuyFields
from flashbuy_desktop.ui.new_flashbuy.inline import inline_label, say
from flashbuy_desktop.ui.new_flashbuy.picture_pane import PicturePane
from flashbuy_desktop.ui.new_flashbuy.placement import place_clear_of_frame
from flashbuy_desktop.ui.new_flashbuy.publishing import Publishing
from flashbuy_desktop.ui.new_flashbuy.targets import TargetsBox
from flashbuy_desktop.ui.new_flashbuy.template_hook import TemplateEditorHook
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.enums import Mode
from flashbuy_protocol.models import FlashBuy, FlashBuyCreate, Product, ShippingTemplate, Viewer

log = logging.getLogger(__name__)


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
        self.publishing = Publishing(self.publisher, self.tasks, self)
        self.retake_key = retake_key if retake_key is not None else QKeySequence(Qt.Key.Key_F5)
        self.live = live or LiveContext()
        self._ended = self.live.ended
        self.room_id = room_id
        self.mode = Mode.TARGETED if targets else Mode.FULL
        self._initial_template_id = last_template_id
        self._closed = False
        self._load_failed = False  # reload as soon as the platform is reachable again

        self.setWindowTitle(
            self.tr("New targeted flash-buy")
            if self.mode is Mode.TARGETED
            else self.tr("New full flash-buy")
        )
        self.setModal(True)
        self._build(targets or [])
        self.capture_watch = CaptureWatch(capture, self.picture_pane, self._busy, self)
        self.card_fill = CardFill(
            capture,
            self.capture_watch,
            self.piece_edit,
            self.price_edit,
            self.card_note,
            self.preview,
            self._busy,
            self,
        )
        self.retake_shortcut = QShortcut(self.retake_key, self)
        self._connect()
        self._prefill_piece()
        self.price_edit.setFocus()  # the widget that takes the keys once the window shows
        if self._ended:
            self._say_ended()
        self._update_state()
        place_clear_of_frame(self, self.capture.frame)

        if not self._ended:
            self.capture_watch.request()  # the picture is taken as the window appears
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
        self.hold_back_label = QLabel(self.form_box)
        self.hold_back_label.setWordWrap(True)
        theme.set_tone(self.hold_back_label, Tone.MUTED)
        hold_back = self.live.hold_back_after
        if self.mode is Mode.FULL and hold_back is not None:
            self.hold_back_label.setText(
                self.tr(
                    "Viewers with %n or more expired order(s) with you cannot buy it (settings)",
                    "",
                    hold_back,
                )
            )
        self.hold_back_label.setVisible(bool(self.hold_back_label.text()))
        right.addWidget(self.hold_back_label)

        self.targets_box = TargetsBox(targets, self.form_box, record_of=self.live.record_of)
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

        self.fields = FlashBuyFields(
            self.mode, self.live.flashbuys, self.form_box, pay_minutes=self.live.pay_minutes
        )
        right.addWidget(self.fields)
        # One line under the fields: what was read from the order card, or what could not be.
        self.card_note = inline_label(self.form_box, Tone.MUTED)
        right.addWidget(self.card_note)
        right.addStretch(1)
        fields = self.fields
        self.product_picker = fields.product_picker
        self.product_model = fields.product_picker.product_model
        self.product_combo = fields.product_picker.product_combo
        self.category_label = fields.product_picker.category_label
        self.product_error = fields.product_picker.product_error
        self.piece_edit, self.piece_error = fields.piece_edit, fields.piece_error
        self.title_edit, self.title_error = fields.title_edit, fields.title_error
        self.price_edit, self.price_error = fields.price_edit, fields.price_error
        self.stock_spin = fields.stock_spin
        self.pay_spin = fields.pay_spin
        self.template_combo, self.template_error = fields.template_combo, fields.template_error
        self.new_template_button = fields.new_template_button
        self.note_edit, self.note_error = fields.note_edit, fields.note_error

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

    def _connect(self) -> None:
        self.capture_watch.start()
        self.card_fill.start()
        self.capture_watch.picture_ready.connect(lambda: say(self.status_label, None))
        self.retake_button.clicked.connect(self.retake)
        self.retake_shortcut.activated.connect(self.retake)
        self.product_picker.changed.connect(self._on_product_changed)
        self.fields.changed.connect(self._update_state)
        self.targets_box.changed.connect(self._update_state)
        self.new_template_button.clicked.connect(self._new_template)
        self.publishing.sending_changed.connect(self._update_state)
        self.publishing.created.connect(self._on_created)
        self.publishing.failed.connect(self._on_create_failed)
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

    @property
    def _templates_loaded(self) -> bool:
        return self.fields.templates_loaded

    def _on_products(self, products: list[Product]) -> None:
        self.product_picker.set_products(products, self.live.last_product_id)
        self._show_eligibility()

    def _reload_products(self, products: list[Product]) -> None:
        self.product_picker.reload(products, self.live.last_product_id)
        self._show_eligibility()

    def _on_templates(self, templates: list[ShippingTemplate]) -> None:
        self.fields.set_templates(templates, self._initial_template_id)

    def _on_viewers(self, viewers: list[Viewer]) -> None:
        self.targets_box.set_viewers(viewers)

    # --- eligibility and quotas -----------------------------------------------------------

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
        self._update_state()

    def quota_text(self) -> str:
        """What is left of the selected product's quotas ("" without one)."""
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
        # The rule is room/product_choice's; the window only words it.
        match unusable(product, self.mode):
            case Unusable.FULL_USED_UP:
                return self.tr("This product has no full flash-buys left ({left}/{limit})").format(
                    left=product.quota.full_left, limit=product.quota.full_limit
                )
            case Unusable.TARGETED_USED_UP:
                return self.tr(
                    "This product has no targeted flash-buys left ({left}/{limit})"
                ).format(left=product.quota.targeted_left, limit=product.quota.targeted_limit)
        return None

    def _busy(self) -> bool:
        return self.publishing.sending

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

    # --- the picture, the fields, the targets ---------------------------------------------

    def _retake_key_text(self) -> str:
        return self.retake_key.toString(QKeySequence.SequenceFormat.NativeText)

    def retake(self) -> None:
        """Capture the frame again (the retake key and the 重拍 button)."""
        self.capture_watch.retake()

    def captured_result(self) -> CaptureResult | None:
        """The picture this window would publish (None: none usable yet)."""
        return self.capture_watch.result

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
            self.card_fill.set_piece_guess(piece)  # a guess, not the seller's typing

    def price_fen(self) -> int | None:
        """The price typed, in fen, or None when it is not a valid amount."""
        return self.fields.price_fen()

    def template_id(self) -> int | None:
        """The chosen shipping template's id (None: none chosen)."""
        return self.fields.template_id()

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
        if template is not None:
            self.fields.add_template(template)

    def targets(self) -> list[tuple[int, str]]:
        """The targeted viewers, as (id, nickname)."""
        return self.targets_box.targets()

    def chips(self) -> list[TargetChip]:
        """The targeted viewers' chips, in order."""
        return self.targets_box.chips()

    # --- creating -------------------------------------------------------------------------

    def _validated(self) -> FlashBuyCreate | None:
        """The request the window makes, with a placeholder picture; None after saying why."""
        values = self.fields.values()
        ok = values is not None
        targets = self.targets()
        if self.mode is Mode.TARGETED and not targets:
            say(self.targets_error, self.tr("A targeted flash-buy needs at least one viewer"))
            ok = False
        if self.captured_result() is None:
            say(
                self.status_label,
                self.tr("No picture yet: wait for the capture, or press {key} to retake").format(
                    key=self._retake_key_text()
                ),
                Tone.ERROR,
            )
            ok = False
        if not ok or values is None:
            return None
        try:
            return FlashBuyCreate(
                product_id=values.product.id,
                mode=self.mode,
                title=values.title,
                piece_no=values.piece_no,
                price_fen=values.price_fen,
                stock=values.stock,
                picture_id=PICTURE_PLACEHOLDER,
                template_id=values.template_id,
                target_viewer_ids=[t for t, _ in targets] if self.mode is Mode.TARGETED else [],
                note=values.note,
                pay_minutes=values.pay_minutes,
                # The settings' rule holds back viewers who left orders unpaid from offers to
                # everyone; a targeted offer names its viewers, so the seller chose them.
                hold_back_after=self.live.hold_back_after if self.mode is Mode.FULL else None,
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
        result = self.captured_result()
        if body is None or result is None:
            return
        if self.fields.repeated_pieces() and not self.publishing.repeat_accepted(body.piece_no):
            # The first Enter shows what would repeat; the second one publishes anyway.
            self.fields.check_piece()
            say(
                self.status_label,
                self.tr(
                    "No. {piece} was already published in this live: press Enter again to"
                    " publish it anyway"
                ).format(piece=body.piece_no),
                Tone.WARNING,
            )
            return
        say(self.status_label, self.tr("Creating…"), Tone.MUTED)
        self.card_fill.submitted(result)  # a late read of this picture must not change the form
        self.publishing.send(body, ChosenPicture(result.jpeg, self.preview.crop()))

    def _on_created(self, flashbuy: FlashBuy) -> None:
        self.created.emit(flashbuy)
        self.accept()

    def _on_create_failed(self, error: Exception) -> None:
        say(self.status_label, self.publishing.failure_text(error), Tone.ERROR)
        if self.publishing.refreshes_products(error):
            self.tasks.run(
                self.client.products, self._reload_products, self._on_load_failed, key="products"
            )
        self.price_edit.setFocus()

    def pending_key(self) -> str | None:
        """The key a retry of the last unconfirmed submission would carry."""
        return self.publishing.pending_key

    # --- the keys, and closing ------------------------------------------------------------

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

    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            self.capture_watch.stop()
            self.card_fill.stop()
        super().done(result)
