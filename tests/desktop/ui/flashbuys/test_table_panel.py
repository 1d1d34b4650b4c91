"""The flash-buy panel against the platform: loads, live sales, the End action, the filter bar."""

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.flashbuys import Column, FlashBuyPanel, end_question
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Event, FlashBuy, Order
from tests.desktop.modal import click_in_message_box
from tests.desktop.room.sales_data import (
    ACTIVE,
    ENDED,
    ROOM,
    SOLD_OUT,
    T0,
    make_fb,
    order,
    progress,
)
from tests.desktop.ui.flashbuys.rows import Console, cell, proxy_ids, row_state
from tests.support import World


def refreshed(qtbot: QtBot, panel: FlashBuyPanel) -> None:
    """Load the room's flash-buys into the panel and wait until they are shown."""
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()


def test_confirm_dialog_returns_what_the_seller_clicked(qtbot: QtBot) -> None:
    fb = make_fb(3)
    texts = click_in_message_box(qtbot, Confirm.SAFE_BUTTON)
    assert Confirm.ask(None, end_question(fb)) is False
    assert texts == ["确定结束闪购「3号 冰种翡翠手镯」吗？"]
    click_in_message_box(qtbot, Confirm.ACT_BUTTON)
    assert Confirm.ask(None, end_question(fb)) is True


def test_live_sales_reach_the_table_end_to_end(
    console: Console, follow: Callable[[], None], world: World, qtbot: QtBot
) -> None:
    panel = console.panel
    wang, _wang_id = world.join("小王")
    li, li_id = world.join("小李")
    jade = world.create_flashbuy()
    beads = world.create_flashbuy(
        mode="targeted",
        target_viewer_ids=[li_id],
        title="5号 南红手串",
        piece_no="5",
        price_fen=52_000,
        stock=2,
    )

    refreshed(qtbot, panel)
    assert panel.model.ids() == [beads["id"], jade["id"]]
    assert panel.counts_text() == "进行中 2 · 已售罄 0 · 已结束 0"
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(world.picture_id))
    qtbot.waitUntil(lambda: panel.category_combo.findData(world.category_id) > 0)

    follow()  # replays the whole room: nothing may be duplicated
    jade_order = wang.ok("POST", f"/flash-buys/{jade['id']}/orders", 201, json={"region": "浙江"})
    li.ok("POST", f"/flash-buys/{beads['id']}/orders", 201, json={"region": "浙江"})
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("sold_out", "1/1", ["小王"]))
    qtbot.waitUntil(lambda: row_state(panel, beads["id"]) == ("active", "1/2", ["小李"]))
    assert panel.model.rowCount() == 2
    row = panel.model.row_of(jade["id"])
    assert cell(panel.model, row, Column.STATUS) == "已售罄"
    # 小王 has not paid yet: the tip says so, under the buyer.
    tip = cell(panel.model, row, Column.SOLD, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("买家: 小王\n最早的待付款订单 ")
    assert cell(panel.model, row, Column.SOLD).startswith("已付 0 · 待付 1 / 1\n剩 ")
    assert cell(panel.model, row, Column.BUYERS) == "小王"
    assert cell(panel.model, panel.model.row_of(beads["id"]), Column.MODE) == "定向: 小李"
    assert panel.counts_text() == "进行中 1 · 已售罄 1 · 已结束 0"

    # End the targeted one; the confirmation is the real dialog.
    assert panel.select(jade["id"])
    # Sold out, but its piece is only held: ending it keeps it from being offered again.
    assert panel.end_button.isEnabled()
    world.platform.settle(jade_order["id"])
    qtbot.waitUntil(lambda: not panel.end_button.isEnabled())  # paid: nothing left to end
    assert panel.select(beads["id"])
    assert panel.end_button.isEnabled()
    asked = click_in_message_box(qtbot, Confirm.ACT_BUTTON)
    panel.end_button.click()
    assert asked == ["确定结束闪购「5号 南红手串」吗？"]
    qtbot.waitUntil(lambda: row_state(panel, beads["id"]) == ("ended", "1/2", ["小李"]))
    assert world.creator.ok("GET", f"/flash-buys/{beads['id']}")["status"] == "ended"
    assert not panel.end_button.isEnabled()
    assert panel.counts_text() == "进行中 0 · 已售罄 1 · 已结束 1"

    # A later refresh (as after a reconnect) agrees, and loads the buyers again.
    panel.model.reset([])
    refreshed(qtbot, panel)
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("sold_out", "1/1", ["小王"]))
    assert row_state(panel, beads["id"]) == ("ended", "1/2", ["小李"])
    assert console.errors == []


def test_end_rejected_sends_nothing(
    console: Console, world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    jade = world.create_flashbuy()
    refreshed(qtbot, panel)
    asked: list[Question] = []
    sent: list[int] = []
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda _cls, _p, q: asked.append(q)))
    monkeypatch.setattr(console.client, "end_flashbuy", sent.append)

    assert panel.select(jade["id"])
    panel.end_action.trigger()
    assert asked == [end_question(FlashBuy.model_validate(jade))]
    assert console.tasks.wait()
    QCoreApplication.sendPostedEvents()
    assert sent == []
    assert world.creator.ok("GET", f"/flash-buys/{jade['id']}")["status"] == "active"
    assert row_state(panel, jade["id"]) == ("active", "0/1", [])


def test_end_confirmed_ends_on_the_platform(
    console: Console, world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    jade = world.create_flashbuy()
    refreshed(qtbot, panel)
    assert not panel.end_action.isEnabled()  # nothing selected
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda _cls, _p, _question: True))
    assert panel.select(jade["id"])
    assert panel.end_action.isEnabled()
    panel.end_action.trigger()
    assert not panel.end_action.isEnabled()  # on its way: no second request
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("ended", "0/1", []))
    assert world.creator.ok("GET", f"/flash-buys/{jade['id']}")["status"] == "ended"
    assert not panel.end_action.isEnabled()


def test_end_failure_is_reported(
    console: Console, world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    panel.model.upsert(make_fb(999_999, room_id=world.room_id))  # unknown to the platform
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda _cls, _p, _question: True))
    assert panel.select(999_999)
    with qtbot.waitSignal(panel.errorRaised) as raised:
        panel.end_button.click()
    assert raised.args[0].startswith("结束闪购失败：")
    assert panel.end_button.isEnabled()  # still active: the seller may try again
    assert row_state(panel, 999_999) == ("active", "0/1", [])


def test_filter_bar_drives_the_table(console: Console, world: World, qtbot: QtBot) -> None:
    panel = console.panel
    _li, li_id = world.join("小李")
    jade = world.create_flashbuy()
    pearl = world.create_flashbuy(title="Akoya 珍珠项链", piece_no="A12", price_fen=88_800)
    beads = world.create_flashbuy(
        mode="targeted", target_viewer_ids=[li_id], title="南红手串", piece_no="5"
    )
    world.creator.ok("POST", f"/flash-buys/{pearl['id']}/end")
    refreshed(qtbot, panel)
    assert panel.status_buttons[None].text() == "全部 3"
    assert panel.counts_text() == "进行中 2 · 已售罄 0 · 已结束 1"

    def shown() -> list[int]:
        return proxy_ids(panel.proxy)

    panel.status_buttons[ENDED].click()
    assert shown() == [pearl["id"]]
    panel.status_buttons[None].click()

    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("targeted"))
    assert shown() == [beads["id"]]
    assert panel.counts_text() == "进行中 1 · 已售罄 0 · 已结束 0"
    panel.mode_combo.setCurrentIndex(0)

    qtbot.waitUntil(lambda: panel.category_combo.findData(world.category_id) > 0)
    panel.category_combo.setCurrentIndex(panel.category_combo.findData(world.category_id))
    assert sorted(shown()) == sorted([jade["id"], pearl["id"], beads["id"]])
    panel.category_combo.setCurrentIndex(0)

    qtbot.keyClicks(panel.search_edit, "AKOYA")
    qtbot.waitUntil(lambda: shown() == [pearl["id"]])  # after the debounce
    panel.search_edit.clear()
    assert len(shown()) == 3  # clearing shows everything at once
    assert console.errors == []


def test_events_of_another_room_or_unknown_shape_are_ignored(qtbot: QtBot) -> None:
    tasks = Tasks()
    panel = FlashBuyPanel(PlatformClient("http://127.0.0.1:9"), tasks, ROOM)
    qtbot.addWidget(panel)
    other = make_fb(1, room_id=ROOM + 1)
    panel.apply_event(
        Event(
            id=1,
            room_id=ROOM + 1,
            type="flashbuy.created",
            data=other.model_dump(mode="json"),
            created_at=T0,
        )
    )
    panel.apply_event(Event(id=2, room_id=ROOM, type="flashbuy.updated", data={}, created_at=T0))
    panel.apply_event(
        Event(id=3, room_id=ROOM, type="comment.posted", data={"text": "3号多少钱"}, created_at=T0)
    )
    assert panel.model.rowCount() == 0
    assert tasks.wait()


def test_no_end_is_sent_when_the_row_sold_out_while_asking(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = Tasks()
    client = PlatformClient("http://127.0.0.1:9")
    panel = FlashBuyPanel(client, tasks, ROOM)
    qtbot.addWidget(panel)
    panel.reset([make_fb(1)])
    sent: list[int] = []
    monkeypatch.setattr(client, "end_flashbuy", sent.append)

    def sells_while_open(_cls: object, _parent: object, _question: object) -> bool:
        panel.model.apply_progress(progress(1, 1, 1, SOLD_OUT))  # an event during the dialog
        return True

    monkeypatch.setattr(Confirm, "ask", classmethod(sells_while_open))
    assert panel.select(1)
    panel.end_selected()
    assert tasks.wait()
    QCoreApplication.sendPostedEvents()
    assert sent == []
    assert not panel.end_button.isEnabled()


def test_the_main_window_way_set_room_then_reset(
    console: Console, world: World, qtbot: QtBot
) -> None:
    """The main window makes the panel for room 0, then sets the room and hands it a load."""
    panel = FlashBuyPanel(console.client, console.tasks, 0)
    qtbot.addWidget(panel)
    jade = world.create_flashbuy()
    buyer, _ = world.join("小王")
    buyer.ok("POST", f"/flash-buys/{jade['id']}/orders", 201, json={"region": "浙江"})
    panel.set_room(world.room_id)
    other_room = make_fb(1, room_id=world.room_id + 1_000_000)  # never ours, whatever ids run to
    panel.reset([*console.client.flashbuys(world.room_id).items, other_room])
    assert panel.model.ids() == [jade["id"]]  # another room's flash-buy is not shown
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("sold_out", "1/1", ["小王"]))
    qtbot.waitUntil(lambda: panel.category_combo.findData(world.category_id) > 0)
    panel.set_room(world.room_id + 1_000_000)
    assert panel.model.rowCount() == 0


def test_a_load_older_than_the_events_keeps_what_they_said(qtbot: QtBot) -> None:
    tasks = Tasks()
    panel = FlashBuyPanel(PlatformClient("http://127.0.0.1:9"), tasks, ROOM)
    qtbot.addWidget(panel)
    errors: list[str] = []
    panel.errorRaised.connect(errors.append)

    def event(eid: int, type_: str, data: Any) -> Event:
        return Event(id=eid, room_id=ROOM, type=type_, data=data, created_at=T0)

    # A refresh is in flight (it read the platform before no. 2 existed) while events arrive.
    panel.apply_event(event(1, "flashbuy.created", make_fb(1).model_dump(mode="json")))
    panel.apply_event(event(2, "flashbuy.created", make_fb(2).model_dump(mode="json")))
    panel.apply_event(event(3, "order.placed", order(10, 1, "小王").model_dump(mode="json")))
    sold_out = progress(1, 1, 1, SOLD_OUT).model_dump(mode="json")
    panel.apply_event(event(4, "flashbuy.sold_out", sold_out))
    panel.reset([make_fb(1)])  # the load: no. 1 still active, no. 2 unknown to it

    assert panel.model.ids() == [2, 1]
    assert row_state(panel, 1) == ("sold_out", "1/1", ["小王"])
    assert row_state(panel, 2) == ("active", "0/1", [])
    assert tasks.wait()
    QCoreApplication.sendPostedEvents()
    assert errors == []  # nothing was fetched (from nowhere): the buyers were known


def test_a_piece_that_comes_back_shows_its_row_active_again(qtbot: QtBot) -> None:
    """Sold out, then (a newer revision) the piece is back: the panel shows it back on sale."""
    tasks = Tasks()
    panel = FlashBuyPanel(PlatformClient("http://127.0.0.1:9"), tasks, ROOM)
    qtbot.addWidget(panel)

    def event(eid: int, type_: EventType, data: Any) -> Event:
        return Event(id=eid, room_id=ROOM, type=type_, data=data, created_at=T0)

    sold_out = progress(1, 1, 1, SOLD_OUT).model_dump(mode="json")  # revision 2
    panel.apply_event(event(1, EventType.FLASHBUY_CREATED, make_fb(1).model_dump(mode="json")))
    bought = order(10, 1, "小王").model_dump(mode="json")
    panel.apply_event(event(2, EventType.ORDER_PLACED, bought))
    panel.apply_event(event(3, EventType.FLASHBUY_SOLD_OUT, sold_out))
    assert row_state(panel, 1) == ("sold_out", "1/1", ["小王"])
    assert panel.select(1)
    assert not panel.end_button.isEnabled()  # sold out: nothing to end

    back = progress(1, 0, 1, ACTIVE, revision=3).model_dump(mode="json")
    panel.apply_event(event(4, EventType.FLASHBUY_UPDATED, back))
    assert row_state(panel, 1) == ("active", "0/1", ["小王"])
    shown = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(1), Column.STATUS))
    assert shown.data() == "进行中"
    assert (
        panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(1), Column.SOLD)).data()
        == "已售 0/1"
    )
    assert panel.counts_text() == "进行中 1 · 已售罄 0 · 已结束 0"
    assert panel.end_button.isEnabled()  # on sale again: it may be ended

    # The sold-out event again (a replay after a reconnect): older than what is shown.
    panel.apply_event(event(3, EventType.FLASHBUY_SOLD_OUT, sold_out))
    assert row_state(panel, 1) == ("active", "0/1", ["小王"])
    assert panel.counts_text() == "进行中 1 · 已售罄 0 · 已结束 0"
    assert tasks.wait()


def test_the_buyers_of_a_load_come_in_one_request(
    console: Console, world: World, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    client = console.client
    jades = [
        world.create_flashbuy(title=f"{n}号 冰种翡翠手镯", piece_no=str(n), stock=2)
        for n in (1, 2, 3)
    ]
    for n, jade in enumerate(jades):
        buyer, _ = world.join(f"买家{n}")
        buyer.ok("POST", f"/flash-buys/{jade['id']}/orders", 201, json={"region": "浙江"})
    asked: list[str] = []
    room_orders = client.room_orders

    def one_request(room_id: int) -> list[Order]:
        asked.append(f"room {room_id}")
        return room_orders(room_id)

    # The client has no per-flash-buy orders call any more: the one request is all it can make.
    monkeypatch.setattr(client, "room_orders", one_request)
    refreshed(qtbot, panel)
    qtbot.waitUntil(
        lambda: (
            [row_state(panel, j["id"]) for j in jades]
            == [("active", "1/2", [f"买家{n}"]) for n in range(3)]
        )
    )
    assert console.tasks.wait()
    QCoreApplication.sendPostedEvents()
    assert asked == [f"room {world.room_id}"]
    assert console.errors == []
