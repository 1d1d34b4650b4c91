"""The sale after the click, end to end against the real platform, as the seller sees it.

A unique piece is bought and not paid: its row counts down and the header shows the sum
waiting to be paid; a second viewer who tries joins the queue (候补 1). The pay window runs
out on the platform's clock and its timed job expires the order: the piece moves to the
viewer who waited, which the orders pane says ("转给 …"). That viewer pays through the
sandbox provider, as their app would: the row and the header show the sale.
"""

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from flashbuy_desktop.ui.flashbuys import Column
from flashbuy_desktop.ui.main_window import MainWindow
from flashbuy_desktop.ui.orders.orders_model import OrderColumn
from flashbuy_protocol.enums import FlashBuyStatus
from tests.conftest import BACKENDS
from tests.desktop.console_steps import followed_window
from tests.desktop.sale_steps import buy, pay
from tests.server.sale_support import SalePlatform, serve_on_clock
from tests.support import World, make_world

SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder: the test saves what it shows there
WINDOW = timedelta(minutes=5)
TIMEOUT = 15_000


@pytest.fixture(scope="module", params=BACKENDS)
def sale(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SalePlatform]:
    yield from serve_on_clock(request.param, tmp_path_factory)


@pytest.fixture
def world(sale: SalePlatform) -> Iterator[World]:
    w = make_world(sale, viewers=0)
    yield w
    w.close()


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _click(qtbot: QtBot, view: QTableView, index: QModelIndex) -> None:
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def _sold_cell(window: MainWindow, flashbuy_id: int) -> str:
    model = window.panel.model
    row = model.row_of(flashbuy_id)
    return str(model.index(row, Column.SOLD).data()) if row >= 0 else ""


def _orders(window: MainWindow) -> list[tuple[str, str, str]]:
    model = window.orders_pane.model
    return [
        tuple(
            model.index(r, c).data()
            for c in (OrderColumn.BUYER, OrderColumn.STATE, OrderColumn.FATE)
        )
        for r in range(model.rowCount())
    ]


def test_a_piece_unpaid_expires_moves_to_the_next_buyer_who_pays(
    qtbot: QtBot, sale: SalePlatform, world: World
) -> None:
    a, _ = world.join("买家A")
    b, _ = world.join("买家B")
    bangle = world.create_flashbuy(stock=1, price_fen=128_800, title="3号 冰种手镯")
    window = followed_window(qtbot, world.platform.url, world.creator.token)
    window.resize(1280, 800)
    window.panel.model.clock = sale.clock  # the console's clock reads the platform's time
    fid = bangle["id"]
    qtbot.waitUntil(lambda: window.panel.model.row_of(fid) >= 0, timeout=TIMEOUT)
    assert _sold_cell(window, fid) == "已售 0/1"

    # A buys: the piece is A's while the pay window runs; nothing is sold yet.
    first = buy(a, fid)
    assert first["status"] == "held"
    qtbot.waitUntil(
        lambda: _sold_cell(window, fid) == "已付 0 · 待付 1 / 1\n剩 05:00", timeout=TIMEOUT
    )
    qtbot.waitUntil(lambda: window.header.held.text() == "· 待付 ¥1,288.00", timeout=TIMEOUT)
    assert window.header.orders.text() == "订单 0 · 成交 ¥0.00"
    assert window.panel.model.ticker.isActive()

    # B tries too: every piece is taken, B waits for it.
    buy(b, fid, status=202)
    qtbot.waitUntil(lambda: _sold_cell(window, fid).endswith("· 候补 1"), timeout=TIMEOUT)

    # The seller clicks the row: its orders and its queue.
    panel = window.panel
    _click(
        qtbot,
        panel.view,
        panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(fid), Column.TITLE)),
    )
    pane = window.orders_pane
    qtbot.waitUntil(lambda: pane.flashbuy_id == fid, timeout=TIMEOUT)
    assert _orders(window) == [("买家A", "待付款 05:00", "")]
    assert pane.queue.item(0).text().startswith("1. 买家B")
    _shot(window, "e2e-1-held-and-waiting")
    _shot(window.header, "e2e-1-header-held")

    # A never pays: the window runs out on the platform's clock, its job expires the order,
    # and the piece goes to B with a fresh window.
    sale.clock.advance(WINDOW.total_seconds())
    assert sale.run_due() >= 1
    qtbot.waitUntil(lambda: len(_orders(window)) == 2, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: (
            _orders(window) == [("买家A", "已超时", "转给 买家B"), ("买家B", "待付款 05:00", "")]
        ),
        timeout=TIMEOUT,
    )
    qtbot.waitUntil(lambda: pane.queue.count() == 0, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: _sold_cell(window, fid) == "已付 0 · 待付 1 / 1\n剩 05:00", timeout=TIMEOUT
    )
    assert window.header.held.text() == "· 待付 ¥1,288.00"
    _shot(window, "e2e-2-moved-to-b")

    # B pays through the sandbox provider, as B's app would.
    second = window.orders_pane.model.order(1)
    pay(b, second.id)
    qtbot.waitUntil(lambda: _sold_cell(window, fid) == "已售 1/1", timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: window.header.orders.text() == "订单 1 · 成交 ¥1,288.00", timeout=TIMEOUT
    )
    qtbot.waitUntil(window.header.held.isHidden, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: _orders(window)[1][1] == "已付款", timeout=TIMEOUT)
    assert not window.panel.model.ticker.isActive()  # nothing is held: no more ticking
    row = window.panel.model.row_of(fid)
    assert window.panel.model.flashbuy(row).status is FlashBuyStatus.SOLD_OUT
    sales = window.header.orders  # laid out anew once the held sum is gone: read whole
    qtbot.waitUntil(lambda: sales.width() >= sales.sizeHint().width(), timeout=TIMEOUT)
    _shot(window, "e2e-3-paid")
    _shot(window.header, "e2e-3-header-paid")
    window.close()
