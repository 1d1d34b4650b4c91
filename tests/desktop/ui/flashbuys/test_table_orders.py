"""The flash-buy row as orders live: taken against paid, one countdown ticker, the queue."""

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.server_clock import ServerClock
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.flashbuys import Column, FlashBuyPanel, FlashBuyTableModel
from flashbuy_protocol.enums import OrderStatus
from tests.desktop.room.sales_data import SOLD_OUT, T0, held, make_fb, order, progress, waiting
from tests.desktop.ui.flashbuys.rows import cell
from tests.support import World


class Clock:
    """The console's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_row_with_an_unpaid_order_shows_paid_unpaid_and_its_countdown(qtbot: QtBot) -> None:
    clock = Clock(T0)
    model = FlashBuyTableModel(clock=clock)
    model.reset([make_fb(1, stock=2, sold=2, held=1, status=SOLD_OUT, revision=3)])
    model.add_orders([order(10, 1, "小李"), held(11, 1, "小王", minutes=5)])
    text = cell(model, 0, Column.SOLD)
    assert text == "已付 1 · 待付 1 / 2\n剩 05:00"
    assert "05:00" in cell(model, 0, Column.SOLD, Qt.ItemDataRole.ToolTipRole)
    brush = cell(model, 0, Column.SOLD, Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == theme.colour("warning")
    assert model.buyers(0) == ["小李", "小王"]

    # One timer for the whole table, ticking once a second while an order is held.
    assert model.ticker.isActive()
    assert model.ticker.interval() == 1000
    clock.now = T0 + timedelta(seconds=61)
    with qtbot.waitSignal(model.dataChanged, timeout=3000):
        pass
    assert cell(model, 0, Column.SOLD) == "已付 1 · 待付 1 / 2\n剩 03:59"

    # 小王 pays: nothing is held any more, the ticker stops, the row reads sold.
    model.add_order(held(11, 1, "小王", revision=2).model_copy(update={"status": OrderStatus.PAID}))
    model.apply_progress(progress(1, 2, 2, SOLD_OUT, revision=4).model_copy(update={"held": 0}))
    assert not model.ticker.isActive()
    assert cell(model, 0, Column.SOLD) == "已售 2/2"
    # Sold out: grey as every row no longer buyable, no longer amber.
    assert cell(model, 0, Column.SOLD, Qt.ItemDataRole.ForegroundRole).color() == theme.colour(
        "faint"
    )


def test_the_ticker_runs_only_while_an_order_is_held(qtbot: QtBot) -> None:
    model = FlashBuyTableModel(clock=Clock(T0))
    model.reset([make_fb(1), make_fb(2)])
    assert not model.ticker.isActive()
    model.add_order(held(10, 2, "小王"))
    assert model.ticker.isActive()
    model.add_order(
        held(10, 2, "小王", revision=2).model_copy(update={"status": OrderStatus.EXPIRED})
    )
    assert not model.ticker.isActive()
    # An order of a flash-buy not shown yet starts it once the flash-buy arrives.
    model.add_order(held(30, 3, "小张"))
    assert not model.ticker.isActive()
    model.upsert(make_fb(3, sold=1, held=1, status=SOLD_OUT, revision=2))
    assert model.ticker.isActive()
    model.reset([])
    assert not model.ticker.isActive()


def test_the_queue_shows_as_waiting_in_the_row(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    model = FlashBuyTableModel(clock=Clock(T0))
    model.reset([make_fb(1, sold=1, held=1, status=SOLD_OUT, revision=2)])
    model.add_order(held(10, 1, "小王", minutes=2))
    changed: list[int] = []
    model.ordersChanged.connect(changed.append)
    model.load_queue([waiting(1, 201, "小张", 1), waiting(1, 202, "小赵", 2, seconds=5)])
    assert cell(model, 0, Column.SOLD) == "已付 0 · 待付 1 / 1\n剩 02:00 · 候补 2"
    model.queue_left(waiting(1, 201, "小张", 1))
    assert cell(model, 0, Column.SOLD).endswith("候补 1")
    model.queue_joined(waiting(1, 203, "小钱", 2, seconds=9))
    assert cell(model, 0, Column.SOLD).endswith("候补 2")
    assert changed == [1, 1, 1]
    qtmodeltester.check(model)


def test_the_countdown_is_the_platform_s_even_on_a_machine_whose_clock_is_off(
    qtbot: QtBot, world: World
) -> None:
    """A seller's PC twenty minutes fast would read every fresh order as already expired."""
    fast = ServerClock(local=lambda: datetime.now(UTC) + timedelta(minutes=20))
    client = PlatformClient(world.platform.url, world.creator.token, server_clock=fast)
    tasks = Tasks()
    panel = FlashBuyPanel(client, tasks, world.room_id)
    qtbot.addWidget(panel)
    try:
        fb = world.create_flashbuy(stock=1, pay_minutes=5)
        world.viewers[0].ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={})
        # The table and the live's orders, read as the main window reads them.
        panel.reset(client.flashbuys(world.room_id).items)
        panel.add_orders(client.room_orders(world.room_id))
        row = panel.model.row_of(fb["id"])
        qtbot.waitUntil(lambda: "待付 1" in cell(panel.model, row, Column.SOLD), timeout=10_000)
        left = cell(panel.model, row, Column.SOLD).split("剩 ")[1]
        assert left in {"05:00", "04:59", "04:58"}, left  # never more than there is
    finally:
        assert tasks.wait()
        client.close()
