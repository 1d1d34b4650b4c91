"""The flash-buy table's item model: renders :class:`LiveSales` as rows, newest first.

Which view of a flash-buy or an order is the newer is not decided here but by
:class:`~flashbuy_desktop.room.live_sales.LiveSales` (the higher revision wins); the model
hands it what arrives and turns what changed into Qt's row signals, one per change.
"""

import bisect
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPixmap

from flashbuy_desktop.room.live_sales import LiveSales, Outcome
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
from flashbuy_protocol.models import FlashBuy, FlashBuyProgress, Order

_ROOT = QModelIndex()


class FlashBuyTableModel(QAbstractTableModel):
    """This live's flash-buys, one row per id, newest first.

    Feed it with :meth:`reset` (a full load) and, from the event stream, :meth:`upsert`,
    :meth:`apply_progress` and :meth:`add_order`. Each is idempotent: a view whose revision
    is not newer than the row's changes nothing, a newer one is shown whatever it says (a
    piece that came back lowers ``sold``). Pictures are not fetched here:
    :attr:`thumbnailWanted` asks for them once per picture id, and :meth:`set_thumbnail`
    hands the bytes in.
    """

    thumbnailWanted = Signal(str)  # picture id whose bytes the model has not been given

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sales = LiveSales()  # what the rows show; read it, feed it through the model
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
            return foreground(fb.status, column)
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
        self._ask_thumbnails(self._fb(-key).picture_id for key in self._keys)

    def upsert(self, fb: FlashBuy) -> None:
        """Insert a new flash-buy, or show a newer view (higher revision) of a shown one."""
        outcome = self.sales.put(fb)
        if outcome is Outcome.CHANGED:
            self._changed(fb.id)
        elif outcome is Outcome.ADDED:
            self._text[fb.id] = self._render(fb.id)
            at = bisect.bisect_left(self._keys, -fb.id)
            self.beginInsertRows(_ROOT, at, at)
            self._keys.insert(at, -fb.id)
            self.endInsertRows()
            self._ask_thumbnails([fb.picture_id])

    def apply_progress(self, p: FlashBuyProgress) -> None:
        """Apply a ``flashbuy.updated`` / ``flashbuy.sold_out`` if it is newer than the row."""
        if self.sales.progress(p) is Outcome.CHANGED:
            self._changed(p.id)

    def add_order(self, order: Order) -> None:
        """Add a buyer's nickname to the row of the flash-buy bought (once per order)."""
        if self.sales.order(order) is Outcome.CHANGED:
            self._changed(order.flashbuy_id)

    def add_orders(self, orders: Iterable[Order]) -> None:
        """Add many orders (a load): each row they change is repainted once, not per order."""
        changed = {o.flashbuy_id for o in orders if self.sales.order(o) is Outcome.CHANGED}
        for fid in sorted(changed, reverse=True):
            self._changed(fid)

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
        return row_text(self._fb(fid), self.sales.buyers(fid))

    def _changed(self, fid: int) -> None:
        row = self.row_of(fid)
        if row < 0:
            return
        self._text[fid] = self._render(fid)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _ask_thumbnails(self, picture_ids: Iterable[str]) -> None:
        for picture_id in self._thumbs.wanted(picture_ids):
            self.thumbnailWanted.emit(picture_id)
