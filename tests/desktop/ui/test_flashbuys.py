"""The flash-buy management table: model, filter and panel, alone and against the platform."""

import io
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QCursor, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMessageBox,
    QStyle,
    QStyleFactory,
    QStyleOptionHeader,
)

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import EventStream
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui.flashbuys import (
    Column,
    ConfirmEnd,
    FlashBuyFilter,
    FlashBuyPanel,
    FlashBuyTableModel,
    Role,
)
from flashbuy_desktop.ui.sort_header import arrow_points_up, style_points_ascending_down
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.models import Event, FlashBuy, FlashBuyProgress, Order, Viewer
from tests.support import World, jpeg_bytes, png_bytes

ROOM = 7
T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
ACTIVE, SOLD_OUT, ENDED = FlashBuyStatus.ACTIVE, FlashBuyStatus.SOLD_OUT, FlashBuyStatus.ENDED


def make_fb(fid: int, **changes: Any) -> FlashBuy:
    fields: dict[str, Any] = {
        "id": fid,
        "room_id": ROOM,
        "product_id": 1,
        "product_name": "冰种翡翠手镯",
        "category_id": 1,
        "category_name": "翡翠",
        "mode": Mode.FULL,
        "title": f"{fid}号 冰种翡翠手镯",
        "piece_no": str(fid),
        "price_fen": 128_800,
        "stock": 1,
        "sold": 0,
        "status": ACTIVE,
        "revision": 1,
        "picture_id": f"{fid:064x}",
        "template_id": 1,
        "note": "",
        "targets": [],
        "created_at": T0 + timedelta(minutes=fid),
        "ended_at": None,
    }
    fields.update(changes)
    return FlashBuy(**fields)


def progress(
    fid: int, sold: int, stock: int, status: FlashBuyStatus, revision: int | None = None
) -> FlashBuyProgress:
    """The platform's progress event: created at revision 1, one more per sale by default."""
    return FlashBuyProgress(
        id=fid,
        room_id=ROOM,
        sold=sold,
        stock=stock,
        status=status,
        revision=sold + 1 if revision is None else revision,
    )


def order(oid: int, fid: int, nickname: str) -> Order:
    return Order(
        id=oid,
        flashbuy_id=fid,
        room_id=ROOM,
        viewer_id=100 + oid,
        nickname=nickname,
        price_fen=128_800,
        shipping_fen=0,
        total_fen=128_800,
        region="浙江",
        created_at=T0,
        revision=1,
    )


class Recorder:
    """Counts a model's change signals."""

    def __init__(self, model: FlashBuyTableModel) -> None:
        self.inserted: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int, int, int]] = []
        self.resets = 0
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.dataChanged.connect(
            lambda tl, br, _roles=(): self.changed.append(
                (tl.row(), tl.column(), br.row(), br.column())
            )
        )
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1

    def clear(self) -> None:
        self.inserted.clear()
        self.changed.clear()
        self.resets = 0


def cell(model: Any, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.index(row, column).data(role)


def proxy_ids(proxy: FlashBuyFilter) -> list[int]:
    return [cell(proxy, r, 0, Role.ID) for r in range(proxy.rowCount())]


# --- the model ----------------------------------------------------------------------------


def test_model_passes_the_model_tester_empty_filled_and_updated(qtmodeltester) -> None:
    model = FlashBuyTableModel()
    qtmodeltester.check(model)
    model.reset(
        [make_fb(1), make_fb(2, mode=Mode.TARGETED, targets=[Viewer(id=5, nickname="小王")])]
    )
    qtmodeltester.check(model)
    model.upsert(make_fb(3))
    model.apply_progress(progress(1, 1, 1, SOLD_OUT))
    model.add_order(order(1, 1, "小王"))
    model.upsert(make_fb(2, status=ENDED, ended_at=T0 + timedelta(hours=1)))
    model.set_thumbnail(make_fb(3).picture_id, png_bytes())
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)  # pytest-qt's own checks too, from here on
    proxy = FlashBuyFilter()
    proxy.setSourceModel(model)
    proxy.sort(Column.PRICE, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy)
    proxy.set_status(ACTIVE)
    proxy.set_search("3")
    model.upsert(make_fb(4, title="4号 南红", piece_no="4"))
    qtmodeltester.check(proxy)
    model.reset([])
    qtmodeltester.check(model)


def test_rows_are_newest_first_and_each_change_is_one_signal(qtbot) -> None:
    model = FlashBuyTableModel()
    model.reset([make_fb(1), make_fb(3)])
    assert model.ids() == [3, 1]
    seen = Recorder(model)

    model.upsert(make_fb(2))  # a flash-buy.created
    assert model.ids() == [3, 2, 1]
    assert seen.inserted == [(1, 1)]
    assert not seen.changed
    assert model.row_of(2) == 1
    assert model.row_of(99) == -1
    assert model.flashbuy(1).id == 2

    seen.clear()
    model.upsert(make_fb(4))
    assert seen.inserted == [(0, 0)]
    assert model.ids() == [4, 3, 2, 1]

    seen.clear()
    model.upsert(make_fb(2, status=ENDED, ended_at=T0))  # a flash-buy.ended
    assert not seen.inserted
    last = len(Column) - 1
    assert seen.changed == [(2, 0, 2, last)]
    assert model.flashbuy(2).status is ENDED

    seen.clear()
    model.apply_progress(progress(3, 1, 1, SOLD_OUT))
    assert seen.changed == [(1, 0, 1, last)]  # that row only

    seen.clear()
    model.add_order(order(10, 3, "小王"))
    assert seen.changed == [(1, 0, 1, last)]
    assert model.buyers(1) == ["小王"]


def test_replayed_events_neither_duplicate_rows_nor_move_them_backwards(qtbot) -> None:
    model = FlashBuyTableModel()
    created = make_fb(1, stock=3)
    model.upsert(created)
    model.apply_progress(progress(1, 1, 3, ACTIVE))
    model.add_order(order(10, 1, "小王"))
    model.apply_progress(progress(1, 2, 3, ACTIVE))
    model.add_order(order(11, 1, "小李"))
    seen = Recorder(model)

    # After a reconnect the stream replays what the table has already shown.
    model.upsert(created)
    model.apply_progress(progress(1, 1, 3, ACTIVE))
    model.add_order(order(10, 1, "小王"))
    model.apply_progress(progress(1, 2, 3, ACTIVE))
    assert model.rowCount() == 1
    assert not seen.inserted
    assert not seen.changed  # nothing new: no repaint either
    assert model.flashbuy(0).sold == 2
    assert model.buyers(0) == ["小王", "小李"]

    model.apply_progress(progress(1, 3, 3, SOLD_OUT))
    model.apply_progress(progress(1, 2, 3, ACTIVE))  # late "updated": ignored
    model.apply_progress(progress(1, 3, 3, ACTIVE))  # the "updated" before "sold_out"
    model.upsert(created)
    assert model.flashbuy(0).status is SOLD_OUT
    assert model.flashbuy(0).sold == 3

    # An ended flash-buy never becomes active again.
    model.upsert(make_fb(2))
    model.upsert(make_fb(2, status=ENDED, ended_at=T0))
    model.upsert(make_fb(2))
    model.apply_progress(progress(2, 0, 1, ACTIVE))
    assert model.flashbuy(model.row_of(2)).status is ENDED
    assert model.flashbuy(model.row_of(2)).ended_at == T0

    # A full load older than the events it raced with keeps what the events said.
    model.reset([created, make_fb(2), make_fb(5)])
    assert model.ids() == [5, 2, 1]
    assert model.flashbuy(model.row_of(1)).status is SOLD_OUT
    assert model.buyers(model.row_of(1)) == ["小王", "小李"]
    assert model.flashbuy(model.row_of(2)).status is ENDED


def test_events_for_a_row_not_shown_yet_apply_when_it_arrives(qtbot) -> None:
    model = FlashBuyTableModel()
    model.add_order(order(10, 8, "小王"))
    model.apply_progress(progress(8, 1, 1, SOLD_OUT))
    assert model.rowCount() == 0
    model.upsert(make_fb(8))
    assert model.flashbuy(0).status is SOLD_OUT
    assert model.buyers(0) == ["小王"]


def test_cells_read_as_the_seller_expects(qtbot) -> None:
    model = FlashBuyTableModel()
    targeted = make_fb(
        2,
        mode=Mode.TARGETED,
        targets=[Viewer(id=5, nickname="小王"), Viewer(id=6, nickname="小李")],
        price_fen=999,
        stock=5,
        sold=3,
    )
    model.reset(
        [
            make_fb(1),
            targeted,
            make_fb(3, status=ENDED, ended_at=T0),
            make_fb(4, title="冰种翡翠手镯"),
        ]
    )
    model.apply_progress(progress(1, 1, 1, SOLD_OUT))
    model.add_order(order(10, 1, "小王"))
    for oid, nickname in enumerate(["小李", "Rose Lee 2024", "罗阿杰70"], 11):
        model.add_order(order(oid, 2, nickname))
    sold_out, target, ended = model.row_of(1), model.row_of(2), model.row_of(3)

    # The piece number once: the title says it, or it goes in front.
    assert cell(model, sold_out, Column.TITLE) == "1号 冰种翡翠手镯"
    assert cell(model, model.row_of(4), Column.TITLE) == "#4 · 冰种翡翠手镯"
    assert cell(model, sold_out, Column.PRICE) == "¥1,288.00"
    assert cell(model, target, Column.PRICE) == "¥9.99"
    assert cell(model, sold_out, Column.SOLD) == "已售 1/1"
    assert cell(model, target, Column.SOLD) == "已售 3/5"
    assert cell(model, sold_out, Column.SOLD, Qt.ItemDataRole.ToolTipRole) == "买家: 小王"
    assert cell(model, ended, Column.SOLD, Qt.ItemDataRole.ToolTipRole) == "暂无买家"
    # The buyer in the row, not only in a tooltip; the first one, and how many more.
    assert cell(model, sold_out, Column.BUYERS) == "小王"
    assert cell(model, target, Column.BUYERS) == "小李 +2"
    assert cell(model, ended, Column.BUYERS) is None
    assert (
        cell(model, target, Column.BUYERS, Qt.ItemDataRole.ToolTipRole)
        == "买家: 小李, Rose Lee 2024, 罗阿杰70"
    )
    assert model.headerData(Column.BUYERS, Qt.Orientation.Horizontal) == "买家"
    assert cell(model, sold_out, Column.MODE) == "全量"
    assert cell(model, target, Column.MODE) == "定向: 小王, 小李"
    assert cell(model, sold_out, Column.STATUS) == "已售罄"
    assert cell(model, target, Column.STATUS) == "进行中"
    assert cell(model, ended, Column.STATUS) == "已结束"
    local = (T0 + timedelta(minutes=1)).astimezone().strftime("%H:%M:%S")
    assert cell(model, sold_out, Column.CREATED) == local
    assert cell(model, sold_out, Column.PICTURE) is None

    # Sold-out rows are marked: grey text, and a red badge on the status.
    grey = cell(model, sold_out, Column.TITLE, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(grey, QBrush)
    assert grey.color().name() == "#8c8c8c"
    badge = cell(model, sold_out, Column.STATUS, Qt.ItemDataRole.BackgroundRole)
    assert badge.color().name() == "#d9363e"
    assert cell(model, target, Column.TITLE, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(model, target, Column.STATUS, Qt.ItemDataRole.BackgroundRole) is None
    assert model.headerData(Column.STATUS, Qt.Orientation.Horizontal) == "状态"


def test_sorting_is_by_value_not_by_text(qtbot) -> None:
    model = FlashBuyTableModel()
    # As text "¥100.00" < "¥1,288.00" < "¥9.99"; as money 9.99 < 100 < 1,288.
    # Created: no. 1 late yesterday (23:59:30), no. 2 and 3 just after midnight.
    midnight = datetime(2025, 5, 2, tzinfo=UTC).astimezone().replace(hour=0, minute=0)
    model.reset(
        [
            make_fb(1, price_fen=999, created_at=midnight - timedelta(seconds=30)),
            make_fb(2, price_fen=128_800, created_at=midnight + timedelta(seconds=90)),
            make_fb(3, price_fen=10_000, created_at=midnight + timedelta(seconds=30)),
        ]
    )
    proxy = FlashBuyFilter()
    proxy.setSourceModel(model)

    proxy.sort(Column.PRICE, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy) == [1, 3, 2]
    proxy.sort(Column.PRICE, Qt.SortOrder.DescendingOrder)
    assert proxy_ids(proxy) == [2, 3, 1]

    texts = [cell(model, model.row_of(i), Column.CREATED) for i in (1, 2, 3)]
    assert texts == ["23:59:30", "00:01:30", "00:00:30"]  # sorting these would mislead
    proxy.sort(Column.CREATED, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy) == [1, 3, 2]
    proxy.sort(Column.CREATED, Qt.SortOrder.DescendingOrder)
    assert proxy_ids(proxy) == [2, 3, 1]

    model.apply_progress(progress(2, 1, 1, SOLD_OUT))
    model.upsert(make_fb(3, price_fen=10_000, status=ENDED, ended_at=midnight))
    proxy.sort(Column.STATUS, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy) == [1, 2, 3]  # active, sold out, ended

    # A new row takes its sorted place.
    model.upsert(make_fb(4, price_fen=5_000))
    proxy.sort(Column.PRICE, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy) == [1, 4, 3, 2]


def test_filters_and_counts(qtbot) -> None:
    model = FlashBuyTableModel()
    model.reset(
        [
            make_fb(1, title="3号 冰种翡翠手镯", piece_no="3"),
            make_fb(2, title="Akoya 珍珠项链", piece_no="A12", category_id=2),
            make_fb(
                3,
                title="和田玉籽料",
                piece_no="17",
                mode=Mode.TARGETED,
                targets=[Viewer(id=5, nickname="小王")],
            ),
            make_fb(4, title="南红手串", piece_no="8", status=ENDED, ended_at=T0),
        ]
    )
    model.apply_progress(progress(2, 1, 1, SOLD_OUT))
    proxy = FlashBuyFilter()
    proxy.setSourceModel(model)
    assert proxy.counts() == {ACTIVE: 2, SOLD_OUT: 1, ENDED: 1}
    assert proxy_ids(proxy) == [4, 3, 2, 1]

    # Status filters rows but not the counts.
    proxy.set_status(ACTIVE)
    assert proxy_ids(proxy) == [3, 1]
    assert proxy.counts() == {ACTIVE: 2, SOLD_OUT: 1, ENDED: 1}
    proxy.set_status(None)

    with qtbot.waitSignal(proxy.countsChanged) as changed:
        proxy.set_mode(Mode.TARGETED)
    assert changed.args == [{ACTIVE: 1, SOLD_OUT: 0, ENDED: 0}]
    assert proxy_ids(proxy) == [3]
    proxy.set_mode(Mode.FULL)
    assert proxy_ids(proxy) == [4, 2, 1]
    proxy.set_mode(None)

    proxy.set_category(2)
    assert proxy_ids(proxy) == [2]
    assert proxy.counts() == {ACTIVE: 0, SOLD_OUT: 1, ENDED: 0}
    proxy.set_category(None)

    proxy.set_search("  akoya ")  # trimmed, any case
    assert proxy_ids(proxy) == [2]
    proxy.set_search("a12")  # piece number
    assert proxy_ids(proxy) == [2]
    proxy.set_search("17")
    assert proxy_ids(proxy) == [3]
    proxy.set_search("翡翠")
    assert proxy_ids(proxy) == [1]
    assert proxy.counts() == {ACTIVE: 1, SOLD_OUT: 0, ENDED: 0}

    # Filters and counts follow live changes.
    proxy.set_status(ACTIVE)
    with qtbot.waitSignal(proxy.countsChanged) as changed:
        model.apply_progress(progress(1, 1, 1, SOLD_OUT))
    assert changed.args == [{ACTIVE: 0, SOLD_OUT: 1, ENDED: 0}]
    assert proxy_ids(proxy) == []
    proxy.set_search("")
    proxy.set_status(None)
    with qtbot.waitSignal(proxy.countsChanged) as changed:
        model.upsert(make_fb(5))
    assert changed.args == [{ACTIVE: 2, SOLD_OUT: 2, ENDED: 1}]


def test_thumbnails_are_asked_for_once_and_shown_when_given(qtbot) -> None:
    model = FlashBuyTableModel()
    wanted: list[str] = []
    model.thumbnailWanted.connect(wanted.append)
    shared = "ab" * 32
    model.reset([make_fb(1, picture_id=shared), make_fb(2, picture_id=shared)])
    model.upsert(make_fb(3))
    model.upsert(make_fb(4, picture_id=shared))
    assert wanted == [shared, make_fb(3).picture_id]

    placeholder = cell(model, 0, Column.PICTURE, Qt.ItemDataRole.DecorationRole)
    assert isinstance(placeholder, QPixmap)

    seen = Recorder(model)
    model.set_thumbnail(shared, jpeg_bytes(160, 90, "red"))
    rows = sorted(model.row_of(i) for i in (1, 2, 4))
    assert sorted(first for first, _c, _r, _cc in seen.changed) == rows
    assert all(c == Column.PICTURE == cc for _f, c, _r, cc in seen.changed)
    thumb = cell(model, model.row_of(1), Column.PICTURE, Qt.ItemDataRole.DecorationRole)
    assert isinstance(thumb, QPixmap)
    assert (thumb.width(), thumb.height()) == (48, 48)
    assert thumb.toImage().pixelColor(24, 24).red() > 200
    assert model.has_thumbnail(shared)

    model.upsert(make_fb(5, picture_id=shared))  # already known: not asked again
    assert wanted == [shared, make_fb(3).picture_id]

    # A fetch that failed is asked for again with the next load; bytes that are no
    # picture leave the placeholder.
    model.thumbnail_failed(make_fb(3).picture_id)
    model.set_thumbnail(make_fb(1).picture_id, b"not a picture")
    model.reset([make_fb(1, picture_id=shared), make_fb(3)])
    assert wanted == [shared, make_fb(3).picture_id, make_fb(3).picture_id]
    assert not model.has_thumbnail(make_fb(1).picture_id)


# --- the panel ----------------------------------------------------------------------------


@dataclass
class Console:
    panel: FlashBuyPanel
    client: PlatformClient
    tasks: Tasks
    errors: list[str]


@pytest.fixture
def console(world: World, qtbot) -> Iterator[Console]:
    client = PlatformClient(world.platform.url, world.creator.token)
    tasks = Tasks()
    panel = FlashBuyPanel(client, tasks, world.room_id)
    qtbot.addWidget(panel)
    errors: list[str] = []
    panel.errorRaised.connect(errors.append)
    yield Console(panel, client, tasks, errors)
    assert tasks.wait()
    QCoreApplication.sendPostedEvents()  # results of finished work reach their callbacks
    client.close()


class Bridge(QObject):
    """Hands events from the stream's thread to the GUI thread (a queued signal)."""

    received = Signal(object)


@pytest.fixture
def follow(console: Console, world: World) -> Iterator[Callable[[], None]]:
    """Start the room's event stream into the panel, from the first event (a full replay)."""
    bridge = Bridge()
    bridge.received.connect(console.panel.apply_event, Qt.ConnectionType.QueuedConnection)
    client = PlatformClient(world.platform.url, world.creator.token)
    stream = EventStream(client, world.room_id, after=0, on_event=bridge.received.emit)
    thread = threading.Thread(target=stream.run, daemon=True, name="test-room-events")

    yield thread.start
    stream.stop()
    thread.join(10)
    assert not thread.is_alive()
    QCoreApplication.sendPostedEvents()
    client.close()


def click_in_dialog(qtbot, button_name: str) -> list[str]:
    """Click a button of the next message box once it shows; its text goes in the list."""
    texts: list[str] = []

    def attempt() -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        if not boxes:
            QTimer.singleShot(10, attempt)
            return
        texts.append(boxes[0].text())
        button = boxes[0].findChild(QAbstractButton, button_name)
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, attempt)
    return texts


def row_state(panel: FlashBuyPanel, fid: int) -> tuple[str, str, list[str]] | None:
    row = panel.model.row_of(fid)
    if row < 0:
        return None
    fb = panel.model.flashbuy(row)
    return fb.status.value, f"{fb.sold}/{fb.stock}", panel.model.buyers(row)


def test_confirm_dialog_returns_what_the_seller_clicked(qtbot) -> None:
    fb = make_fb(3)
    texts = click_in_dialog(qtbot, ConfirmEnd.CANCEL_BUTTON)
    assert ConfirmEnd.ask(None, fb) is False
    assert texts == ["确定结束闪购「3号 冰种翡翠手镯」吗？"]
    click_in_dialog(qtbot, ConfirmEnd.END_BUTTON)
    assert ConfirmEnd.ask(None, fb) is True


def test_live_sales_reach_the_table_end_to_end(
    console: Console, follow: Callable[[], None], world: World, qtbot
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

    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    assert panel.model.ids() == [beads["id"], jade["id"]]
    assert panel.counts_text() == "进行中 2 · 已售罄 0 · 已结束 0"
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(world.picture_id))
    qtbot.waitUntil(lambda: panel.category_combo.findData(world.category_id) > 0)

    follow()  # replays the whole room: nothing may be duplicated
    wang.ok("POST", f"/flash-buys/{jade['id']}/orders", 201, json={"region": "浙江"})
    li.ok("POST", f"/flash-buys/{beads['id']}/orders", 201, json={"region": "浙江"})
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("sold_out", "1/1", ["小王"]))
    qtbot.waitUntil(lambda: row_state(panel, beads["id"]) == ("active", "1/2", ["小李"]))
    assert panel.model.rowCount() == 2
    row = panel.model.row_of(jade["id"])
    assert cell(panel.model, row, Column.STATUS) == "已售罄"
    assert cell(panel.model, row, Column.SOLD, Qt.ItemDataRole.ToolTipRole) == "买家: 小王"
    assert cell(panel.model, row, Column.BUYERS) == "小王"
    assert cell(panel.model, panel.model.row_of(beads["id"]), Column.MODE) == "定向: 小李"
    assert panel.counts_text() == "进行中 1 · 已售罄 1 · 已结束 0"

    # End the targeted one; the confirmation is the real dialog.
    assert panel.select(jade["id"])
    assert not panel.end_button.isEnabled()  # sold out: nothing to end
    assert panel.select(beads["id"])
    assert panel.end_button.isEnabled()
    asked = click_in_dialog(qtbot, ConfirmEnd.END_BUTTON)
    panel.end_button.click()
    assert asked == ["确定结束闪购「5号 南红手串」吗？"]
    qtbot.waitUntil(lambda: row_state(panel, beads["id"]) == ("ended", "1/2", ["小李"]))
    assert world.creator.ok("GET", f"/flash-buys/{beads['id']}")["status"] == "ended"
    assert not panel.end_button.isEnabled()
    assert panel.counts_text() == "进行中 0 · 已售罄 1 · 已结束 1"

    # A later refresh (as after a reconnect) agrees, and loads the buyers again.
    panel.model.reset([])
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("sold_out", "1/1", ["小王"]))
    assert row_state(panel, beads["id"]) == ("ended", "1/2", ["小李"])
    assert console.errors == []


def test_end_rejected_sends_nothing(
    console: Console, world: World, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    jade = world.create_flashbuy()
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    asked: list[int] = []
    sent: list[int] = []
    monkeypatch.setattr(ConfirmEnd, "ask", classmethod(lambda _cls, _p, fb: asked.append(fb.id)))
    monkeypatch.setattr(console.client, "end_flashbuy", sent.append)

    assert panel.select(jade["id"])
    panel.end_action.trigger()
    assert asked == [jade["id"]]
    assert console.tasks.wait()
    QCoreApplication.sendPostedEvents()
    assert sent == []
    assert world.creator.ok("GET", f"/flash-buys/{jade['id']}")["status"] == "active"
    assert row_state(panel, jade["id"]) == ("active", "0/1", [])


def test_end_confirmed_ends_on_the_platform(
    console: Console, world: World, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    jade = world.create_flashbuy()
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    assert not panel.end_action.isEnabled()  # nothing selected
    monkeypatch.setattr(ConfirmEnd, "ask", classmethod(lambda _cls, _p, _fb: True))
    assert panel.select(jade["id"])
    assert panel.end_action.isEnabled()
    panel.end_action.trigger()
    assert not panel.end_action.isEnabled()  # on its way: no second request
    qtbot.waitUntil(lambda: row_state(panel, jade["id"]) == ("ended", "0/1", []))
    assert world.creator.ok("GET", f"/flash-buys/{jade['id']}")["status"] == "ended"
    assert not panel.end_action.isEnabled()


def test_end_failure_is_reported(
    console: Console, world: World, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = console.panel
    panel.model.upsert(make_fb(999_999, room_id=world.room_id))  # unknown to the platform
    monkeypatch.setattr(ConfirmEnd, "ask", classmethod(lambda _cls, _p, _fb: True))
    assert panel.select(999_999)
    with qtbot.waitSignal(panel.errorRaised) as raised:
        panel.end_button.click()
    assert raised.args[0].startswith("结束闪购失败：")
    assert panel.end_button.isEnabled()  # still active: the seller may try again
    assert row_state(panel, 999_999) == ("active", "0/1", [])


def test_filter_bar_drives_the_table(console: Console, world: World, qtbot) -> None:
    panel = console.panel
    _li, li_id = world.join("小李")
    jade = world.create_flashbuy()
    pearl = world.create_flashbuy(title="Akoya 珍珠项链", piece_no="A12", price_fen=88_800)
    beads = world.create_flashbuy(
        mode="targeted", target_viewer_ids=[li_id], title="南红手串", piece_no="5"
    )
    world.creator.ok("POST", f"/flash-buys/{pearl['id']}/end")
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
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


def test_events_of_another_room_or_unknown_shape_are_ignored(qtbot) -> None:
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
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = Tasks()
    client = PlatformClient("http://127.0.0.1:9")
    panel = FlashBuyPanel(client, tasks, ROOM)
    qtbot.addWidget(panel)
    panel.reset([make_fb(1)])
    sent: list[int] = []
    monkeypatch.setattr(client, "end_flashbuy", sent.append)

    def sells_while_open(_cls, _parent, _fb) -> bool:
        panel.model.apply_progress(progress(1, 1, 1, SOLD_OUT))  # an event during the dialog
        return True

    monkeypatch.setattr(ConfirmEnd, "ask", classmethod(sells_while_open))
    assert panel.select(1)
    panel.end_selected()
    assert tasks.wait()
    QCoreApplication.sendPostedEvents()
    assert sent == []
    assert not panel.end_button.isEnabled()


def test_the_main_window_way_set_room_then_reset(console: Console, world: World, qtbot) -> None:
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


def test_a_load_older_than_the_events_keeps_what_they_said(qtbot) -> None:
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


# --- what the seller sees: arrows, buyers, the picture large --------------------------------


SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set


def shown_panel(qtbot, panel: FlashBuyPanel, width: int = 1100, height: int = 420) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    QCursor.setPos(screen.bottomRight() - QPoint(5, 5))
    panel.setGeometry(screen.left() + 40, screen.top() + 40, width, height)
    panel.show()
    qtbot.waitExposed(panel)


def click_header(qtbot, panel: FlashBuyPanel, column: Column) -> None:
    header = panel.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def painted_arrow(panel: FlashBuyPanel, column: Column) -> str:
    """ "▲" or "▼": the sort arrow painted in ``column``'s header.

    In the area the style paints the arrow in, the pixels of each row unlike the header's
    background just left of it (a header's background changes from top to bottom only).
    """
    header = panel.view.horizontalHeader()
    option = QStyleOptionHeader()
    header.initStyleOption(option)
    option.rect = QRect(
        header.sectionViewportPosition(column), 0, header.sectionSize(column), header.height()
    )
    area = header.style().subElementRect(QStyle.SubElement.SE_HeaderArrow, option, header)
    assert area.width() > 0
    image = header.viewport().grab().toImage()

    def unlike(x: int, y: int) -> bool:
        a, b = image.pixelColor(x, y), image.pixelColor(area.left() - 2, y)
        return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) > 60

    rows = [
        sum(1 for x in range(area.left(), area.right() + 1) if unlike(x, y))
        for y in range(area.top(), area.bottom() + 1)
    ]
    inked = [n for n in rows if n]
    assert len(inked) >= 3, rows  # an arrow was painted
    assert inked[0] != inked[-1], rows
    return "▲" if inked[0] < inked[-1] else "▼"


def test_the_shape_of_an_arrow_says_which_way_it_points() -> None:
    assert arrow_points_up([1, 3, 5, 7]) is True  # ▲
    assert arrow_points_up([0, 7, 5, 3, 1, 0]) is False  # ▼
    assert arrow_points_up([0, 0]) is None
    assert arrow_points_up([4, 4, 4]) is None  # a square tells nothing


@pytest.mark.parametrize(("style", "turned"), [("Fusion", True), ("Windows", False)])
def test_the_header_turns_the_arrow_only_where_the_style_points_ascending_down(
    qapp, style: str, turned: bool
) -> None:
    made = QStyleFactory.create(style)
    assert made is not None
    assert style_points_ascending_down(made) is turned  # Fusion ▼, Windows △ for ascending


def test_a_click_on_a_header_sorts_ascending_with_the_arrow_up(qtbot) -> None:
    tasks = Tasks()
    panel = FlashBuyPanel(PlatformClient("http://127.0.0.1:9"), tasks, ROOM)
    qtbot.addWidget(panel)
    panel.reset(
        [make_fb(1, price_fen=999), make_fb(2, price_fen=128_800), make_fb(3, price_fen=10_000)]
    )
    shown_panel(qtbot, panel)
    header = panel.view.horizontalHeader()

    click_header(qtbot, panel, Column.PRICE)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.PRICE,
        Qt.SortOrder.AscendingOrder,
    )
    assert proxy_ids(panel.proxy) == [1, 3, 2]  # cheapest first
    assert painted_arrow(panel, Column.PRICE) == "▲"

    click_header(qtbot, panel, Column.PRICE)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert proxy_ids(panel.proxy) == [2, 3, 1]
    assert painted_arrow(panel, Column.PRICE) == "▼"

    click_header(qtbot, panel, Column.CREATED)  # time: the newest first, said as such
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert proxy_ids(panel.proxy) == [3, 2, 1]
    assert painted_arrow(panel, Column.CREATED) == "▼"
    panel.close()
    assert tasks.wait()


def test_the_buyer_is_in_the_row(console: Console, world: World, qtbot) -> None:
    panel = console.panel
    jade = world.create_flashbuy(title="3号 冰种翡翠手镯", piece_no="3")
    beads = world.create_flashbuy(title="南红手串", piece_no="5", stock=3, price_fen=52_000)
    buyers = [world.join(name)[0] for name in ("罗阿杰70", "Rose Lee 2024", "小李")]
    buyers[0].ok("POST", f"/flash-buys/{jade['id']}/orders", 201, json={"region": "浙江"})
    for buyer in buyers[1:]:
        buyer.ok("POST", f"/flash-buys/{beads['id']}/orders", 201, json={"region": "浙江"})
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    qtbot.waitUntil(lambda: len(panel.model.buyers(panel.model.row_of(beads["id"]))) == 2)
    shown_panel(qtbot, panel)

    def shown(fid: int, column: Column) -> str:
        at = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(fid), column))
        return str(at.data() or "")

    assert shown(jade["id"], Column.TITLE) == "3号 冰种翡翠手镯"  # the piece number once
    assert shown(beads["id"], Column.TITLE) == "#5 · 南红手串"
    assert shown(jade["id"], Column.BUYERS) == "罗阿杰70"
    assert shown(beads["id"], Column.BUYERS) == "Rose Lee 2024 +1"
    # The column is wide enough for the names: none is cut.
    metrics = panel.view.fontMetrics()
    assert panel.view.columnWidth(Column.BUYERS) > metrics.horizontalAdvance("Rose Lee 2024 +1")
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(world.picture_id))
    if SHOTS:
        panel.grab().save(os.path.join(SHOTS, "flashbuy-table.png"))
    panel.close()
    assert console.errors == []


def two_colour_jpeg(width: int, height: int) -> bytes:
    """A picture red on the left half, blue on the right: its two sides can be told apart."""
    image = Image.new("RGB", (width, height), "red")
    image.paste(Image.new("RGB", (width // 2, height), "blue"), (width // 2, 0))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_a_click_on_the_thumbnail_shows_the_picture_large(
    console: Console, world: World, qtbot
) -> None:
    panel = console.panel
    picture_id = world.creator.ok(
        "POST",
        "/pictures",
        201,
        data=two_colour_jpeg(900, 600),
        headers={"Content-Type": "image/jpeg"},
    )["id"]
    jade = world.create_flashbuy(picture_id=picture_id)
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(picture_id))
    shown_panel(qtbot, panel)
    at = panel.proxy.mapFromSource(
        panel.model.index(panel.model.row_of(jade["id"]), Column.PICTURE)
    )
    cell_rect = panel.view.visualRect(at)
    assert cell_rect.width() < 80  # a thumbnail

    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_rect.center())
    qtbot.waitUntil(lambda: panel.picture_popup is not None and panel.picture_popup.is_loaded())
    popup = panel.picture_popup
    assert popup is not None
    qtbot.waitExposed(popup)
    image = popup.grab().toImage()
    picture = popup.picture.geometry()
    assert picture.width() >= 400  # large, its shape kept
    assert picture.height() >= 260
    assert abs(picture.width() / picture.height() - 1.5) < 0.05
    left = image.pixelColor(picture.left() + picture.width() // 4, picture.center().y())
    right = image.pixelColor(picture.right() - picture.width() // 4, picture.center().y())
    assert left.red() > 200
    assert left.blue() < 60
    assert right.blue() > 200
    assert right.red() < 60
    # Beside the thumbnail, never over it.
    thumb = QRect(panel.view.viewport().mapToGlobal(cell_rect.topLeft()), cell_rect.size())
    assert not popup.frameGeometry().intersects(thumb)
    if SHOTS:
        popup.grab().save(os.path.join(SHOTS, "picture-large.png"))
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(os.path.join(SHOTS, "picture-large-beside-table.png"))

    qtbot.keyClick(popup, Qt.Key.Key_Escape)  # Esc closes it
    qtbot.waitUntil(lambda: panel.picture_popup is None)

    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_rect.center())
    qtbot.waitUntil(lambda: panel.picture_popup is not None and panel.picture_popup.is_loaded())
    popup = panel.picture_popup
    assert popup is not None
    qtbot.mouseClick(popup, Qt.MouseButton.LeftButton, pos=popup.rect().center())  # so does a click
    qtbot.waitUntil(lambda: panel.picture_popup is None)

    # A click elsewhere in the row selects it and opens nothing.
    title = panel.proxy.mapFromSource(
        panel.model.index(panel.model.row_of(jade["id"]), Column.TITLE)
    )
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(title).center()
    )
    assert panel.picture_popup is None
    assert panel.selected_flashbuy() is not None
    panel.close()
    assert console.errors == []
