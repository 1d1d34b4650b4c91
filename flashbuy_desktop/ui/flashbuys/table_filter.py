"""The flash-buy table's filter: status, mode, category and search text; counts per status."""

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Signal,
    Slot,
)

from flashbuy_desktop.ui.flashbuys.table_columns import DISPLAY, Role
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.models import FlashBuy

_ROOT = QModelIndex()


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
        if roles and DISPLAY not in roles and Role.FLASHBUY not in roles:
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
