"""The selected flash-buy's orders and queue (候补), and what the seller does with them.

Everything shown comes from the flash-buy table's :class:`LiveSales` (the newest revision of
each order wins); the pane follows the table's ``ordersChanged`` and its one countdown
ticker. Cancelling an unpaid order and handing a piece to a waiting viewer are platform
calls, run through Tasks, never on the GUI thread; their answers are shown at once (the
stream brings them too) and their failures go to :attr:`OrdersPane.errorRaised`.
"""

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.room.order_life import hand_over_plan
from flashbuy_desktop.services.messages import describe
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.flashbuys.table_cells import shown_title
from flashbuy_desktop.ui.flashbuys.table_model import FlashBuyTableModel
from flashbuy_desktop.ui.orders.cancel_dialog import CancelOrderDialog
from flashbuy_desktop.ui.orders.order_words import clock_time
from flashbuy_desktop.ui.orders.orders_model import ORDER_ROLE, OrderColumn, OrdersModel
from flashbuy_desktop.ui.theme import Tone, set_tone
from flashbuy_protocol.enums import OrderStatus
from flashbuy_protocol.models import FlashBuy, Order, QueueEntry

log = logging.getLogger(__name__)

VIEWER_ROLE = Qt.ItemDataRole.UserRole.value + 1  # a queue item's QueueEntry


class OrdersPane(QWidget):
    """The orders of one flash-buy (:meth:`show_flashbuy`), its queue, cancel and hand over."""

    errorRaised = Signal(str)  # a sentence for the seller

    def __init__(
        self,
        client: PlatformClient,
        tasks: Tasks,
        table: FlashBuyTableModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orders_pane")
        self.client = client
        self.tasks = tasks.scoped(self)  # answers after the pane is gone are dropped
        self.table = table
        self.flashbuy_id: int | None = None
        self._busy = False  # a cancel or hand-over is on its way

        self.heading = QLabel()
        self.heading.setObjectName("orders_heading")
        set_tone(self.heading, Tone.STRONG)
        self.model = OrdersModel(lambda: table.clock(), self)  # the table's, even if set anew
        self.view = QTableView()
        self.view.setObjectName("orders_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        for column in OrderColumn:
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(OrderColumn.FATE, QHeaderView.ResizeMode.Stretch)
        self.cancel_button = QPushButton(self.tr("Cancel order…"))
        self.cancel_button.setObjectName("cancel_order_button")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setToolTip(
            self.tr("Cancel the selected unpaid order: its piece goes to the next in the queue")
        )
        self.cancel_button.clicked.connect(self.cancel_selected)

        self.queue_label = QLabel()
        self.queue_label.setObjectName("queue_heading")
        self.queue = QListWidget()
        self.queue.setObjectName("queue_list")
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hand_button = QPushButton(self.tr("Give to them"))
        self.hand_button.setObjectName("hand_over_button")
        self.hand_button.setAutoDefault(False)
        self.hand_button.setToolTip(
            self.tr("Give the piece to the selected waiting viewer, with a fresh pay window")
        )
        self.hand_button.clicked.connect(self.hand_over_selected)

        orders_bar = QHBoxLayout()
        orders_bar.addWidget(self.heading, 1)
        orders_bar.addWidget(self.cancel_button)
        queue_bar = QHBoxLayout()
        queue_bar.addWidget(self.queue_label, 1)
        queue_bar.addWidget(self.hand_button)
        lists = QHBoxLayout()
        lists.addWidget(self.view, 3)
        queue_side = QVBoxLayout()
        queue_side.addLayout(queue_bar)
        queue_side.addWidget(self.queue, 1)
        lists.addLayout(queue_side, 1)
        layout = QVBoxLayout(self)  # the style's margins, as the table's panel above has
        layout.addLayout(orders_bar)
        layout.addLayout(lists, 1)

        table.ordersChanged.connect(self._orders_changed)
        table.ticked.connect(self.model.tick)
        table.modelReset.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.queue.itemSelectionChanged.connect(self._update_actions)
        self.show_flashbuy(None)

    # --- what the main window calls -----------------------------------------------------

    def show_flashbuy(self, flashbuy_id: int | None) -> None:
        """Show the orders and queue of ``flashbuy_id`` (``None``: none selected)."""
        self.flashbuy_id = flashbuy_id
        self.refresh()

    def flashbuy(self) -> FlashBuy | None:
        """The flash-buy shown, as the table knows it now."""
        return self.table.sales.flashbuy(self.flashbuy_id) if self.flashbuy_id else None

    def selected_order(self) -> Order | None:
        """The order of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        order = rows[0].data(ORDER_ROLE) if rows else None
        return order if isinstance(order, Order) else None

    def selected_entry(self) -> QueueEntry | None:
        """The waiting viewer selected, if any."""
        items = self.queue.selectedItems()
        entry = items[0].data(VIEWER_ROLE) if items else None
        return entry if isinstance(entry, QueueEntry) else None

    @Slot()
    def refresh(self) -> None:
        """Show what the table knows now of the flash-buy, keeping the selections."""
        fb = self.flashbuy()
        chosen_order = self.selected_order()
        chosen_viewer = self.selected_entry()
        sales = self.table.sales
        orders = sales.orders(fb.id) if fb is not None else []
        queue = sales.queue(fb.id) if fb is not None else []
        if fb is None:
            self.heading.setText(self.tr("Select a flash-buy to see its orders"))
        else:
            self.heading.setText(
                self.tr("Orders of {title}").format(title=shown_title(fb))
                + "  "
                + self.tr("Orders: {n}").format(n=len(orders))
            )
        self.model.show(orders)
        if chosen_order is not None and (row := self.model.row_of(chosen_order.id)) >= 0:
            self.view.selectRow(row)
        self.queue_label.setText(self.tr("Waiting: {n}").format(n=len(queue)))
        self.queue.blockSignals(True)
        try:
            self.queue.clear()
            for place, entry in enumerate(queue, start=1):
                item = QListWidgetItem(
                    self.tr("{place}. {nickname}  {time}").format(
                        place=place, nickname=entry.nickname, time=clock_time(entry.joined_at)
                    )
                )
                item.setData(VIEWER_ROLE, entry)
                self.queue.addItem(item)
                if chosen_viewer is not None and entry.viewer_id == chosen_viewer.viewer_id:
                    item.setSelected(True)
        finally:
            self.queue.blockSignals(False)
        self._update_actions()

    @Slot()
    def cancel_selected(self) -> None:
        """Ask for a reason, then cancel the selected unpaid order as the seller."""
        order = self.selected_order()
        if order is None or order.status is not OrderStatus.HELD or self._busy:
            return
        dialog = CancelOrderDialog(order, self)
        try:
            if not dialog.exec():
                return
            reason = dialog.reason()
        finally:
            dialog.deleteLater()
        client, order_id = self.client, order.id
        self._start()
        self.tasks.run(
            lambda: client.cancel_order(order_id, reason),
            self._done,
            self._failed(self.tr("Could not cancel the order")),
        )

    @Slot()
    def hand_over_selected(self) -> None:
        """Give the piece to the selected waiting viewer; asks first when that cancels
        someone's unpaid order."""
        fb, entry = self.flashbuy(), self.selected_entry()
        if fb is None or entry is None or self._busy:
            return
        chosen = self.selected_order()
        plan = hand_over_plan(fb, self.table.sales.orders(fb.id), chosen.id if chosen else None)
        if not plan.possible:
            return
        replacing = plan.replacing
        if replacing is not None:
            question = Question(
                title=self.tr("Give the piece to {nickname}").format(nickname=entry.nickname),
                text=self.tr("Cancel {old}'s unpaid order and give the piece to {new}?").format(
                    old=replacing.nickname, new=entry.nickname
                ),
                details=self.tr(
                    "{old} has not paid yet. Their order is cancelled now and {new} gets"
                    " a fresh pay window."
                ).format(old=replacing.nickname, new=entry.nickname),
                act=self.tr("Give to {nickname}").format(nickname=entry.nickname),
                safe=self.tr("Keep {nickname}'s order").format(nickname=replacing.nickname),
            )
            if not Confirm.ask(self, question):
                return
        client, fid, viewer_id = self.client, fb.id, entry.viewer_id
        replacing_id = replacing.id if replacing is not None else None
        self._start()
        self.tasks.run(
            lambda: client.hand_over(fid, viewer_id, replacing_order_id=replacing_id),
            self._done,
            self._failed(self.tr("Could not give the piece")),
        )

    # --- inside -------------------------------------------------------------------------

    def _start(self) -> None:
        self._busy = True
        self._update_actions()

    def _done(self, order: Order) -> None:
        self._busy = False
        self.table.add_order(order)  # the stream brings it too; the seller waits for this
        self._update_actions()

    def _failed(self, what: str) -> Callable[[Exception], None]:
        def report(exc: Exception) -> None:
            log.warning("%s: %s", what, exc)
            self._busy = False
            self._update_actions()
            self.errorRaised.emit(self.tr("{what}: {why}").format(what=what, why=describe(exc)))

        return report

    @Slot(int)
    def _orders_changed(self, flashbuy_id: int) -> None:
        if flashbuy_id == self.flashbuy_id:
            self.refresh()

    @Slot()
    def _update_actions(self) -> None:
        order = self.selected_order()
        self.cancel_button.setEnabled(
            not self._busy and order is not None and order.status is OrderStatus.HELD
        )
        fb = self.flashbuy()
        possible = False
        if fb is not None and self.selected_entry() is not None and not self._busy:
            chosen = order.id if order is not None else None
            possible = hand_over_plan(fb, self.table.sales.orders(fb.id), chosen).possible
        self.hand_button.setEnabled(possible)
