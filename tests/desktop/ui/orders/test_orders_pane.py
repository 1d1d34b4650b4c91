"""The orders pane against the real platform: a flash-buy's orders and queue, cancel, hand over.

The seller clicks a flash-buy's row, sees its orders and who waits, cancels an unpaid order
with a reason (the piece moves to the first in the queue) and gives a piece to a waiting
viewer of their choice (asked first, since it cancels someone's unpaid order).
"""

import os
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QListWidget, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from flashbuy_desktop.ui.flashbuys import Column
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.orders import CancelOrderDialog, OrdersModel
from flashbuy_desktop.ui.orders.orders_model import OrderColumn
from flashbuy_protocol.enums import OrderStatus
from tests.desktop.console_steps import confirm_when_asked, followed_window, when_modal
from tests.desktop.keyboard import type_text
from tests.desktop.room.sales_data import T0, held, order
from tests.desktop.sale_steps import buy
from tests.support import World

SHOTS = os.environ.get("FLASHBUY_SHOTS", "")


def _click_row(qtbot: QtBot, view: QTableView, index: QModelIndex) -> None:
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def _click_item(qtbot: QtBot, view: QListWidget, row: int) -> None:
    item = view.item(row)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center()
    )


def _select_flashbuy(qtbot: QtBot, window: MainWindow, flashbuy_id: int) -> None:
    panel = window.panel
    source = panel.model.index(panel.model.row_of(flashbuy_id), Column.TITLE)
    _click_row(qtbot, panel.view, panel.proxy.mapFromSource(source))


def _orders(window: MainWindow) -> list[tuple[str, str, str]]:
    model = window.orders_pane.model
    return [
        (
            model.index(r, OrderColumn.BUYER).data(),
            model.index(r, OrderColumn.STATE).data(),
            model.index(r, OrderColumn.FATE).data(),
        )
        for r in range(model.rowCount())
    ]


def _queue(window: MainWindow) -> list[str]:
    queue = window.orders_pane.queue
    return [queue.item(r).text().split("  ")[0] for r in range(queue.count())]


def test_the_orders_model_words_every_state(qtmodeltester: ModelTester) -> None:
    model = OrdersModel(lambda: T0)
    qtmodeltester.check(model)
    model.show(
        [
            order(1, 1, "小王", status=OrderStatus.EXPIRED, closed_at=T0),
            held(2, 1, "小李", minutes=3, previous_order_id=1, source="queue"),
            order(3, 1, "小张", cancel_reason="断货", cancelled_by="seller", status="cancelled"),
            order(4, 1, "小赵"),
        ]
    )
    qtmodeltester.check(model)
    states = [model.index(r, OrderColumn.STATE).data() for r in range(4)]
    assert states == ["已超时", "待付款 03:00", "已取消（卖家：断货）", "已付款"]
    fates = [model.index(r, OrderColumn.FATE).data() for r in range(4)]
    assert fates == ["转给 小李", "", "已释放", ""]
    assert "候补转入，原属 小王" in model.index(1, OrderColumn.BUYER).data(
        Qt.ItemDataRole.ToolTipRole
    )


def test_the_seller_cancels_an_unpaid_order_and_hands_a_piece_over(
    qtbot: QtBot, world: World
) -> None:
    wang, _ = world.join("小王")
    li, _ = world.join("小李")
    zhang, _ = world.join("小张")
    bangle = world.create_flashbuy(stock=1, title="3号 冰种手镯")
    buy(wang, bangle["id"])
    buy(li, bangle["id"], status=202)  # every piece taken: 小李 waits
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    pane = window.orders_pane
    qtbot.waitUntil(lambda: window.panel.model.row_of(bangle["id"]) >= 0)
    assert pane.heading.text() == "选中一个闪购，查看它的订单"

    _select_flashbuy(qtbot, window, bangle["id"])
    qtbot.waitUntil(lambda: len(_orders(window)) == 1 and _queue(window) == ["1. 小李"])
    buyer, state, fate = _orders(window)[0]
    assert (buyer, fate) == ("小王", "")
    assert state.startswith("待付款 0")  # counting down from 05:00
    assert pane.queue_label.text() == "候补 1"
    assert not pane.cancel_button.isEnabled()  # no order chosen yet
    assert not pane.hand_button.isEnabled()

    # Cancel 小王's unpaid order: a reason is asked; Enter without one does nothing.
    _click_row(qtbot, pane.view, pane.model.index(0, OrderColumn.BUYER))
    assert pane.cancel_button.isEnabled()
    seen: list[str] = []

    def give_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, CancelOrderDialog)
        seen.append(dialog.windowTitle())
        assert not dialog.act.isEnabled()
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
        assert dialog.isVisible()
        type_text(qtbot, dialog.reason_edit, "买家说不要了")
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            dialog.grab().save(os.path.join(SHOTS, "cancel-dialog.png"))
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    when_modal(give_reason)
    qtbot.mouseClick(pane.cancel_button, Qt.MouseButton.LeftButton)
    assert seen == ["取消订单"]
    # The piece moved to the first in the queue, 小李, with a fresh pay window.
    qtbot.waitUntil(lambda: len(_orders(window)) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: _queue(window) == [], timeout=10_000)
    (w_name, w_state, w_fate), (l_name, l_state, _l_fate) = _orders(window)
    assert (w_name, w_state, w_fate) == ("小王", "已取消（卖家：买家说不要了）", "转给 小李")
    assert l_name == "小李"
    assert l_state.startswith("待付款 0")

    # 小张 waits too; the seller gives the piece to 小张 instead of 小李, who has not paid.
    buy(zhang, bangle["id"], status=202)
    qtbot.waitUntil(lambda: _queue(window) == ["1. 小张"], timeout=10_000)
    _click_item(qtbot, pane.queue, 0)
    assert pane.hand_button.isEnabled()
    if SHOTS:
        window.grab().save(os.path.join(SHOTS, "orders-pane-window.png"))
        pane.grab().save(os.path.join(SHOTS, "orders-pane.png"))
    confirm_when_asked(qtbot)
    qtbot.mouseClick(pane.hand_button, Qt.MouseButton.LeftButton)
    # The new order is shown at once; 小李's cancellation comes with the stream.
    qtbot.waitUntil(lambda: len(_orders(window)) == 3, timeout=10_000)
    qtbot.waitUntil(lambda: _orders(window)[1][1].startswith("已取消"), timeout=10_000)
    qtbot.waitUntil(lambda: _queue(window) == [], timeout=10_000)
    rows = _orders(window)
    assert rows[1][0] == "小李"
    assert rows[1][1].startswith("已取消（卖家")
    assert rows[1][2] == "转给 小张"
    assert rows[2][0] == "小张"
    assert rows[2][1].startswith("待付款 0")
    assert window.error_bar.text() == ""
    window.close()


def test_a_refused_hand_over_is_said_in_the_error_bar(qtbot: QtBot, world: World) -> None:
    wang, _ = world.join("小王")
    li, _ = world.join("小李")
    bangle = world.create_flashbuy(stock=1, title="3号 冰种手镯")
    first = buy(wang, bangle["id"])
    buy(li, bangle["id"], status=202)
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    pane = window.orders_pane
    qtbot.waitUntil(lambda: window.panel.model.row_of(bangle["id"]) >= 0)
    _select_flashbuy(qtbot, window, bangle["id"])
    qtbot.waitUntil(lambda: _queue(window) == ["1. 小李"])
    _click_item(qtbot, pane.queue, 0)
    # While the seller looks, and before the console hears of it (its stream is stopped),
    # 小王 cancels: the piece goes to 小李. What the seller asks for no longer holds.
    window.sync.stop()
    wang.ok("POST", f"/orders/{first['id']}/cancel", 200, json={"reason": ""})
    confirm_when_asked(qtbot)
    qtbot.mouseClick(pane.hand_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error_bar.text() != "", timeout=10_000)
    assert window.error_bar.text().startswith("无法转给这位观众：")
    assert pane.hand_button.isEnabled()  # it can be tried again
    window.close()
