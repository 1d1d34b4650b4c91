"""The flash-buy panel: filter bar, table and End action, every platform call on Tasks."""

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import understood
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.confirm import Confirm
from flashbuy_desktop.ui.flashbuys.end_question import end_question
from flashbuy_desktop.ui.flashbuys.table_columns import ROW_HEIGHT_PX, THUMBNAIL_PX, Column, Role
from flashbuy_desktop.ui.flashbuys.table_filter import FlashBuyFilter
from flashbuy_desktop.ui.flashbuys.table_model import FlashBuyTableModel
from flashbuy_desktop.ui.flashbuys.table_pictures import TablePictures
from flashbuy_desktop.ui.picture_popup import PicturePopup
from flashbuy_desktop.ui.sort_header import SortHeader
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.event_payloads import EventPayload
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import (
    Category,
    Event,
    FlashBuy,
    FlashBuyList,
    FlashBuyProgress,
    Order,
    QueueEntry,
)

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 200


class FlashBuyPanel(QWidget):
    """Manage this live's flash-buys: filter, search, watch them sell, end them.

    Call :meth:`refresh` once shown (and after the event stream reconnects, if
    wanted), and hand every event of the room's stream to :meth:`apply_event` on
    the GUI thread. Failures are reported on :attr:`errorRaised`, never shown here.
    """

    errorRaised = Signal(str)  # a sentence for the seller
    refreshed = Signal()  # a full load has been shown
    flashbuySelected = Signal(int)  # the id of the selected flash-buy, 0 when none is

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

        # Countdowns run on the platform's time, whatever this machine's clock says.
        self.model = FlashBuyTableModel(self, clock=client.server_clock.now)
        self.proxy = FlashBuyFilter(self)
        self.proxy.setSourceModel(self.model)

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
        self.pictures = TablePictures(client, tasks, self.model, self.proxy, self.view, self)
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
        selection.selectionChanged.connect(self._selection_moved)
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
        if model.sales.missing_buyers():
            # All of the room's orders in one request, not one per flash-buy: a live with a
            # hundred flash-buys would otherwise wait on a hundred round trips.
            client, room_id = self.client, self.room_id
            self.tasks.run(
                lambda: client.room_orders(room_id),
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
        data = understood(event)
        if data is not None:
            self.apply_payload(data, event.type)

    def apply_payload(self, data: EventPayload, kind: EventType | None = None) -> None:
        """Apply one event's typed data (the main window has read it already); ``kind``, the
        event's type, tells a viewer joining a queue from one leaving it."""
        # Created and ended carry the whole flash-buy; updated and sold-out its progress;
        # placed and updated the whole order; joined and left a queue entry.
        match data:
            case FlashBuy():
                self.model.upsert(data)
            case FlashBuyProgress():
                self.model.apply_progress(data)
            case Order():
                self.model.add_order(data)
            case QueueEntry() if kind is EventType.QUEUE_JOINED:
                self.model.queue_joined(data)
            case QueueEntry() if kind is EventType.QUEUE_LEFT:
                self.model.queue_left(data)

    def add_orders(self, orders: list[Order]) -> None:
        """Orders read with the room (every state, those that came back too); before
        :meth:`reset`, they spare it asking for the buyers again."""
        self.model.add_orders(o for o in orders if o.room_id == self.room_id)

    def load_queue(self, entries: list[QueueEntry]) -> None:
        """The room's queue (候补) as read with its flash-buys."""
        self.model.load_queue(e for e in entries if e.room_id == self.room_id)

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
        if not Confirm.ask(self, end_question(fb)):
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
            self.model.add_orders(o for o in orders if o.room_id == self.room_id)

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
        if fb is None or fb.id in self._ending:
            return False
        # A sold-out piece whose buyer has not paid yet may still come back: ending it
        # keeps it from being offered again.
        return fb.status is FlashBuyStatus.ACTIVE or (
            fb.status is FlashBuyStatus.SOLD_OUT and fb.held > 0
        )

    @Slot()
    def _update_actions(self, *_args: object) -> None:
        enabled = self._can_end(self.selected_flashbuy())
        self.end_action.setEnabled(enabled)
        self.end_button.setEnabled(enabled)

    @Slot()
    def _selection_moved(self, *_args: object) -> None:
        fb = self.selected_flashbuy()
        self.flashbuySelected.emit(fb.id if fb is not None else 0)

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

    @property
    def picture_popup(self) -> PicturePopup | None:
        """The picture shown large now, if any."""
        return self.pictures.popup

    def show_picture(self, flashbuy_id: int) -> PicturePopup | None:
        """Open the picture of ``flashbuy_id`` large, beside its thumbnail (if shown)."""
        return self.pictures.show_large(flashbuy_id)

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
