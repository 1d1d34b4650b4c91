"""The "new flash-buy" window: captured picture, price, Enter, and the viewers get the invitation.

The window asks the capture service for a picture the moment it is built, so by the time
the seller has typed the price the picture is there. Everything the platform would refuse
is said in the window first: an ineligible product, a used-up quota, a price that is not an
amount. Enter does the rest in one task off the GUI thread: crop, upload, create. One press
of Enter carries one idempotency key, reused for every retry of that same submission, so a
dropped connection can never make two flash-buys.
"""

import importlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QShortcut,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import OfflineError, PlatformClient, PlatformError
from flashbuy_desktop.capture.placement import clear_spot
from flashbuy_desktop.capture.types import CaptureResult, CaptureWarning
from flashbuy_desktop.room.pieces import next_piece_number, piece_number_in, same_piece
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.services.text_rule import text_rule_reason
from flashbuy_desktop.services.window_watch import BORDER, TITLE_BAR
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
from flashbuy_protocol.money import MoneyError, MoneyProblem, format_fen, parse_yuan

log = logging.getLogger(__name__)

CREATE_ATTEMPTS = 3  # presses of Enter retried automatically after the platform went unreachable
JPEG_QUALITY = 90
MIN_CROP_PX = 8  # a drag shorter than this (on screen) is a click, not a crop
_PLACEHOLDER_PICTURE = "0" * 64  # validates the body before the picture is uploaded
ERROR_STYLE = "color: #d0312d;"
WARNING_STYLE = "color: #b35c00;"
COVERED_POLL_MS = 100  # how often a covered frame is looked at again, to retake once clear
BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #a4161a; border: 1px solid #f5c2c0;"
    " border-radius: 4px; padding: 6px; }"
)


@dataclass(frozen=True)
class LiveContext:
    """What the window knows of the live it publishes into (from the main window)."""

    flashbuys: Sequence[FlashBuy] = ()  # this live's flash-buys so far, oldest first
    last_product_id: int | None = None  # the product the seller used last, kept if usable
    comment: str | None = None  # the comment whose + opened a targeted window
    ended: bool = False  # the live has ended: nothing can be published any more


class TemplateEditorHook:
    """Opens the shipping-template editor; tests replace :meth:`create`."""

    @classmethod
    def create(
        cls, parent: QWidget, client: PlatformClient, tasks: Tasks
    ) -> ShippingTemplate | None:
        """The template the seller just made, or None if they cancelled."""
        module: Any = importlib.import_module("flashbuy_desktop.ui.shipping")  # loaded lazily
        return cast(
            "ShippingTemplate | None", module.ShippingTemplateEditor.create(parent, client, tasks)
        )


@dataclass(frozen=True)
class CropFraction:
    """A crop as shares of the picture's width and height (0..1), whatever its pixel size."""

    left: float
    top: float
    right: float
    bottom: float

    def to_pixels(self, width: int, height: int) -> QRect:
        """The crop in the pixels of a ``width`` x ``height`` image, clipped to it."""
        x0, y0 = round(self.left * width), round(self.top * height)
        x1, y1 = round(self.right * width), round(self.bottom * height)
        return QRect(x0, y0, max(1, x1 - x0), max(1, y1 - y0)).intersected(
            QRect(0, 0, width, height)
        )


def crop_jpeg(jpeg: bytes, crop: CropFraction | None, quality: int = JPEG_QUALITY) -> bytes:
    """The JPEG cut down to ``crop`` and re-encoded (the bytes unchanged without a crop).

    Runs on a worker thread: QImage, unlike QPixmap, may be used off the GUI thread.
    """
    if crop is None:
        return jpeg
    image = QImage.fromData(jpeg)
    if image.isNull():
        raise ValueError("the captured picture could not be decoded")
    part = image.copy(crop.to_pixels(image.width(), image.height()))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as str at run time; its stubs say bytes, which it refuses.
    if not part.save(buffer, "JPEG", quality):  # type: ignore[call-overload]
        raise ValueError("the cropped picture could not be encoded")
    buffer.close()
    return bytes(data.data())


class PicturePreview(QWidget):
    """The captured picture, fitted to the widget; drag with the mouse to crop it tighter."""

    cropChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Drag to crop the picture tighter; double-click to undo the crop"))
        self._pixmap: QPixmap | None = None
        self._crop: CropFraction | None = None
        self._anchor: QPointF | None = None  # where a drag started, in shares of the picture

    def set_picture(self, pixmap: QPixmap | None) -> None:
        """Show ``pixmap`` (None: nothing); any crop of the previous picture is dropped."""
        self._pixmap = pixmap
        self._anchor = None
        self.set_crop(None)

    def pixmap(self) -> QPixmap | None:
        return self._pixmap

    def crop(self) -> CropFraction | None:
        """The seller's crop, or None for the whole picture."""
        return self._crop

    def set_crop(self, crop: CropFraction | None) -> None:
        if crop != self._crop:
            self._crop = crop
            self.cropChanged.emit()
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn inside the widget (aspect kept, centred)."""
        if self._pixmap is None or self._pixmap.isNull():
            return QRectF()
        size = (
            self._pixmap.size()
            .toSizeF()
            .scaled(self.size().toSizeF(), Qt.AspectRatioMode.KeepAspectRatio)
        )
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def _share(self, pos: QPointF) -> QPointF:
        rect = self.picture_rect()
        sx = min(1.0, max(0.0, (pos.x() - rect.x()) / rect.width()))
        sy = min(1.0, max(0.0, (pos.y() - rect.y()) / rect.height()))
        return QPointF(sx, sy)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.picture_rect().isEmpty():
            self._anchor = self._share(event.position())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None:
            self._drag_to(event.position(), final=False)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag_to(event.position(), final=True)
            self._anchor = None
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._anchor = None
        self.set_crop(None)
        event.accept()

    def _drag_to(self, pos: QPointF, *, final: bool) -> None:
        assert self._anchor is not None
        end = self._share(pos)
        rect = self.picture_rect()
        wide = abs(end.x() - self._anchor.x()) * rect.width()
        tall = abs(end.y() - self._anchor.y()) * rect.height()
        if wide < MIN_CROP_PX or tall < MIN_CROP_PX:
            if final:
                self.set_crop(None)  # a click, not a drag
            return
        self.set_crop(
            CropFraction(
                min(self._anchor.x(), end.x()),
                min(self._anchor.y(), end.y()),
                max(self._anchor.x(), end.x()),
                max(self._anchor.y(), end.y()),
            )
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202124"))
        rect = self.picture_rect()
        if self._pixmap is not None and not rect.isEmpty():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(rect, self._pixmap, QRectF(self._pixmap.rect()))
            if self._crop is not None:
                crop = QRectF(
                    rect.x() + self._crop.left * rect.width(),
                    rect.y() + self._crop.top * rect.height(),
                    (self._crop.right - self._crop.left) * rect.width(),
                    (self._crop.bottom - self._crop.top) * rect.height(),
                )
                shade = QColor(0, 0, 0, 140)
                painter.fillRect(
                    QRectF(rect.x(), rect.y(), rect.width(), crop.y() - rect.y()), shade
                )
                painter.fillRect(
                    QRectF(rect.x(), crop.bottom(), rect.width(), rect.bottom() - crop.bottom()),
                    shade,
                )
                painter.fillRect(
                    QRectF(rect.x(), crop.y(), crop.x() - rect.x(), crop.height()), shade
                )
                painter.fillRect(
                    QRectF(crop.right(), crop.y(), rect.right() - crop.right(), crop.height()),
                    shade,
                )
                pen = QPen(QColor("#ff2d78"), 2, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawRect(crop)
        painter.end()


class TargetChip(QFrame):
    """One targeted viewer's nickname, with a button that removes it."""

    removed = Signal(int)  # viewer id

    def __init__(self, viewer_id: int, nickname: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewer_id = viewer_id
        self.nickname = nickname
        self.setObjectName("chip")
        self.setStyleSheet(
            "QFrame#chip { background: #e8f4ef; border: 1px solid #9fd3bd; border-radius: 10px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(2)
        layout.addWidget(QLabel(nickname, self))
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove {nickname}").format(nickname=nickname))
        self.remove_button.clicked.connect(lambda: self.removed.emit(self.viewer_id))
        layout.addWidget(self.remove_button)


def _error_label(parent: QWidget, style: str = ERROR_STYLE) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(style)
    label.setWordWrap(True)
    # Hidden, it keeps its line: an error that appears never moves the buttons below it.
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.hide()
    return label


def _show(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


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
        self.retake_key = retake_key if retake_key is not None else QKeySequence(Qt.Key.Key_F5)
        self.live = live or LiveContext()
        self._ended = self.live.ended
        self.room_id = room_id
        self.mode = Mode.TARGETED if targets else Mode.FULL
        self._targets: dict[int, str] = dict(targets or [])
        self._viewers: list[Viewer] = []
        self._products: list[Product] = []
        self._templates: list[ShippingTemplate] = []
        self._initial_template_id = last_template_id
        self._result: CaptureResult | None = None
        self._title_edited = False
        self._busy = False
        self._closed = False
        self._products_loaded = False
        self._templates_loaded = False
        self._load_failed = False  # reload as soon as the platform is reachable again
        self._last_product_note: str | None = None  # why the last product is not preselected
        self._duplicate_ok: str | None = None  # the repeated piece number the seller accepted
        self._covered_timer = QTimer(self)  # while our own window covers the frame
        self._covered_timer.setInterval(COVERED_POLL_MS)
        # The idempotency key of the submission that could not reach the platform, and what
        # it submitted: pressing Enter again on the same submission reuses the key.
        self._pending_key: str | None = None
        self._pending_fingerprint: object = None

        self.setWindowTitle(
            self.tr("New targeted flash-buy")
            if self.mode is Mode.TARGETED
            else self.tr("New full flash-buy")
        )
        self.setModal(True)
        self._build()
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

    def _build(self) -> None:
        root = QVBoxLayout(self)

        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        root.addWidget(self.banner)

        body = QHBoxLayout()
        root.addLayout(body, 1)

        # left: the picture
        picture = QVBoxLayout()
        body.addLayout(picture, 3)
        self.preview_stack = QStackedWidget(self)
        busy_page = QWidget(self.preview_stack)
        busy_layout = QVBoxLayout(busy_page)
        busy_layout.addStretch(1)
        self.capture_spinner = QProgressBar(busy_page)
        self.capture_spinner.setRange(0, 0)  # busy
        self.capture_spinner.setTextVisible(False)
        self.capture_spinner.setMaximumWidth(220)
        busy_layout.addWidget(self.capture_spinner, 0, Qt.AlignmentFlag.AlignHCenter)
        self.capture_status = QLabel(self.tr("Taking the picture…"), busy_page)
        self.capture_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.capture_status.setWordWrap(True)
        busy_layout.addWidget(self.capture_status)
        busy_layout.addStretch(1)
        self.preview_stack.addWidget(busy_page)
        self.preview = PicturePreview(self.preview_stack)
        self.preview_stack.addWidget(self.preview)
        self.preview_stack.setMinimumSize(360, 240)
        picture.addWidget(self.preview_stack, 1)
        self.warnings_label = QLabel(self)
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet("color: #b35c00;")
        self.warnings_label.hide()
        picture.addWidget(self.warnings_label)
        picture_bar = QHBoxLayout()
        self.crop_label = QLabel(self.tr("Drag to crop the picture"), self)
        self.crop_label.setStyleSheet("color: #666;")
        picture_bar.addWidget(self.crop_label, 1)
        self.retake_button = QPushButton(
            self.tr("Retake ({key})").format(key=self._retake_key_text()), self
        )
        self.retake_button.setAutoDefault(False)
        picture_bar.addWidget(self.retake_button)
        picture.addLayout(picture_bar)

        # right: mode, quota, fields
        self.form_box = QWidget(self)
        body.addWidget(self.form_box, 4)
        right = QVBoxLayout(self.form_box)
        right.setContentsMargins(0, 0, 0, 0)

        self.mode_label = QLabel(self.form_box)
        self.mode_label.setWordWrap(True)
        if self.mode is Mode.TARGETED:
            self.mode_label.setText(
                self.tr("Targeted flash-buy: only the viewers below can see and buy it")
            )
        else:
            self.mode_label.setText(
                self.tr("Full flash-buy: every viewer in the live room gets the invitation")
            )
        self.mode_label.setStyleSheet("font-weight: bold;")
        right.addWidget(self.mode_label)

        self.targets_box = QWidget(self.form_box)
        targets_layout = QVBoxLayout(self.targets_box)
        targets_layout.setContentsMargins(0, 0, 0, 0)
        self.comment_label = QLabel(self.targets_box)
        self.comment_label.setWordWrap(True)
        self.comment_label.setTextFormat(Qt.TextFormat.PlainText)
        self.comment_label.setStyleSheet("color: #444; background: #f4f4f4; padding: 4px;")
        self.comment_label.setVisible(bool(self.live.comment))
        targets_layout.addWidget(self.comment_label)
        self.chips_layout = QHBoxLayout()
        self.chips_layout.setSpacing(4)
        self.chips_layout.addStretch(1)
        targets_layout.addLayout(self.chips_layout)
        add_row = QHBoxLayout()
        self.viewer_combo = QComboBox(self.targets_box)
        self.viewer_combo.setPlaceholderText(self.tr("Choose a viewer in the live room"))
        self.viewer_combo.setMinimumContentsLength(12)
        # Searchable: typing any part of a nickname narrows the list (most active first).
        self.viewer_combo.setEditable(True)
        self.viewer_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.viewer_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("Search viewers by nickname"))
        completer = QCompleter(self.viewer_combo.model(), self.viewer_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.viewer_combo.setCompleter(completer)
        add_row.addWidget(self.viewer_combo, 1)
        self.add_target_button = QPushButton(self.tr("Add viewer"), self.targets_box)
        self.add_target_button.setAutoDefault(False)
        add_row.addWidget(self.add_target_button)
        targets_layout.addLayout(add_row)
        self.targets_error = _error_label(self.targets_box)
        targets_layout.addWidget(self.targets_error)
        self.targets_box.setVisible(self.mode is Mode.TARGETED)
        right.addWidget(self.targets_box)

        self.quota_label = QLabel(self.form_box)
        right.addWidget(self.quota_label)
        self.quota_error = _error_label(self.form_box)
        right.addWidget(self.quota_error)

        form = QFormLayout()
        right.addLayout(form)

        product_row = QHBoxLayout()
        self.product_model = QStandardItemModel(self)
        self.product_combo = QComboBox(self.form_box)
        self.product_combo.setModel(self.product_model)
        self.product_combo.setPlaceholderText(self.tr("Loading products…"))
        self.product_combo.setMinimumContentsLength(14)
        # The list shows names, shops and quotas in full; the closed box elides them rather
        # than pushing the category off the window.
        self.product_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        product_row.addWidget(self.product_combo, 1)
        self.category_label = QLabel(self.form_box)
        self.category_label.setStyleSheet("color: #555;")
        product_row.addWidget(self.category_label)
        self.product_error = _error_label(self.form_box)
        form.addRow(self.tr("Product"), self._stack(product_row, self.product_error))

        self.piece_edit = QLineEdit(self.form_box)
        self.piece_edit.setMaxLength(PIECE_NO_MAX)
        self.piece_edit.setPlaceholderText(self.tr("e.g. 3"))
        self.piece_error = _error_label(self.form_box, WARNING_STYLE)
        form.addRow(self.tr("Piece no."), self._stack(self.piece_edit, self.piece_error))

        self.title_edit = QLineEdit(self.form_box)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_error = _error_label(self.form_box)
        form.addRow(self.tr("Title"), self._stack(self.title_edit, self.title_error))

        self.price_edit = QLineEdit(self.form_box)
        self.price_edit.setPlaceholderText(self.tr("Yuan, e.g. 1288 or 1288.50"))
        self.price_error = _error_label(self.form_box)
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
        self.template_error = _error_label(self.form_box)
        form.addRow(self.tr("Shipping template"), self._stack(template_row, self.template_error))

        self.note_edit = QLineEdit(self.form_box)
        self.note_edit.setMaxLength(NOTE_MAX)
        self.note_edit.setPlaceholderText(self.tr("Optional"))
        self.note_error = _error_label(self.form_box)
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

        for target_id, nickname in self._targets.items():
            self._add_chip(target_id, nickname)
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
        self.preview.cropChanged.connect(self._on_crop_changed)
        self.product_combo.currentIndexChanged.connect(self._on_product_changed)
        self.piece_edit.textChanged.connect(self._prefill_title)
        self.piece_edit.textChanged.connect(self._check_piece)
        self.title_edit.textEdited.connect(self._on_title_edited)
        self.title_edit.textChanged.connect(lambda _text: _show(self.title_error, None))
        self.note_edit.textChanged.connect(lambda _text: _show(self.note_error, None))
        self.price_edit.textChanged.connect(self._check_price)
        self.template_combo.currentIndexChanged.connect(lambda _i: _show(self.template_error, None))
        self.new_template_button.clicked.connect(self._new_template)
        self.add_target_button.clicked.connect(self._add_selected_viewer)
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
            _show(self.banner, describe(error))

    def on_stream_state(self, state: str, _reason: str = "") -> None:
        """The room's stream changed state (StreamState value): connected means reachable."""
        self.connection_changed(state == "connected")

    def connection_changed(self, connected: bool) -> None:
        """The platform is reachable again (or not): reload what could not be loaded."""
        if connected and self._load_failed and not self._closed:
            log.info("new flash-buy: the platform is back; loading again")
            _show(self.banner, None)
            self._load()

    def live_ended(self) -> None:
        """The live ended while the window was open: nothing can be published any more."""
        if not self._ended:
            self._ended = True
            self._say_ended()
            self._update_state()

    def _say_ended(self) -> None:
        _show(
            self.banner,
            self.tr("The live has ended, so nothing can be published: start a new live first"),
        )

    def _on_products(self, products: list[Product]) -> None:
        self._products = products
        self._products_loaded = True
        self.product_model.clear()
        shops = {p.shop_id for p in products}
        for product in products:
            item = QStandardItem(self.product_text(product, with_shop=len(shops) > 1))
            item.setData(product.id, Qt.ItemDataRole.UserRole)
            reason = self._unusable_reason(product)
            item.setEnabled(reason is None)
            item.setToolTip(reason or "")
            self.product_model.appendRow(item)
        self.product_combo.setPlaceholderText(self.tr("Choose a product"))
        view = self.product_combo.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)
        self.product_combo.setCurrentIndex(self._preferred_row())
        self._on_product_changed(self.product_combo.currentIndex())
        self._show_eligibility()

    def product_text(self, product: Product, *, with_shop: bool) -> str:
        """A product as the list shows it: name (shop), and what is left of its quotas."""
        q = product.quota
        name = (
            self.tr("{product} · {shop}").format(product=product.name, shop=product.shop_name)
            if with_shop
            else product.name
        )
        if not product.eligible:
            return self.tr("{product} ({reason})").format(
                product=name, reason=self._short_reason(product.ineligible_reason)
            )
        return self.tr(
            "{product}    Full {full_left}/{full_limit} · Targeted {t_left}/{t_limit}"
        ).format(
            product=name,
            full_left=q.full_left,
            full_limit=q.full_limit,
            t_left=q.targeted_left,
            t_limit=q.targeted_limit,
        )

    def _unusable_reason(self, product: Product) -> str | None:
        """Why ``product`` cannot be flash-bought in this window's mode (None: it can)."""
        if not product.eligible:
            return self._reason(product.ineligible_reason)
        q = product.quota
        if self.mode is Mode.FULL and q.full_left <= 0:
            return self.tr("No full flash-buys left for this product ({left}/{limit})").format(
                left=q.full_left, limit=q.full_limit
            )
        if self.mode is Mode.TARGETED and q.targeted_left <= 0:
            return self.tr("No targeted flash-buys left for this product ({left}/{limit})").format(
                left=q.targeted_left, limit=q.targeted_limit
            )
        return None

    def _preferred_row(self) -> int:
        """The product to preselect: the last one used, if it can still be used.

        Never another one in its place: a silent swap would publish this piece's picture
        under another product's name. When the last product cannot be used, nothing is
        selected and the banner says why, so the seller chooses. Only when the seller has
        used no product yet is the first usable one preselected.
        """
        self._last_product_note = None
        last = self.live.last_product_id
        if last is not None:
            for row, product in enumerate(self._products):
                if product.id == last:
                    reason = self._unusable_reason(product)
                    if reason is None:
                        return row
                    self._last_product_note = self.tr(
                        "The product used last, “{product}”, cannot be used: {reason}."
                        " Choose a product."
                    ).format(product=product.name, reason=reason)
                    return -1
            self._last_product_note = self.tr(
                "The product used last is no longer offered. Choose a product."
            )
            return -1
        for row, product in enumerate(self._products):
            if self._unusable_reason(product) is None:
                return row
        return -1

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
        self._viewers = viewers
        self._refill_viewer_combo()

    # --- eligibility and quotas -----------------------------------------------------------

    def _short_reason(self, code: ErrorCode | None) -> str:
        short = {
            ErrorCode.CREATOR_NOT_INVITED: self.tr("account not invited"),
            ErrorCode.SHOP_NOT_QUALIFIED: self.tr("shop not qualified"),
            ErrorCode.CATEGORY_NOT_APPROVED: self.tr("category not approved"),
            ErrorCode.SHOP_NOT_BOUND: self.tr("shop not bound"),
        }
        not_eligible = self.tr("not eligible")
        return short.get(code, not_eligible) if code is not None else not_eligible

    def _reason(self, code: ErrorCode | str | None) -> str:
        if code is None:
            return self.tr("This product cannot be flash-bought")
        return describe(PlatformError(403, code, str(code), {}))

    def _show_eligibility(self) -> None:
        """Say up front why nothing (or not everything) can be flash-bought."""
        if self._ended:
            self._say_ended()
        elif not self._products:
            _show(
                self.banner,
                self.tr(
                    "No product can be flash-bought: first list products of a non-standard"
                    " category in your shop"
                ),
            )
        elif all(self._unusable_reason(p) is not None for p in self._products):
            # Not eligible, or this mode's quota used up: the same words as in the list.
            reasons = dict.fromkeys(str(self._unusable_reason(p)) for p in self._products)
            separator = self.tr("; ", "between reasons")
            _show(
                self.banner,
                self.tr("Flash-buys cannot be created: {reasons}").format(
                    reasons=separator.join(reasons)
                ),
            )
        else:
            _show(self.banner, self._last_product_note)
        self._update_state()

    def selected_product(self) -> Product | None:
        """The selected product if it can be flash-bought."""
        product_id = self.product_combo.currentData(Qt.ItemDataRole.UserRole)
        for product in self._products:
            if product.id == product_id:
                return product if product.eligible else None
        return None

    def _on_product_changed(self, _index: int) -> None:
        product_id = self.product_combo.currentData(Qt.ItemDataRole.UserRole)
        product = next((p for p in self._products if p.id == product_id), None)
        if product is not None and self._last_product_note is not None:
            self._last_product_note = None  # the seller chose: the note has done its job
            if self.banner.isVisible() and not self._ended:
                _show(self.banner, None)
        self.category_label.setText(product.category_name if product else "")
        _show(self.product_error, None)
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

    def _update_state(self) -> None:
        self.quota_label.setText(self.quota_text())
        reason = self.blocking_reason()
        loading = not self._products_loaded
        quota_reason = None if loading or self.selected_product() is None else reason
        _show(self.quota_error, quota_reason)
        self.create_button.setEnabled(not self._busy and reason is None)
        self.create_button.setToolTip(reason or "")
        self.form_box.setEnabled(not self._busy)
        self.retake_button.setEnabled(not self._busy)
        self.retake_shortcut.setEnabled(not self._busy)
        self.create_spinner.setVisible(self._busy)

    # --- the picture ----------------------------------------------------------------------

    def _retake_key_text(self) -> str:
        return self.retake_key.toString(QKeySequence.SequenceFormat.NativeText)

    def retake(self) -> None:
        """Capture the frame again (the R key and the 重拍 button)."""
        if not self._busy:
            self.capture.retake()

    def _on_capture_started(self) -> None:
        self.capture_status.setText(self.tr("Taking the picture…"))
        self.capture_spinner.show()
        self.preview_stack.setCurrentIndex(0)

    def _on_captured(self, result: CaptureResult) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(result.jpeg, "JPEG"):
            self._on_capture_failed(
                self.tr("The captured picture cannot be shown; please retake it")
            )
            return
        self._covered_timer.stop()
        self._result = result
        self.preview.set_picture(pixmap)
        self.preview_stack.setCurrentIndex(1)
        words = {
            CaptureWarning.CARD_NOT_FOUND: self.tr("No order card was found in the picture"),
            CaptureWarning.BLURRY: self.tr("The picture is blurry; better retake it"),
        }
        _show(self.warnings_label, "\n".join("⚠ " + words[w] for w in result.warnings))
        _show(self.status_label, None)

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
        self.preview.set_picture(None)
        self.capture_spinner.hide()
        self.capture_status.setText(
            message + "\n" + self.tr("Press {key} to retake").format(key=self._retake_key_text())
        )
        self.preview_stack.setCurrentIndex(0)

    def _on_crop_changed(self) -> None:
        crop = self.preview.crop()
        pixmap = self.preview.pixmap()
        if crop is None or pixmap is None:
            self.crop_label.setText(self.tr("Drag to crop the picture"))
        else:
            rect = crop.to_pixels(pixmap.width(), pixmap.height())
            self.crop_label.setText(
                self.tr("Cropped to {width}×{height} (double-click to undo)").format(
                    width=rect.width(), height=rect.height()
                )
            )

    def captured_result(self) -> CaptureResult | None:
        return self._result

    # --- fields ---------------------------------------------------------------------------

    def _suggested_title(self) -> str:
        product_id = self.product_combo.currentData(Qt.ItemDataRole.UserRole)
        product = next((p for p in self._products if p.id == product_id), None)
        name = product.name if product else ""
        piece = self.piece_edit.text().strip()
        title = (
            self.tr("No. {piece} {product}").format(piece=piece, product=name) if piece else name
        )
        return title.strip()[:TITLE_MAX]

    def _prefill_piece(self) -> None:
        """The piece number the clicked comment names, or the one after the last flash-buy's."""
        if self.live.comment:
            self.comment_label.setText(
                self.tr("Comment: “{comment}”").format(comment=self.live.comment)
            )
            piece = piece_number_in(self.live.comment)
        elif self.mode is Mode.FULL and self.live.flashbuys:
            piece = next_piece_number(self.live.flashbuys[-1].piece_no)
        else:
            piece = None
        if piece:
            self.piece_edit.setText(piece)

    def repeated_pieces(self) -> list[FlashBuy]:
        """This live's active or sold flash-buys with the piece number typed."""
        live = [
            fb
            for fb in self.live.flashbuys
            if fb.status in (FlashBuyStatus.ACTIVE, FlashBuyStatus.SOLD_OUT)
        ]
        same = set(same_piece(self.piece_edit.text(), [fb.piece_no for fb in live]))
        return [fb for fb in live if fb.piece_no in same]

    def _check_piece(self) -> None:
        """Warn when this piece number already has an active or sold flash-buy in this live."""
        self.piece_error.setStyleSheet(WARNING_STYLE)  # a refused piece number was shown red
        repeated = self.repeated_pieces()
        if not repeated:
            _show(self.piece_error, None)
            return
        latest = repeated[-1]
        state = (
            self.tr("sold", "a flash-buy")
            if latest.status is FlashBuyStatus.SOLD_OUT
            else self.tr("on sale", "a flash-buy")
        )
        _show(
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
            _show(self.price_error, self.price_reason(exc) if text.strip() else None)
            self.price_edit.setStyleSheet("QLineEdit { border: 1px solid #d0312d; }")
            if not text.strip():
                self.price_edit.setStyleSheet("")
            return None
        _show(self.price_error, None)
        self.price_edit.setStyleSheet("")
        return fen

    def price_reason(self, error: MoneyError) -> str:
        """Why ``parse_yuan`` refused the price, in the seller's language."""
        reasons = {
            MoneyProblem.EMPTY: self.tr("Enter a price"),
            MoneyProblem.NEGATIVE: self.tr("The price cannot be negative"),
            MoneyProblem.NOT_AN_AMOUNT: self.tr(
                "The price can contain only digits and a decimal point"
            ),
            MoneyProblem.TOO_MANY_DECIMALS: self.tr("The price has at most two decimals"),
            MoneyProblem.TOO_LOW: self.tr("The price is at least {min} yuan").format(
                min=format_fen(error.minimum)
            ),
            MoneyProblem.TOO_HIGH: self.tr("The price is at most {max} yuan").format(
                max=format_fen(error.maximum)
            ),
        }
        return reasons[error.problem]

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
        return list(self._targets.items())

    def _add_chip(self, viewer_id: int, nickname: str) -> None:
        chip = TargetChip(viewer_id, nickname, self.targets_box)
        chip.remove_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        chip.removed.connect(self.remove_target)
        self.chips_layout.insertWidget(self.chips_layout.count() - 1, chip)

    def chips(self) -> list[TargetChip]:
        return self.targets_box.findChildren(TargetChip)

    def add_target(self, viewer_id: int, nickname: str) -> None:
        if viewer_id in self._targets:
            return
        self._targets[viewer_id] = nickname
        self._add_chip(viewer_id, nickname)
        _show(self.targets_error, None)
        self._refill_viewer_combo()

    def remove_target(self, viewer_id: int) -> None:
        self._targets.pop(viewer_id, None)
        for chip in self.chips():
            if chip.viewer_id == viewer_id:
                chip.hide()
                chip.deleteLater()
        self._refill_viewer_combo()

    def _add_selected_viewer(self) -> None:
        data = self.viewer_combo.currentData()
        if isinstance(data, int):
            self.add_target(data, self.viewer_combo.currentText())

    def _refill_viewer_combo(self) -> None:
        self.viewer_combo.clear()
        for viewer in self._viewers:
            if viewer.id not in self._targets:
                self.viewer_combo.addItem(viewer.nickname, viewer.id)
        self.viewer_combo.setCurrentIndex(-1)

    # --- creating -------------------------------------------------------------------------

    def _validated(self) -> FlashBuyCreate | None:
        """The request the fields make, with a placeholder picture; None after saying why."""
        ok = True
        product = self.selected_product()
        if product is None:
            _show(self.product_error, self.tr("Choose a product that can be flash-bought"))
            ok = False
        price = self._check_price(self.price_edit.text())
        if price is None:
            try:
                parse_yuan(self.price_edit.text())
            except MoneyError as exc:
                _show(self.price_error, self.price_reason(exc))
            ok = False
        title = trim(self.title_edit.text())
        if not title:
            _show(self.title_error, self.tr("Enter a title"))
            ok = False
        elif problem := text_problem(title):
            _show(self.title_error, text_rule_reason(problem, self.tr("title")))
            ok = False
        piece = trim(self.piece_edit.text())
        if problem := text_problem(piece):
            self.piece_error.setStyleSheet(ERROR_STYLE)
            _show(self.piece_error, text_rule_reason(problem, self.tr("piece number")))
            ok = False
        note = trim(self.note_edit.text())
        if problem := text_problem(note):
            _show(self.note_error, text_rule_reason(problem, self.tr("note")))
            ok = False
        template_id = self.template_id()
        if template_id is None:
            _show(self.template_error, self.tr("Choose a shipping template (or click “New…”)"))
            ok = False
        if self.mode is Mode.TARGETED and not self._targets:
            _show(self.targets_error, self.tr("A targeted flash-buy needs at least one viewer"))
            ok = False
        if self._result is None:
            _show(
                self.status_label,
                self.tr("No picture yet: wait for the capture, or press {key} to retake").format(
                    key=self._retake_key_text()
                ),
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
                picture_id=_PLACEHOLDER_PICTURE,
                template_id=template_id,
                target_viewer_ids=list(self._targets) if self.mode is Mode.TARGETED else [],
                note=note,
            )
        except ValidationError as exc:
            _show(
                self.status_label,
                self.tr("Invalid input: {reason}").format(reason=exc.errors()[0]["msg"]),
            )
            return None

    def submit(self) -> None:
        """Create the flash-buy the fields describe (Enter, or the 创建 button)."""
        if self._busy or self.blocking_reason() is not None:
            return
        body = self._validated()
        if body is None or self._result is None:
            return
        if self.repeated_pieces() and self._duplicate_ok != body.piece_no:
            # The first Enter shows what would repeat; the second one publishes anyway
            # (a second identical bangle is legitimate).
            self._duplicate_ok = body.piece_no
            self._check_piece()
            _show(
                self.status_label,
                self.tr(
                    "No. {piece} was already published in this live: press Enter again to"
                    " publish it anyway"
                ).format(piece=body.piece_no),
            )
            self.status_label.setStyleSheet(WARNING_STYLE)
            return
        crop = self.preview.crop()
        jpeg = self._result.jpeg
        fingerprint = (body.model_dump_json(), crop, id(self._result))
        if self._pending_key is None or self._pending_fingerprint != fingerprint:
            self._pending_key = uuid.uuid4().hex  # a new submission: a new key
            self._pending_fingerprint = fingerprint
        key = self._pending_key
        client, room_id = self.client, self.room_id

        def work() -> FlashBuy:
            picture = crop_jpeg(jpeg, crop)
            last: OfflineError | None = None
            for _ in range(CREATE_ATTEMPTS):
                try:
                    uploaded = client.upload_picture(picture)
                    return client.create_flashbuy(
                        room_id, body.model_copy(update={"picture_id": uploaded.id}), key=key
                    )
                except OfflineError as exc:
                    last = exc
            assert last is not None
            raise last

        self._set_busy(True)
        _show(self.status_label, self.tr("Creating…"))
        self.tasks.run(work, self._on_created, self._on_create_failed, key="create")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_state()

    def _on_created(self, flashbuy: FlashBuy) -> None:
        self._pending_key = None
        self._pending_fingerprint = None
        self._set_busy(False)
        self.created.emit(flashbuy)
        self.accept()

    def _on_create_failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, OfflineError):
            # Keep the key: pressing Enter again on the same submission retries it.
            _show(
                self.status_label,
                self.tr(
                    "Cannot reach the platform, so the flash-buy is not confirmed;"
                    " check the network, then press Enter to try again"
                ),
            )
        else:
            # Only a refusal (4xx) proves nothing was created. After a 5xx, a proxy's 502
            # or an answer not understood, the flash-buy may exist: keep the key, so the
            # next press of Enter on the same form replays instead of creating again.
            if isinstance(error, PlatformError) and 400 <= error.status < 500:
                self._pending_key = None
                self._pending_fingerprint = None
            if not isinstance(error, PlatformError):
                log.error("new flash-buy failed: %s", getattr(error, "__traceback_text__", error))
            _show(self.status_label, describe(error))
            if isinstance(error, PlatformError) and str(error.code) in _REFRESH_PRODUCTS:
                self.tasks.run(
                    self.client.products,
                    self._reload_products,
                    self._on_load_failed,
                    key="products",
                )
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.price_edit.setFocus()

    def _reload_products(self, products: list[Product]) -> None:
        current = self.product_combo.currentData(Qt.ItemDataRole.UserRole)
        self._on_products(products)
        index = self.product_combo.findData(current, Qt.ItemDataRole.UserRole)
        if index >= 0 and self.product_model.item(index).isEnabled():
            self.product_combo.setCurrentIndex(index)

    def pending_key(self) -> str | None:
        """The key a retry of the last unconfirmed submission would carry."""
        return self._pending_key

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


_REFRESH_PRODUCTS = {
    ErrorCode.QUOTA_FULL_EXCEEDED,
    ErrorCode.QUOTA_TARGETED_EXCEEDED,
    ErrorCode.CREATOR_NOT_INVITED,
    ErrorCode.SHOP_NOT_QUALIFIED,
    ErrorCode.CATEGORY_NOT_APPROVED,
    ErrorCode.SHOP_NOT_BOUND,
}
