"""The flash-buy management table: this live's flash-buys, updated as they sell.

Three layers, each usable alone:

* :class:`FlashBuyTableModel` holds the rows (one per flash-buy id, newest first) and
  merges whatever reaches it, from a full load or from the event stream, so that a
  replayed or late event never duplicates a row or moves it backwards: ``sold`` only
  grows and a finished flash-buy (sold out, ended) never becomes active again.
* :class:`FlashBuyFilter` filters by status, mode, category and search text, sorts by
  value (fen, timestamps) rather than by the text shown, and counts rows per status.
* :class:`FlashBuyPanel` is the widget: filter bar, table, and the End action, with
  every platform call run through :class:`~flashbuy_desktop.services.tasks.Tasks`.
"""

import bisect
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import shiboken6
from pydantic import ValidationError
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.room.listing import buyers_brief, title_names_piece
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.picture_popup import PicturePopup
from flashbuy_desktop.ui.sort_header import SortHeader
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.models import (
    Category,
    Event,
    FlashBuy,
    FlashBuyList,
    FlashBuyProgress,
    Order,
)
from flashbuy_protocol.money import format_fen

log = logging.getLogger(__name__)

THUMBNAIL_PX = 48
PICTURES_KEPT = 8  # pictures fetched to be shown large, kept for the next look
ROW_HEIGHT_PX = THUMBNAIL_PX + 8
SEARCH_DEBOUNCE_MS = 200

_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_INITIAL_SORT = Qt.ItemDataRole.InitialSortOrderRole.value

# A finished flash-buy never becomes active again; a later state wins over an earlier one.
_RANK = {FlashBuyStatus.ACTIVE: 0, FlashBuyStatus.SOLD_OUT: 1, FlashBuyStatus.ENDED: 2}

_MUTED = QBrush(QColor("#8c8c8c"))  # text of rows that can no longer be bought
_ACTIVE_TEXT = QBrush(QColor("#1a7f37"))
_SOLD_OUT_BADGE = QBrush(QColor("#d9363e"))
_SOLD_OUT_TEXT = QBrush(QColor("#ffffff"))
_ENDED_BADGE = QBrush(QColor("#e8e8e8"))


class Column(IntEnum):
    """The table's columns, left to right."""

    PICTURE = 0
    TITLE = 1
    PRICE = 2
    SOLD = 3
    BUYERS = 4
    MODE = 5
    STATUS = 6
    CREATED = 7


class Role(IntEnum):
    """Data roles beyond Qt's, for sorting and filtering by value."""

    SORT = Qt.ItemDataRole.UserRole.value + 1  # the column's raw value: fen, timestamp, rank
    ID = Qt.ItemDataRole.UserRole.value + 2  # flash-buy id (int)
    PRICE_FEN = Qt.ItemDataRole.UserRole.value + 3  # int
    CREATED_AT = Qt.ItemDataRole.UserRole.value + 4  # POSIX timestamp (float)
    STATUS = Qt.ItemDataRole.UserRole.value + 5  # FlashBuyStatus value (str)
    MODE = Qt.ItemDataRole.UserRole.value + 6  # Mode value (str)
    CATEGORY_ID = Qt.ItemDataRole.UserRole.value + 7  # int
    FLASHBUY = Qt.ItemDataRole.UserRole.value + 8  # the FlashBuy itself
    BUYERS = Qt.ItemDataRole.UserRole.value + 9  # list[str] of buyers' nicknames


# The order a first click on a column sorts by: ascending (▲), but the newest first.
_FIRST_ORDER: dict[int, Qt.SortOrder] = {Column.CREATED: Qt.SortOrder.DescendingOrder}


def shown_title(fb: FlashBuy) -> str:
    """The title as the table shows it: with its piece number once ("#3 · 冰种" or "3号 冰种")."""
    if not fb.piece_no or title_names_piece(fb.title, fb.piece_no):
        return fb.title
    return QCoreApplication.translate("FlashBuyTableModel", "#{piece} · {title}").format(
        piece=fb.piece_no, title=fb.title
    )


def _merged(old: FlashBuy, new: FlashBuy) -> FlashBuy:
    """``new``'s fields, but never less sold nor an earlier status than ``old``."""
    status = max(old.status, new.status, key=_RANK.__getitem__)
    return new.model_copy(
        update={
            "sold": max(old.sold, new.sold),
            "status": status,
            "ended_at": new.ended_at or old.ended_at,
        }
    )


def _progressed(fb: FlashBuy, p: FlashBuyProgress) -> FlashBuy:
    """``fb`` advanced by ``p``; unchanged when ``p`` is older than what ``fb`` shows."""
    if p.sold < fb.sold:
        return fb
    status = max(fb.status, p.status, key=_RANK.__getitem__)
    return fb.model_copy(update={"sold": p.sold, "stock": p.stock, "status": status})


def _timestamp(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _local(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone()


def _piece_key(piece_no: str) -> str:
    """Piece numbers sort as numbers when they are numbers: 2 before 10."""
    return piece_no.zfill(12) if piece_no.isdigit() else piece_no.casefold()


@dataclass
class _Row:
    fb: FlashBuy
    orders: dict[int, str] = field(default_factory=dict)  # order id -> buyer's nickname
    texts: tuple[str, ...] = ()
    tips: tuple[str | None, ...] = ()

    @property
    def buyers(self) -> list[str]:
        return [self.orders[k] for k in sorted(self.orders)]


class FlashBuyTableModel(QAbstractTableModel):
    """This live's flash-buys, one row per id, newest first.

    Feed it with :meth:`reset` (a full load) and, from the event stream, :meth:`upsert`,
    :meth:`apply_progress` and :meth:`add_order`. Each is idempotent and monotonic.
    Pictures are not fetched here: :attr:`thumbnailWanted` asks for them once per
    picture id, and :meth:`set_thumbnail` hands the bytes in.
    """

    thumbnailWanted = Signal(str)  # picture id whose bytes the model has not been given

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._keys: list[int] = []  # -id of each row, ascending: newest (largest id) first
        self._thumbs: dict[str, QPixmap] = {}
        self._asked: set[str] = set()
        self._pending_orders: dict[int, dict[int, str]] = {}  # orders for rows not seen yet
        self._pending_progress: dict[int, FlashBuyProgress] = {}
        self._placeholder: QPixmap | None = None
        self._headers = (
            self.tr("Picture"),
            self.tr("Title"),
            self.tr("Price"),
            self.tr("Sold/stock"),
            self.tr("Buyer"),
            self.tr("Mode"),
            self.tr("Status"),
            self.tr("Created"),
        )
        self._status_text = {
            FlashBuyStatus.ACTIVE: self.tr("Active"),
            FlashBuyStatus.SOLD_OUT: self.tr("Sold out"),
            FlashBuyStatus.ENDED: self.tr("Ended"),
        }

    # --- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:  # override
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(  # override
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == _DISPLAY:
                return self._headers[section]
            if role == _ALIGNMENT and section not in (Column.TITLE, Column.BUYERS):
                return Qt.AlignmentFlag.AlignCenter
            if role == _INITIAL_SORT:
                return _FIRST_ORDER.get(section, Qt.SortOrder.AscendingOrder)
        return None

    def data(  # override
        self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY
    ) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(Column)):
            return None
        item = self._rows[row]
        fb = item.fb
        if role in (_DISPLAY, _ACCESSIBLE):
            return item.texts[column] or None
        if role == _TOOLTIP:
            return item.tips[column]
        if role == _DECORATION:
            return self._thumbnail(fb.picture_id) if column == Column.PICTURE else None
        if role == _FOREGROUND:
            return self._foreground(fb.status, column)
        if role == _BACKGROUND:
            if column == Column.STATUS and fb.status is FlashBuyStatus.SOLD_OUT:
                return _SOLD_OUT_BADGE
            if column == Column.STATUS and fb.status is FlashBuyStatus.ENDED:
                return _ENDED_BADGE
            return None
        if role == _ALIGNMENT:
            return self._alignment(column)
        return self._value(item, column, role)

    # --- what the console calls ---------------------------------------------------------

    def reset(self, items: Iterable[FlashBuy]) -> None:
        """Show exactly ``items`` (a full load), keeping what rows already know.

        A row already shown keeps its buyers and any progress newer than the load (an
        event that overtook it), so a load never moves a row backwards.
        """
        known = {r.fb.id: r for r in self._rows}
        fresh: dict[int, _Row] = {}
        for fb in items:
            before = fresh.get(fb.id) or known.get(fb.id)
            row = _Row(_merged(before.fb, fb), dict(before.orders)) if before else _Row(fb)
            fresh[fb.id] = row
        self.beginResetModel()
        self._rows = sorted(fresh.values(), key=lambda r: -r.fb.id)
        self._keys = [-r.fb.id for r in self._rows]
        for row in self._rows:
            self._absorb_pending(row)
            self._render(row)
        self.endResetModel()
        self._ask_thumbnails(r.fb.picture_id for r in self._rows)

    def upsert(self, fb: FlashBuy) -> None:
        """Insert a new flash-buy, or merge a newer state of a shown one."""
        row = self.row_of(fb.id)
        if row >= 0:
            item = self._rows[row]
            merged = _merged(item.fb, fb)
            if merged != item.fb:
                item.fb = merged
                self._changed(row)
            return
        item = _Row(fb)
        self._absorb_pending(item)
        self._render(item)
        at = bisect.bisect_left(self._keys, -fb.id)
        self.beginInsertRows(_ROOT, at, at)
        self._rows.insert(at, item)
        self._keys.insert(at, -fb.id)
        self.endInsertRows()
        self._ask_thumbnails([fb.picture_id])

    def apply_progress(self, p: FlashBuyProgress) -> None:
        """Apply a ``flashbuy.updated`` / ``flashbuy.sold_out``; older news is ignored."""
        row = self.row_of(p.id)
        if row < 0:
            held = self._pending_progress.get(p.id)
            if held is None or p.sold >= held.sold:
                self._pending_progress[p.id] = p
            return
        item = self._rows[row]
        advanced = _progressed(item.fb, p)
        if advanced != item.fb:
            item.fb = advanced
            self._changed(row)

    def add_order(self, order: Order) -> None:
        """Add a buyer's nickname to the row of the flash-buy bought (once per order)."""
        row = self.row_of(order.flashbuy_id)
        if row < 0:
            self._pending_orders.setdefault(order.flashbuy_id, {})[order.id] = order.nickname
            return
        item = self._rows[row]
        if item.orders.get(order.id) == order.nickname:
            return
        item.orders[order.id] = order.nickname
        self._changed(row)

    def set_thumbnail(self, picture_id: str, data: bytes) -> None:
        """Use the picture ``data`` (JPEG or PNG bytes) for every row showing ``picture_id``."""
        image = QImage.fromData(data)
        if image.isNull():
            log.warning("picture %s could not be decoded", picture_id)
            return
        side = THUMBNAIL_PX
        scaled = image.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        square = scaled.copy(
            (scaled.width() - side) // 2, (scaled.height() - side) // 2, side, side
        )
        self._thumbs[picture_id] = QPixmap.fromImage(square)
        for row, item in enumerate(self._rows):
            if item.fb.picture_id == picture_id:
                at = self.index(row, Column.PICTURE)
                self.dataChanged.emit(at, at, [_DECORATION])

    def thumbnail_failed(self, picture_id: str) -> None:
        """The picture could not be fetched: ask for it again with the next load or row."""
        self._asked.discard(picture_id)

    def has_thumbnail(self, picture_id: str) -> bool:
        """Whether :meth:`set_thumbnail` has been given ``picture_id``."""
        return picture_id in self._thumbs

    def flashbuy(self, row: int) -> FlashBuy:
        """The flash-buy shown in ``row``."""
        return self._rows[row].fb

    def thumbnail(self, row: int) -> QPixmap | None:
        """The thumbnail of ``row`` if its picture has arrived."""
        return self._thumbs.get(self._rows[row].fb.picture_id)

    def buyers(self, row: int) -> list[str]:
        """The nicknames of the buyers of the flash-buy in ``row``, first buyer first."""
        return self._rows[row].buyers

    def row_of(self, flashbuy_id: int) -> int:
        """The row showing ``flashbuy_id``, or -1."""
        at = bisect.bisect_left(self._keys, -flashbuy_id)
        return at if at < len(self._keys) and self._keys[at] == -flashbuy_id else -1

    def ids(self) -> list[int]:
        """The flash-buy ids in row order."""
        return [-k for k in self._keys]

    # --- inside -------------------------------------------------------------------------

    def _changed(self, row: int) -> None:
        self._render(self._rows[row])
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _absorb_pending(self, item: _Row) -> None:
        fid = item.fb.id
        item.orders.update(self._pending_orders.pop(fid, {}))
        progress = self._pending_progress.pop(fid, None)
        if progress is not None:
            item.fb = _progressed(item.fb, progress)

    def _ask_thumbnails(self, picture_ids: Iterable[str]) -> None:
        for picture_id in picture_ids:
            if picture_id not in self._thumbs and picture_id not in self._asked:
                self._asked.add(picture_id)
                self.thumbnailWanted.emit(picture_id)

    def _thumbnail(self, picture_id: str) -> QPixmap:
        pixmap = self._thumbs.get(picture_id)
        if pixmap is not None:
            return pixmap
        if self._placeholder is None:
            self._placeholder = QPixmap(THUMBNAIL_PX, THUMBNAIL_PX)
            self._placeholder.fill(QColor("#eeeeee"))
        return self._placeholder

    def _render(self, item: _Row) -> None:
        """Work out the row's texts once per change rather than per paint."""
        fb = item.fb
        title = shown_title(fb)
        sold = self.tr("Sold {sold}/{stock}").format(sold=fb.sold, stock=fb.stock)
        buyers = item.buyers
        buyers_tip = (
            self.tr("Buyers: {names}").format(names=", ".join(buyers))
            if buyers
            else self.tr("No buyers yet")
        )
        if fb.mode is Mode.TARGETED:
            names = ", ".join(t.nickname for t in fb.targets)
            mode = self.tr("Targeted: {names}").format(names=names)
        else:
            mode = self.tr("Full", "flash-buy mode")
        created = _local(fb.created_at)
        title_tip = self.tr("{title}\nProduct: {product}\nCategory: {category}").format(
            title=title, product=fb.product_name, category=fb.category_name
        )
        if fb.note:
            title_tip += "\n" + self.tr("Note: {note}").format(note=fb.note)
        status_tip = self._status_text[fb.status]
        if fb.ended_at is not None:
            status_tip = self.tr("{status} ({time})").format(
                status=status_tip, time=_local(fb.ended_at).strftime("%H:%M:%S")
            )
        item.texts = (
            "",
            title,
            "¥" + format_fen(fb.price_fen),
            sold,
            buyers_brief(buyers),
            mode,
            self._status_text[fb.status],
            created.strftime("%H:%M:%S"),
        )
        item.tips = (
            self.tr("Click to see the picture large") + "\n" + title_tip,
            title_tip,
            None,
            buyers_tip,
            buyers_tip,
            mode,
            status_tip,
            created.strftime("%Y-%m-%d %H:%M:%S"),
        )

    @staticmethod
    def _foreground(status: FlashBuyStatus, column: int) -> QBrush | None:
        if column == Column.STATUS:
            if status is FlashBuyStatus.ACTIVE:
                return _ACTIVE_TEXT
            if status is FlashBuyStatus.SOLD_OUT:
                return _SOLD_OUT_TEXT
        return None if status is FlashBuyStatus.ACTIVE else _MUTED

    @staticmethod
    def _alignment(column: int) -> Qt.AlignmentFlag | None:
        if column == Column.PRICE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if column in (Column.SOLD, Column.STATUS, Column.CREATED):
            return Qt.AlignmentFlag.AlignCenter
        return None

    @staticmethod
    def _value(item: _Row, column: int, role: int) -> Any:
        fb = item.fb
        if role == Role.SORT:
            if column == Column.TITLE:
                return _piece_key(fb.piece_no) + "\x00" + fb.title.casefold()
            if column == Column.PRICE:
                return fb.price_fen
            if column == Column.SOLD:
                return fb.sold
            if column == Column.BUYERS:
                buyers = item.buyers
                return buyers[0].casefold() if buyers else ""
            if column == Column.MODE:
                return fb.mode.value
            if column == Column.STATUS:
                return _RANK[fb.status]
            if column == Column.CREATED:
                return _timestamp(fb.created_at)
            return fb.id
        if role == Role.ID:
            return fb.id
        if role == Role.PRICE_FEN:
            return fb.price_fen
        if role == Role.CREATED_AT:
            return _timestamp(fb.created_at)
        if role == Role.STATUS:
            return fb.status.value
        if role == Role.MODE:
            return fb.mode.value
        if role == Role.CATEGORY_ID:
            return fb.category_id
        if role == Role.FLASHBUY:
            return fb
        if role == Role.BUYERS:
            return item.buyers
        return None


class FlashBuyFilter(QSortFilterProxyModel):
    """Filters by status, mode, category and text; sorts by value; counts per status.

    Sorting uses :attr:`Role.SORT` (fen, timestamps, status rank), so "¥9.99" sorts
    before "¥100.00"; ties keep the source order, newest first. :meth:`counts` counts
    the rows matching every filter but the status one: the numbers the status buttons
    show. :attr:`countsChanged` fires when they change.
    """

    countsChanged = Signal(object)  # dict[FlashBuyStatus, int]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: FlashBuyStatus | None = None
        self._mode: Mode | None = None
        self._category_id: int | None = None
        self._search = ""
        # The status of each counted row (one matching the other filters), by flash-buy id:
        # a live event re-counts its own row, not the whole table.
        self._counted: dict[int, FlashBuyStatus] = {}
        self._counts: dict[FlashBuyStatus, int] = dict.fromkeys(FlashBuyStatus, 0)
        self._watched: QAbstractItemModel | None = None
        self.setSortRole(Role.SORT)
        self.setDynamicSortFilter(True)

    # --- filters ------------------------------------------------------------------------

    @property
    def status(self) -> FlashBuyStatus | None:
        return self._status

    @property
    def mode(self) -> Mode | None:
        return self._mode

    @property
    def category_id(self) -> int | None:
        return self._category_id

    @property
    def search(self) -> str:
        return self._search

    def set_status(self, status: FlashBuyStatus | None) -> None:
        """Show only flash-buys in ``status`` (``None``: all)."""
        if status != self._status:
            self._refilter(lambda: setattr(self, "_status", status), recount=False)

    def set_mode(self, mode: Mode | None) -> None:
        """Show only full or only targeted flash-buys (``None``: both)."""
        if mode != self._mode:
            self._refilter(lambda: setattr(self, "_mode", mode))

    def set_category(self, category_id: int | None) -> None:
        """Show only flash-buys of one category (``None``: all)."""
        if category_id != self._category_id:
            self._refilter(lambda: setattr(self, "_category_id", category_id))

    def set_search(self, text: str) -> None:
        """Show only titles or piece numbers containing ``text`` (trimmed, any case)."""
        needle = text.strip().casefold()
        if needle != self._search:
            self._refilter(lambda: setattr(self, "_search", needle))

    def counts(self) -> dict[FlashBuyStatus, int]:
        """Rows per status among those matching the mode, category and search filters."""
        return dict(self._counts)

    # --- QSortFilterProxyModel ----------------------------------------------------------

    def setSourceModel(self, source_model: QAbstractItemModel) -> None:  # override
        old = self._watched
        if old is not None:
            old.rowsInserted.disconnect(self._rows_inserted)
            old.dataChanged.disconnect(self._rows_changed)
            for signal in (old.rowsRemoved, old.modelReset, old.layoutChanged):
                signal.disconnect(self._recount)
        super().setSourceModel(source_model)
        self._watched = source_model
        source_model.rowsInserted.connect(self._rows_inserted)
        source_model.dataChanged.connect(self._rows_changed)
        for signal in (
            source_model.rowsRemoved,
            source_model.modelReset,
            source_model.layoutChanged,
        ):
            signal.connect(self._recount)
        self._recount()

    def filterAcceptsRow(  # override
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        fb = self._flashbuy_at(source_row, source_parent)
        if fb is None or not self._matches_others(fb):
            return False
        return self._status is None or fb.status is self._status

    # --- inside -------------------------------------------------------------------------

    def _refilter(self, change: Callable[[], None], *, recount: bool = True) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        if recount:
            self._recount()

    def _matches_others(self, fb: FlashBuy) -> bool:
        if self._mode is not None and fb.mode is not self._mode:
            return False
        if self._category_id is not None and fb.category_id != self._category_id:
            return False
        if self._search:
            return self._search in fb.title.casefold() or self._search in fb.piece_no.casefold()
        return True

    def _flashbuy_at(
        self, row: int, parent: QModelIndex | QPersistentModelIndex = _ROOT
    ) -> FlashBuy | None:
        source = self.sourceModel()
        if source is None:
            return None
        fb = source.index(row, 0, parent).data(Role.FLASHBUY)
        return fb if isinstance(fb, FlashBuy) else None

    def _count_row(self, row: int) -> None:
        fb = self._flashbuy_at(row)
        if fb is None:
            return
        if self._matches_others(fb):
            self._counted[fb.id] = fb.status
        else:
            self._counted.pop(fb.id, None)

    @Slot()
    def _recount(self) -> None:
        self._counted.clear()
        source = self.sourceModel()
        for row in range(source.rowCount() if source is not None else 0):
            self._count_row(row)
        self._publish()

    @Slot(QModelIndex, int, int)
    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self._count_row(row)
            self._publish()

    @Slot(QModelIndex, QModelIndex, "QList<int>")
    def _rows_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int] | None = None
    ) -> None:
        if roles and _DISPLAY not in roles and Role.FLASHBUY not in roles:
            return  # a thumbnail, say: nothing that is counted
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._count_row(row)
        self._publish()

    def _publish(self) -> None:
        counts = dict.fromkeys(FlashBuyStatus, 0)
        for status in self._counted.values():
            counts[status] += 1
        if counts != self._counts:
            self._counts = counts
            self.countsChanged.emit(dict(counts))


class ConfirmEnd:
    """The question asked before a flash-buy is ended (a :class:`Confirm`).

    Tests replace :meth:`ask`.
    """

    END_BUTTON = Confirm.ACT_BUTTON
    CANCEL_BUTTON = Confirm.SAFE_BUTTON

    @staticmethod
    def question(fb: FlashBuy) -> Question:
        """What is asked, with its two named buttons."""
        return Question(
            title=QCoreApplication.translate("FlashBuys", "End flash-buy"),
            text=QCoreApplication.translate("FlashBuys", "End the flash-buy “{name}”?").format(
                name=shown_title(fb)
            ),
            details=QCoreApplication.translate(
                "FlashBuys",
                "Once ended it disappears from the live room at once, viewers can no longer"
                " buy it, and it cannot be restored.",
            ),
            act=QCoreApplication.translate("FlashBuys", "End flash-buy"),
            safe=QCoreApplication.translate("FlashBuys", "Cancel"),
        )

    @classmethod
    def build(cls, parent: QWidget | None, fb: FlashBuy) -> QMessageBox:
        """The dialog, not yet shown; its buttons are named :attr:`END_BUTTON` and so on."""
        return Confirm.build(parent, cls.question(fb))

    @classmethod
    def ask(cls, parent: QWidget | None, fb: FlashBuy) -> bool:
        """Whether the seller confirms ending ``fb`` (a modal question)."""
        return Confirm.ask(parent, cls.question(fb))


class FlashBuyPanel(QWidget):
    """Manage this live's flash-buys: filter, search, watch them sell, end them.

    Call :meth:`refresh` once shown (and after the event stream reconnects, if
    wanted), and hand every event of the room's stream to :meth:`apply_event` on
    the GUI thread. Failures are reported on :attr:`errorRaised`, never shown here.
    """

    errorRaised = Signal(str)  # a sentence for the seller
    refreshed = Signal()  # a full load has been shown

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        room_id: int,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.tasks = tasks
        self.room_id = room_id
        self.read_only = read_only  # a past live's table: looked at, never changed
        self._ending: set[int] = set()  # ids whose End request is on its way
        self._categories_loaded_once = False

        self.model = FlashBuyTableModel(self)
        self.proxy = FlashBuyFilter(self)
        self.proxy.setSourceModel(self.model)
        self.model.thumbnailWanted.connect(self._fetch_thumbnail)

        # status: segmented buttons with counts
        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(True)
        self.status_buttons: dict[FlashBuyStatus | None, QPushButton] = {}
        for status in (None, *FlashBuyStatus):
            button = QPushButton(self)
            button.setCheckable(True)
            button.setObjectName(f"statusFilter_{status.value if status else 'all'}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _on=False, s=status: self.proxy.set_status(s))
            self.status_group.addButton(button)
            self.status_buttons[status] = button
        self.status_buttons[None].setChecked(True)

        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName("modeFilter")
        self.mode_combo.addItem(self.tr("All modes"), None)
        self.mode_combo.addItem(self.tr("Full", "flash-buy mode"), Mode.FULL.value)
        self.mode_combo.addItem(self.tr("Targeted", "flash-buy mode"), Mode.TARGETED.value)
        self.mode_combo.currentIndexChanged.connect(self._mode_chosen)

        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("categoryFilter")
        self.category_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category_combo.addItem(self.tr("All categories"), None)
        self.category_combo.currentIndexChanged.connect(self._category_chosen)

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("flashbuySearch")
        self.search_edit.setPlaceholderText(self.tr("Search titles or piece numbers"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(160)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_edit.textChanged.connect(self._search_typed)
        self.search_edit.returnPressed.connect(self._apply_search)

        self.view = QTableView(self)
        self.view.setObjectName("flashbuyTable")
        self.view.setHorizontalHeader(SortHeader(self.view))
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(Column.CREATED, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.clicked.connect(self._clicked)
        self.view.setMouseTracking(True)  # the hand over a thumbnail says it can be clicked
        self.view.entered.connect(self._hovered)
        self.picture_popup: PicturePopup | None = None
        self._pictures: OrderedDict[str, bytes] = OrderedDict()  # the last few shown large
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT_PX)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setMinimumSectionSize(THUMBNAIL_PX + 8)
        for column in Column:
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(Column.PICTURE, QHeaderView.ResizeMode.Fixed)
        self.view.setColumnWidth(Column.PICTURE, THUMBNAIL_PX + 8)
        columns.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(Column.MODE, QHeaderView.ResizeMode.Interactive)
        columns.setSectionResizeMode(Column.BUYERS, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setColumnWidth(Column.MODE, 150)

        self.end_action = QAction(self.tr("End flash-buy"), self)
        self.end_action.setObjectName("endFlashBuyAction")
        self.end_action.triggered.connect(self.end_selected)
        self.end_button = QPushButton(self.tr("End flash-buy"), self)
        self.end_button.setObjectName("endFlashBuyButton")
        self.end_button.setToolTip(
            self.tr(
                "End the selected active flash-buy: it disappears from the live room at once"
                " and viewers can no longer buy it"
            )
        )
        self.end_button.setAutoDefault(False)
        self.end_button.clicked.connect(self.end_selected)
        self.picture_action = QAction(self.tr("See the picture large"), self)
        self.picture_action.setObjectName("showPictureAction")
        self.picture_action.triggered.connect(self._picture_of_selected)
        self._menu = QMenu(self)
        self._menu.addAction(self.picture_action)
        self._menu.addAction(self.end_action)
        if read_only:
            self.end_button.hide()
            self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

        selection = self.view.selectionModel()
        selection.selectionChanged.connect(self._update_actions)
        for signal in (
            self.proxy.dataChanged,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_actions)
        self.proxy.countsChanged.connect(self._show_counts)

        bar = QHBoxLayout()
        bar.setSpacing(0)
        for button in self.status_buttons.values():
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addStretch(1)
        bar.addWidget(self.mode_combo)
        bar.addSpacing(6)
        bar.addWidget(self.category_combo)
        bar.addSpacing(6)
        bar.addWidget(self.search_edit)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

        self._show_counts(self.proxy.counts())
        self._update_actions()

    # --- what the main window calls -----------------------------------------------------

    def set_room(self, room_id: int) -> None:
        """Show ``room_id``'s flash-buys from now on (another room empties the table).

        Also loads the categories for the filter the first time. The caller then hands
        the room's flash-buys to :meth:`reset` (or calls :meth:`refresh`).
        """
        if room_id != self.room_id:
            self.room_id = room_id
            self._ending.clear()
            for what in ("list", "orders"):
                self.tasks.cancel(self._key(what))
            self.model.reset([])
        if not self._categories_loaded_once:
            self._load_categories()

    def reset(self, items: list[FlashBuy]) -> None:
        """Show a full load of this room, then fetch the buyers the table does not know.

        Rows already shown stay, with whatever events told them since the load was read
        (a flash-buy is never deleted, and one created after the read is newer than it).
        """
        model = self.model
        mine = {fb.id: fb for fb in items if fb.room_id == self.room_id}
        shown = (model.flashbuy(row) for row in range(model.rowCount()))
        model.reset([*mine.values(), *(fb for fb in shown if fb.id not in mine)])
        self._update_actions()
        self.refreshed.emit()
        missing = [
            model.flashbuy(row).id
            for row in range(model.rowCount())
            if len(model.buyers(row)) < model.flashbuy(row).sold
        ]
        if missing:
            client = self.client
            self.tasks.run(
                lambda: [order for fid in missing for order in client.orders(fid)],
                self._orders_loaded,
                self._failed(self.tr("Could not load the buyers")),
                key=self._key("orders"),
            )

    def refresh(self) -> None:
        """Load this room's flash-buys (and the categories) off the GUI thread, then show them."""
        client, room_id = self.client, self.room_id
        self.tasks.run(
            lambda: client.flashbuys(room_id),
            self._loaded,
            self._failed(self.tr("Could not load the flash-buys")),
            key=self._key("list"),
        )
        self._load_categories()

    @Slot(object)
    def apply_event(self, event: Event) -> None:
        """Route one event of the room's stream to the table (call on the GUI thread)."""
        if event.room_id != self.room_id:
            return
        try:
            if event.type in ("flashbuy.created", "flashbuy.ended"):
                self.model.upsert(FlashBuy.model_validate(event.data))
            elif event.type in ("flashbuy.updated", "flashbuy.sold_out"):
                self.model.apply_progress(FlashBuyProgress.model_validate(event.data))
            elif event.type == "order.placed":
                self.model.add_order(Order.model_validate(event.data))
        except ValidationError:
            log.warning("event %s (%s) was not understood", event.id, event.type)

    def selected_flashbuy(self) -> FlashBuy | None:
        """The flash-buy of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        fb = rows[0].data(Role.FLASHBUY) if rows else None
        return fb if isinstance(fb, FlashBuy) else None

    def select(self, flashbuy_id: int) -> bool:
        """Select the row of ``flashbuy_id`` if the filters show it."""
        row = self.model.row_of(flashbuy_id)
        if row < 0:
            return False
        at = self.proxy.mapFromSource(self.model.index(row, Column.TITLE))
        if not at.isValid():
            return False
        self.view.selectRow(at.row())
        self.view.scrollTo(at)
        return True

    def counts_text(self) -> str:
        """The per-status counts in one line, e.g. "进行中 3 · 已售罄 1 · 已结束 2"."""
        return " · ".join(self.status_buttons[s].text() for s in FlashBuyStatus)

    @Slot()
    def end_selected(self) -> None:
        """Ask, then end the selected active flash-buy on the platform."""
        fb = self.selected_flashbuy()
        if not self._can_end(fb):
            return
        assert fb is not None
        if not ConfirmEnd.ask(self, fb):
            return
        fid = fb.id
        row = self.model.row_of(fid)  # events kept coming while the question was open
        if row < 0 or not self._can_end(self.model.flashbuy(row)):
            return
        self._ending.add(fid)
        self._update_actions()
        client = self.client
        self.tasks.run(
            lambda: client.end_flashbuy(fid),
            lambda ended: self._ended(fid, ended),
            lambda exc: self._end_failed(fid, exc),
        )

    # --- inside -------------------------------------------------------------------------

    def _key(self, what: str) -> str:
        return f"flashbuys:{id(self)}:{what}"

    def _alive(self) -> bool:
        return shiboken6.isValid(self)

    def _failed(self, what: str) -> Callable[[Exception], None]:
        def report(exc: Exception) -> None:
            log.warning("%s: %s", what, exc)
            if self._alive():
                self.errorRaised.emit(self.tr("{what}: {why}").format(what=what, why=describe(exc)))

        return report

    def _loaded(self, result: FlashBuyList) -> None:
        if self._alive():
            self.reset(result.items)

    def _load_categories(self) -> None:
        self.tasks.run(
            self.client.categories,
            self._categories_loaded,
            self._failed(self.tr("Could not load the categories")),
            key=self._key("categories"),
        )

    def _orders_loaded(self, orders: list[Order]) -> None:
        if self._alive():
            for order in orders:
                self.model.add_order(order)

    def _categories_loaded(self, categories: list[Category]) -> None:
        if not self._alive():
            return
        self._categories_loaded_once = True
        combo = self.category_combo
        chosen = combo.currentData()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(combo.count() - 1)
            for category in categories:
                combo.addItem(category.name, category.id)
            at = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(at, 0))
        finally:
            combo.blockSignals(False)
        self._category_chosen()

    @Slot(str)
    def _fetch_thumbnail(self, picture_id: str) -> None:
        client = self.client

        def download() -> bytes:
            return client.picture(picture_id)

        def show(data: bytes) -> None:
            if self._alive():
                self.model.set_thumbnail(picture_id, data)

        def lost(exc: Exception) -> None:
            log.warning("picture %s could not be loaded: %s", picture_id, exc)
            if self._alive():
                self.model.thumbnail_failed(picture_id)

        self.tasks.run(download, show, lost)

    def _ended(self, fid: int, fb: FlashBuy) -> None:
        if not self._alive():
            return
        self._ending.discard(fid)
        self.model.upsert(fb)
        self._update_actions()

    def _end_failed(self, fid: int, exc: Exception) -> None:
        if not self._alive():
            return
        self._ending.discard(fid)
        self._update_actions()
        self._failed(self.tr("Could not end the flash-buy"))(exc)

    def _can_end(self, fb: FlashBuy | None) -> bool:
        if self.read_only:
            return False
        return fb is not None and fb.status is FlashBuyStatus.ACTIVE and fb.id not in self._ending

    @Slot()
    def _update_actions(self, *_args: object) -> None:
        enabled = self._can_end(self.selected_flashbuy())
        self.end_action.setEnabled(enabled)
        self.end_button.setEnabled(enabled)

    @Slot(object)
    def _show_counts(self, counts: dict[FlashBuyStatus, int]) -> None:
        labels = {
            None: self.tr("All {n}"),
            FlashBuyStatus.ACTIVE: self.tr("Active {n}"),
            FlashBuyStatus.SOLD_OUT: self.tr("Sold out {n}"),
            FlashBuyStatus.ENDED: self.tr("Ended {n}"),
        }
        total = sum(counts.values())
        for status, button in self.status_buttons.items():
            n = total if status is None else counts.get(status, 0)
            button.setText(labels[status].format(n=n))

    @Slot(int)
    def _mode_chosen(self, *_args: object) -> None:
        value = self.mode_combo.currentData()
        self.proxy.set_mode(Mode(value) if value else None)

    @Slot(int)
    def _category_chosen(self, *_args: object) -> None:
        value = self.category_combo.currentData()
        self.proxy.set_category(int(value) if value is not None else None)

    @Slot(str)
    def _search_typed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:  # cleared: show everything at once
            self._apply_search()

    @Slot()
    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.proxy.set_search(self.search_edit.text())

    # --- the picture, large ----------------------------------------------------------------

    def show_picture(self, flashbuy_id: int) -> PicturePopup | None:
        """Open the picture of ``flashbuy_id`` large, beside its thumbnail (if shown)."""
        row = self.model.row_of(flashbuy_id)
        if row < 0:
            return None
        fb = self.model.flashbuy(row)
        if self.picture_popup is not None:
            self.picture_popup.close()
        popup = PicturePopup(shown_title(fb), self.model.thumbnail(row), self)
        self.picture_popup = popup
        popup.destroyed.connect(lambda _obj=None: self._popup_gone(popup))
        at = self.proxy.mapFromSource(self.model.index(row, Column.PICTURE))
        viewport = self.view.viewport()
        cell = self.view.visualRect(at) if at.isValid() else viewport.rect()
        popup.show_beside(QRect(viewport.mapToGlobal(cell.topLeft()), cell.size()))
        picture_id = fb.picture_id
        known = self._pictures.get(picture_id)
        if known is not None:
            self._pictures.move_to_end(picture_id)
            popup.set_picture(known)
            return popup
        client = self.client

        def arrived(data: bytes) -> None:
            self._pictures[picture_id] = data
            while len(self._pictures) > PICTURES_KEPT:
                self._pictures.popitem(last=False)
            if self.picture_popup is popup and shiboken6.isValid(popup):
                popup.set_picture(data)

        def lost(exc: Exception) -> None:
            log.warning("picture %s could not be loaded: %s", picture_id, exc)
            if self.picture_popup is popup and shiboken6.isValid(popup):
                popup.failed(describe(exc))

        self.tasks.run(lambda: client.picture(picture_id), arrived, lost)
        return popup

    def _popup_gone(self, popup: PicturePopup) -> None:
        if self.picture_popup is popup:
            self.picture_popup = None

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.PICTURE:
            fid = index.data(Role.ID)
            if isinstance(fid, int):
                self.show_picture(fid)

    @Slot(QModelIndex)
    def _hovered(self, index: QModelIndex) -> None:
        viewport = self.view.viewport()
        if index.column() == Column.PICTURE:
            viewport.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            viewport.unsetCursor()

    @Slot()
    def _picture_of_selected(self) -> None:
        fb = self.selected_flashbuy()
        if fb is not None:
            self.show_picture(fb.id)

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        at = self.view.indexAt(pos)
        if not at.isValid():
            return
        self.view.selectRow(at.row())
        self._update_actions()
        self._menu.popup(self.view.viewport().mapToGlobal(pos))
