"""The flash-buy table's item model: renders :class:`LiveSales` as rows, newest first.

Which view of a flash-buy or an order is the newer is not decided here but by
:class:`~flashbuy_desktop.room.live_sales.LiveSales` (the higher revision wins); the model
hands it what arrives and turns what changed into Qt's row signals, one per change.
"""

import bisect
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPixmap

from flashbuy_desktop.api.server_clock import utc_now
from flashbuy_desktop.room.live_sales import LiveSales, Outcome
from flashbuy_desktop.room.order_life import seconds_left, soonest_due
from flashbuy_desktop.ui.flashbuys.table_cells import (
    RowText,
    alignment,
    background,
    foreground,
    role_value,
    row_text,
)
from flashbuy_desktop.ui.flashbuys.table_columns import (
    ACCESSIBLE,
    ALIGNMENT,
    BACKGROUND,
    DECORATION,
    DISPLAY,
    FIRST_ORDER,
    FOREGROUND,
    INITIAL_SORT,
    TOOLTIP,
    Column,
)
from flashbuy_desktop.ui.flashbuys.thumbnails import Thumbnails
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order, QueueEntry

_ROOT = QModelIndex()
TICK_MS = 1000


class FlashBuyTableModel(QAbstractTableModel):
    """This live's flash-buys, one row per id, newest first.

    Feed it with :meth:`reset` (a full load) and, from the event stream, :meth:`upsert`,
    :meth:`apply_progress` and :meth:`add_order`. Each is idempotent: a view whose revision
    is not newer than the row's changes nothing, a newer one is shown whatever it says (a
    piece that came back lowers ``sold``). Pictures are not fetched here:
    :attr:`thumbnailWanted` asks for them once per picture id, and :meth:`set_thumbnail`
    hands the bytes in.

    Rows with an unpaid order count down to its deadline: one timer for the whole table
    ticks once a second while any order is held, and stops when none is.
    """

    thumbnailWanted = Signal(str)  # picture id whose bytes the model has not been given
    ordersChanged = Signal(int)  # a flash-buy id whose orders or queue changed
    ticked = Signal()  # a second passed while orders are held (countdowns moved)

    def __init__(
        self, parent: QObject | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(parent)
        self.sales = LiveSales()  # what the rows show; read it, feed it through the model
        self.clock = clock
        self.ticker = QTimer(self)
        self.ticker.setObjectName("countdown_ticker")
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self._counting: set[int] = set()  # ids of flash-buys with a held order
        self._keys: list[int] = []  # -id of each row, ascending: newest (largest id) first
        self._text: dict[int, RowText] = {}  # by flash-buy id, worked out once per change
        self._thumbs = Thumbnails()
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

    # --- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(self._keys)

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
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == DISPLAY:
                return self._headers[section]
            if role == ALIGNMENT and section not in (Column.TITLE, Column.BUYERS):
                return Qt.AlignmentFlag.AlignCenter
            if role == INITIAL_SORT:
                return FIRST_ORDER.get(section, Qt.SortOrder.AscendingOrder)
        return None

    def data(  # override
        self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY
    ) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._keys) and 0 <= column < len(Column)):
            return None
        fid = -self._keys[row]
        if role in (DISPLAY, ACCESSIBLE):
            return self._text[fid].texts[column] or None
        if role == TOOLTIP:
            return self._text[fid].tips[column]
        fb = self._fb(fid)
        if role == DECORATION:
            return self._thumbs.shown(fb.picture_id) if column == Column.PICTURE else None
        if role == FOREGROUND:
            return foreground(fb.status, column, fb.held)
        if role == BACKGROUND:
            return background(fb.status, column)
        if role == ALIGNMENT:
            return alignment(column)
        return role_value(fb, self.sales.buyers(fid), column, role)

    # --- what the console calls ---------------------------------------------------------

    def reset(self, items: Iterable[FlashBuy]) -> None:
        """Show exactly ``items`` (a full load), keeping what rows already know.

        A row already shown keeps its buyers and any newer view than the load's (an event
        that overtook it), so a load never shows an older state.
        """
        self.beginResetModel()
        self.sales.load(items)
        self._keys = [-fb.id for fb in self.sales.flashbuys()]
        self._text = {-key: self._render(-key) for key in self._keys}
        self.endResetModel()
        self._count_down()
        self._ask_thumbnails(self._fb(-key).picture_id for key in self._keys)

    def upsert(self, fb: FlashBuy) -> None:
        """Insert a new flash-buy, or show a newer view (higher revision) of a shown one."""
        outcome = self.sales.put(fb)
        if outcome is Outcome.CHANGED:
            self._orders_changed(fb.id)
        elif outcome is Outcome.ADDED:
            self._text[fb.id] = self._render(fb.id)
            at = bisect.bisect_left(self._keys, -fb.id)
            self.beginInsertRows(_ROOT, at, at)
            self._keys.insert(at, -fb.id)
            self.endInsertRows()
            self._ask_thumbnails([fb.picture_id])
            self._count_down()  # orders that came before it may be held

    def apply_progress(self, p: FlashBuyProgress) -> None:
        """Apply a ``flashbuy.updated`` / ``flashbuy.sold_out`` if it is newer than the row."""
        if self.sales.progress(p) is Outcome.CHANGED:
            self._orders_changed(p.id)

    def add_order(self, order: Order) -> None:
        """An order placed, or a newer view of one (paid, expired, cancelled): shown once per
        order, the newest."""
        if self.sales.order(order) is Outcome.CHANGED:
            self._orders_changed(order.flashbuy_id)
            self._count_down()

    def add_orders(self, orders: Iterable[Order]) -> None:
        """Add many orders (a load): each row they change is repainted once, not per order."""
        changed = {o.flashbuy_id for o in orders if self.sales.order(o) is Outcome.CHANGED}
        for fid in sorted(changed, reverse=True):
            self._orders_changed(fid)
        self._count_down()

    def load_queue(self, entries: Iterable[QueueEntry]) -> None:
        """The room's whole queue (候补), read with the room."""
        for fid in sorted(self.sales.load_queue(entries), reverse=True):
            self._orders_changed(fid)

    def queue_joined(self, entry: QueueEntry) -> None:
        """A viewer now waits for a piece of a flash-buy (``queue.joined``)."""
        if self.sales.joined(entry) is Outcome.CHANGED:
            self._orders_changed(entry.flashbuy_id)

    def queue_left(self, entry: QueueEntry) -> None:
        """A viewer waits no more (``queue.left``)."""
        if self.sales.left(entry) is Outcome.CHANGED:
            self._orders_changed(entry.flashbuy_id)

    def tick(self) -> None:
        """A second passed: repaint the countdowns (only the rows with a held order)."""
        for fid in sorted(self._counting, reverse=True):
            row = self.row_of(fid)
            if row >= 0:
                self._text[fid] = self._render(fid)
                at = self.index(row, Column.SOLD)
                self.dataChanged.emit(at, at, [DISPLAY, TOOLTIP])
        self.ticked.emit()

    def set_thumbnail(self, picture_id: str, data: bytes) -> None:
        """Use the picture ``data`` (JPEG or PNG bytes) for every row showing ``picture_id``."""
        if not self._thumbs.put(picture_id, data):
            return
        for row, key in enumerate(self._keys):
            if self._fb(-key).picture_id == picture_id:
                at = self.index(row, Column.PICTURE)
                self.dataChanged.emit(at, at, [DECORATION])

    def thumbnail_failed(self, picture_id: str) -> None:
        """The picture could not be fetched: ask for it again with the next load or row."""
        self._thumbs.failed(picture_id)

    def has_thumbnail(self, picture_id: str) -> bool:
        """Whether :meth:`set_thumbnail` has been given ``picture_id``."""
        return self._thumbs.get(picture_id) is not None

    def flashbuy(self, row: int) -> FlashBuy:
        """The flash-buy shown in ``row``."""
        return self._fb(-self._keys[row])

    def thumbnail(self, row: int) -> QPixmap | None:
        """The thumbnail of ``row`` if its picture has arrived."""
        return self._thumbs.get(self.flashbuy(row).picture_id)

    def buyers(self, row: int) -> list[str]:
        """The nicknames of the buyers of the flash-buy in ``row``, first buyer first."""
        return self.sales.buyers(-self._keys[row])

    def row_of(self, flashbuy_id: int) -> int:
        """The row showing ``flashbuy_id``, or -1."""
        at = bisect.bisect_left(self._keys, -flashbuy_id)
        return at if at < len(self._keys) and self._keys[at] == -flashbuy_id else -1

    def ids(self) -> list[int]:
        """The flash-buy ids in row order."""
        return [-k for k in self._keys]

    # --- inside -------------------------------------------------------------------------

    def _fb(self, fid: int) -> FlashBuy:
        fb = self.sales.flashbuy(fid)
        assert fb is not None, fid  # every row's id is known to the sales
        return fb

    def _render(self, fid: int) -> RowText:
        fb = self._fb(fid)
        due = soonest_due(self.sales.orders(fid)) if fb.held else None
        return row_text(
            fb,
            self.sales.buyers(fid),
            due_in=seconds_left(due, self.clock()) if due is not None else None,
            waiting=self.sales.waiting(fid),
        )

    def _orders_changed(self, fid: int) -> None:
        self._changed(fid)
        self.ordersChanged.emit(fid)

    def _count_down(self) -> None:
        """Tick while any order is held, and only then."""
        self._counting = {o.flashbuy_id for o in self.sales.held_orders()}
        if self._counting and not self.ticker.isActive():
            self.ticker.start()
        elif not self._counting and self.ticker.isActive():
            self.ticker.stop()

    def _changed(self, fid: int) -> None:
        row = self.row_of(fid)
        if row < 0:
            return
        self._text[fid] = self._render(fid)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _ask_thumbnails(self, picture_ids: Iterable[str]) -> None:
        for picture_id in self._thumbs.wanted(picture_ids):
            self.thumbnailWanted.emit(picture_id)
