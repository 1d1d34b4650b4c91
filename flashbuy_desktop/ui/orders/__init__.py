"""The orders of the selected flash-buy, and its queue (候补), with the seller's actions.

* ``order_words``: an order's state, times and fate in the seller's words.
* ``orders_model``: :class:`OrdersModel`, one row per order of one flash-buy, counting down.
* ``cancel_dialog``: :class:`CancelOrderDialog`, the seller's reason for cancelling.
* ``orders_pane``: :class:`OrdersPane`, the widget: orders, queue, cancel and hand over,
  every platform call through Tasks.
"""

from flashbuy_desktop.ui.orders.cancel_dialog import CancelOrderDialog
from flashbuy_desktop.ui.orders.orders_model import OrdersModel
from flashbuy_desktop.ui.orders.orders_pane import OrdersPane

__all__ = ["CancelOrderDialog", "OrdersModel", "OrdersPane"]
