"""One flash-buy's orders, one row each, first placed first, the held ones counting down."""

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from flashbuy_desktop.room.order_life import successors
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.orders.order_words import (
    clock_time,
    fate_text,
    source_text,
    state_text,
)
from flashbuy_protocol.enums import OrderStatus
from flashbuy_protocol.models import Order

_ROOT = QModelIndex()
DISPLAY = Qt.ItemDataRole.DisplayRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
ORDER_ROLE = Qt.ItemDataRole.UserRole.value + 1  # the Order itself

_STATE_COLOUR = {
    OrderStatus.HELD: "warning",
    OrderStatus.PAID: "success",
    OrderStatus.EXPIRED: "faint",
    OrderStatus.CANCELLED: "faint",
}


class OrderColumn(IntEnum):
    """The orders' columns, left to right."""

    BUYER = 0
    STATE = 1
    PLACED = 2
    CLOSED = 3
    FATE = 4


class OrdersModel(QAbstractTableModel):
    """The orders of one flash-buy as :meth:`show` hands them; :meth:`tick` moves the
    countdowns of the held ones."""

    def __init__(self, clock: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._orders: list[Order] = []
        self._after: dict[int, Order] = {}  # order id -> the order that took over its piece
        self._by_id: dict[int, Order] = {}
        self._headers = (
            self.tr("Buyer"),
            self.tr("State"),
            self.tr("Placed"),
            self.tr("Closed"),
            self.tr("The piece"),
        )

    # --- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # override
        return 0 if parent.isValid() else len(OrderColumn)

    def headerData(  # override
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == DISPLAY and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(  # override
        self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._orders):
            return None
        order = self._orders[index.row()]
        column = index.column()
        if role == ORDER_ROLE:
            return order
        if role == FOREGROUND and column == OrderColumn.STATE:
            return theme.colour(_STATE_COLOUR[order.status])
        if role == DISPLAY:
            return self._text(order, column)
        if role == TOOLTIP:
            return self._tip(order, column)
        return None

    # --- what the pane calls --------------------------------------------------------------

    def show(self, orders: list[Order]) -> None:
        """Show exactly ``orders`` (first placed first)."""
        self.beginResetModel()
        self._orders = list(orders)
        self._by_id = {o.id: o for o in orders}
        self._after = successors(orders)
        self.endResetModel()

    def order(self, row: int) -> Order:
        """The order in ``row``."""
        return self._orders[row]

    def row_of(self, order_id: int) -> int:
        """The row of ``order_id``, or -1."""
        return next((r for r, o in enumerate(self._orders) if o.id == order_id), -1)

    def successor(self, order_id: int) -> Order | None:
        """The order that took over ``order_id``'s piece, if one did."""
        return self._after.get(order_id)

    def tick(self) -> None:
        """A second passed: the held orders' countdowns move."""
        for row, order in enumerate(self._orders):
            if order.status is OrderStatus.HELD:
                at = self.index(row, OrderColumn.STATE)
                self.dataChanged.emit(at, at, [DISPLAY])

    # --- inside -------------------------------------------------------------------------

    def _text(self, order: Order, column: int) -> str:
        if column == OrderColumn.BUYER:
            return order.nickname
        if column == OrderColumn.STATE:
            return state_text(order, self.clock())
        if column == OrderColumn.PLACED:
            return clock_time(order.created_at)
        if column == OrderColumn.CLOSED:
            return clock_time(order.closed_at)
        return fate_text(order, self._after.get(order.id))

    def _tip(self, order: Order, column: int) -> str | None:
        if column == OrderColumn.BUYER:
            came = source_text(order, self._by_id.get(order.previous_order_id or 0))
            return self.tr("{nickname}, {region}").format(
                nickname=order.nickname, region=order.region or "-"
            ) + (f"\n{came}" if came else "")
        if column == OrderColumn.STATE and order.pay_until is not None:
            return self.tr("Pay by {time}").format(time=clock_time(order.pay_until))
        return None
