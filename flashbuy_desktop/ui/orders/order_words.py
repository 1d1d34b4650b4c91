"""An order's state, times and fate as the seller reads them (the ``OrdersPane`` context).

The facts come from :mod:`flashbuy_desktop.room.order_life`; this module only words them:
待付款 with its countdown, 已付款, 已超时, 已取消 (who, and why), and "转给 X" where a later order
took over the piece.
"""

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from flashbuy_desktop.room.order_life import aware, countdown, seconds_left
from flashbuy_protocol.enums import CancelledBy, OrderSource, OrderStatus
from flashbuy_protocol.models import Order


def state_text(order: Order, now: datetime) -> str:
    """Where the order stands: "待付款 04:59", "已付款", "已超时", "已取消 (卖家: 断货)"."""
    if order.status is OrderStatus.HELD:
        left = seconds_left(order, now)
        if left is None:
            return QCoreApplication.translate("OrdersPane", "Unpaid")
        return QCoreApplication.translate("OrdersPane", "Unpaid {left}").format(
            left=countdown(left)
        )
    if order.status is OrderStatus.PAID:
        return QCoreApplication.translate("OrdersPane", "Paid")
    if order.status is OrderStatus.EXPIRED:
        return QCoreApplication.translate("OrdersPane", "Expired")
    who = (
        QCoreApplication.translate("OrdersPane", "buyer")
        if order.cancelled_by is CancelledBy.BUYER
        else QCoreApplication.translate("OrdersPane", "seller")
    )
    if order.cancel_reason:
        return QCoreApplication.translate("OrdersPane", "Cancelled ({who}: {reason})").format(
            who=who, reason=order.cancel_reason
        )
    return QCoreApplication.translate("OrdersPane", "Cancelled ({who})").format(who=who)


def source_text(order: Order, previous: Order | None) -> str:
    """How the buyer came to the piece, when not by buying the offer: from the queue, or
    given by the seller, and whose piece it was."""
    if order.source is OrderSource.OFFER and order.previous_order_id is None:
        return ""
    if order.source is OrderSource.SELLER:
        how = QCoreApplication.translate("OrdersPane", "Given by you")
    elif order.source is OrderSource.QUEUE:
        how = QCoreApplication.translate("OrdersPane", "From the queue")
    else:
        how = QCoreApplication.translate("OrdersPane", "Came back")
    if previous is None:
        return how
    return QCoreApplication.translate("OrdersPane", "{how}, was {nickname}'s").format(
        how=how, nickname=previous.nickname
    )


def fate_text(order: Order, successor: Order | None) -> str:
    """Where the piece went after this order: "转给 小李" when a later order took it over."""
    if successor is not None:
        return QCoreApplication.translate("OrdersPane", "Moved to {nickname}").format(
            nickname=successor.nickname
        )
    if order.status in (OrderStatus.EXPIRED, OrderStatus.CANCELLED):
        return QCoreApplication.translate("OrdersPane", "Piece released")
    return ""


def clock_time(moment: datetime | None) -> str:
    """A time of day on the seller's clock, or nothing."""
    return aware(moment).astimezone().strftime("%H:%M:%S") if moment is not None else ""
