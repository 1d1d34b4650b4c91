"""The flash-buy table's model and filter, alone: rows, signals, cells, sorting, counts."""

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPixmap
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from flashbuy_desktop.ui.flashbuys import Column, FlashBuyFilter, FlashBuyTableModel
from flashbuy_protocol.enums import Mode
from flashbuy_protocol.models import Viewer
from tests.desktop.room.sales_data import ACTIVE, ENDED, SOLD_OUT, T0, make_fb, order, progress
from tests.desktop.ui.flashbuys.rows import Recorder, cell, proxy_ids
from tests.support import jpeg_bytes, png_bytes


def test_model_passes_the_model_tester_empty_filled_and_updated(qtmodeltester: ModelTester) -> None:
    model = FlashBuyTableModel()
    qtmodeltester.check(model)
    model.reset(
        [make_fb(1), make_fb(2, mode=Mode.TARGETED, targets=[Viewer(id=5, nickname="小王")])]
    )
    qtmodeltester.check(model)
    model.upsert(make_fb(3))
    model.apply_progress(progress(1, 1, 1, SOLD_OUT))
    model.add_order(order(1, 1, "小王"))
    model.upsert(make_fb(2, status=ENDED, ended_at=T0 + timedelta(hours=1), revision=2))
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


def test_rows_are_newest_first_and_each_change_is_one_signal(qtbot: QtBot) -> None:
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
    model.upsert(make_fb(2, status=ENDED, ended_at=T0, revision=2))  # a flash-buy.ended
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


def test_replayed_events_neither_duplicate_rows_nor_move_them_backwards(qtbot: QtBot) -> None:
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

    # An ended flash-buy does not come back by an older view (a lower revision) of it.
    model.upsert(make_fb(2))
    model.upsert(make_fb(2, status=ENDED, ended_at=T0, revision=2))
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


def test_a_newer_revision_with_a_lower_sold_is_shown_and_a_late_older_one_is_not(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    """A piece whose buyer did not pay comes back: the row is active again, 0 sold."""
    model = FlashBuyTableModel()
    model.reset([make_fb(1), make_fb(2)])
    proxy = FlashBuyFilter()
    proxy.setSourceModel(model)
    model.apply_progress(progress(1, 1, 1, SOLD_OUT))  # revision 2: sold out
    row = model.row_of(1)
    assert cell(model, row, Column.SOLD) == "已售 1/1"
    assert cell(model, row, Column.STATUS) == "已售罄"
    assert proxy.counts() == {ACTIVE: 1, SOLD_OUT: 1, ENDED: 0}
    seen = Recorder(model)

    with qtbot.waitSignal(proxy.countsChanged) as changed:
        model.apply_progress(progress(1, 0, 1, ACTIVE, revision=3))  # the piece is back
    assert changed.args == [{ACTIVE: 2, SOLD_OUT: 0, ENDED: 0}]
    assert seen.changed == [(row, 0, row, len(Column) - 1)]  # that row, once
    assert (model.flashbuy(row).sold, model.flashbuy(row).status) == (0, ACTIVE)
    assert model.flashbuy(row).revision == 3
    assert cell(model, row, Column.SOLD) == "已售 0/1"
    assert cell(model, row, Column.STATUS) == "进行中"
    assert cell(model, row, Column.STATUS, Qt.ItemDataRole.BackgroundRole) is None  # no badge
    assert cell(model, row, Column.TITLE, Qt.ItemDataRole.ForegroundRole) is None  # not grey

    # The sale that sold it out, replayed or late, in either shape: older, so ignored.
    seen.clear()
    model.apply_progress(progress(1, 1, 1, SOLD_OUT, revision=2))
    model.upsert(make_fb(1, sold=1, status=SOLD_OUT, revision=2))
    model.reset([make_fb(1, sold=1, status=SOLD_OUT, revision=2), make_fb(2)])
    assert not seen.changed
    assert cell(model, model.row_of(1), Column.SOLD) == "已售 0/1"
    assert proxy.counts() == {ACTIVE: 2, SOLD_OUT: 0, ENDED: 0}

    # A whole view (a load, or flashbuy.ended) with a newer revision wins the same way.
    model.apply_progress(progress(2, 2, 2, SOLD_OUT, revision=3))
    model.upsert(make_fb(2, stock=2, sold=1, revision=4))
    assert cell(model, model.row_of(2), Column.SOLD) == "已售 1/2"
    assert cell(model, model.row_of(2), Column.STATUS) == "进行中"
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_events_for_a_row_not_shown_yet_apply_when_it_arrives(qtbot: QtBot) -> None:
    model = FlashBuyTableModel()
    model.add_order(order(10, 8, "小王"))
    model.apply_progress(progress(8, 1, 1, SOLD_OUT))
    assert model.rowCount() == 0
    model.upsert(make_fb(8))
    assert model.flashbuy(0).status is SOLD_OUT
    assert model.buyers(0) == ["小王"]


def test_cells_read_as_the_seller_expects(qtbot: QtBot) -> None:
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


def test_sorting_is_by_value_not_by_text(qtbot: QtBot) -> None:
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
    model.upsert(make_fb(3, price_fen=10_000, status=ENDED, ended_at=midnight, revision=2))
    proxy.sort(Column.STATUS, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy) == [1, 2, 3]  # active, sold out, ended

    # A new row takes its sorted place.
    model.upsert(make_fb(4, price_fen=5_000))
    proxy.sort(Column.PRICE, Qt.SortOrder.AscendingOrder)
    assert proxy_ids(proxy) == [1, 4, 3, 2]


def test_filters_and_counts(qtbot: QtBot) -> None:
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


def test_thumbnails_are_asked_for_once_and_shown_when_given(qtbot: QtBot) -> None:
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
