"""The live comment list: the ring model, the batching feed, the view, and a live room."""

import gc
import itertools
import os
import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QEnterEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.api.events import EventStream
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.comments import (
    CommentBridge,
    CommentDelegate,
    CommentFeed,
    CommentListModel,
    CommentRole,
    CommentView,
    IntentFilter,
)
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Comment, Event, ViewerRecord
from tests.support import World

# The offscreen platform (a plain pytest run without an X server) says this of every window.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set
WARM = QColor("#fff1d6")  # the delegate's background of a purchase-intent row (light theme)
START = datetime(2024, 5, 1, 4, 5, 6, tzinfo=UTC)


def comment(cid: int, text: str = "主播好", viewer_id: int | None = None) -> Comment:
    viewer = viewer_id if viewer_id is not None else 100 + cid % 7
    return Comment(
        id=cid,
        room_id=1,
        viewer_id=viewer,
        nickname=f"观众{viewer}",
        text=text,
        created_at=START + timedelta(seconds=cid),
    )


def comments(first: int, last: int) -> list[Comment]:
    return [comment(i) for i in range(first, last + 1)]


def ids(model: CommentListModel) -> list[int]:
    return [model.comment(row).id for row in range(model.rowCount())]


class Inserts:
    """The (first, last) of every rowsInserted / rowsRemoved of a model."""

    def __init__(self, model: CommentListModel | IntentFilter) -> None:
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        model.rowsInserted.connect(lambda _p, a, b: self.inserted.append((a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.removed.append((a, b)))

    @property
    def sizes(self) -> list[int]:
        return [b - a + 1 for a, b in self.inserted]


# --- the model ----------------------------------------------------------------------------


def test_the_model_passes_the_model_tester_empty_full_and_evicting(
    qtmodeltester: ModelTester,
) -> None:
    model = CommentListModel(capacity=10)
    qtmodeltester.check(model)  # empty; the tester keeps watching every change below
    model.append(comments(1, 6))
    qtmodeltester.check(model)
    model.append(comments(7, 13))  # over capacity: the oldest go
    model.append(comments(14, 40))  # a batch bigger than the ring
    qtmodeltester.check(model)
    assert ids(model) == list(range(31, 41))
    model.clear()
    qtmodeltester.check(model)


def test_the_intent_filter_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = CommentListModel(capacity=8)
    proxy = IntentFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    texts = ["主播好", "3号多少钱", "好漂亮", "要了", "#5", "号称", "拍了", "晚上好"]
    model.append([comment(i, t) for i, t in enumerate(texts, 1)])
    proxy.set_intent_only(True)
    assert proxy.is_intent_only()
    qtmodeltester.check(proxy)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == [
        "3号多少钱",
        "要了",
        "#5",
        "拍了",
    ]
    model.append([comment(20, "我要"), comment(21, "主播好")])  # evicts two, one of them intent
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == [
        "要了",
        "#5",
        "拍了",
        "我要",
    ]
    proxy.set_intent_only(False)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 8


def test_the_ring_evicts_the_oldest_with_one_removal_per_batch(qtbot: QtBot) -> None:
    model = CommentListModel(capacity=5)
    seen = Inserts(model)
    model.append(comments(1, 3))
    assert seen.inserted == [(0, 2)]
    assert seen.removed == []
    model.append(comments(4, 8))
    assert seen.removed == [(0, 2)]  # one removal of the three oldest...
    assert seen.inserted[-1] == (0, 4)  # ...then one insert of the batch
    assert ids(model) == [4, 5, 6, 7, 8]
    assert model.rowCount() == model.capacity == 5


def test_a_replayed_comment_never_shows_twice(qtbot: QtBot) -> None:
    model = CommentListModel(capacity=4)
    seen = Inserts(model)
    assert model.append(comments(1, 3)) == 3
    assert model.append([comment(2), comment(3), comment(4), comment(4)]) == 1
    assert seen.inserted == [(0, 2), (3, 3)]
    with qtbot.assertNotEmitted(model.rowsInserted):
        assert model.append([comment(1), comment(2)]) == 0
    model.append(comments(5, 8))  # 1..4 scrolled out of the ring
    assert ids(model) == [5, 6, 7, 8]
    assert model.append([comment(1)]) == 0  # an old replay does not come back at the bottom
    assert ids(model) == [5, 6, 7, 8]


def test_the_roles_of_a_row() -> None:
    model = CommentListModel()
    model.append([comment(7, "3号多少钱", viewer_id=42), comment(8, "主播好", viewer_id=43)])
    first, second = model.index(0, 0), model.index(1, 0)
    assert first.data(Qt.ItemDataRole.DisplayRole) == "3号多少钱"
    assert first.data(CommentRole.NICKNAME) == "观众42"
    assert first.data(CommentRole.VIEWER_ID) == 42
    assert first.data(CommentRole.TIME) == (START + timedelta(seconds=7)).astimezone().strftime(
        "%H:%M:%S"
    )
    assert first.data(CommentRole.INTENT) is True
    assert second.data(CommentRole.INTENT) is False
    assert first.data(CommentRole.COMMENT) == comment(7, "3号多少钱", viewer_id=42)
    assert first.data(Qt.ItemDataRole.ToolTipRole) == "观众42：3号多少钱"
    assert first.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None
    assert bytes(model.roleNames()[int(CommentRole.NICKNAME)].data()) == b"nickname"
    assert model.rowCount(first) == 0


# --- the feed -----------------------------------------------------------------------------


def test_a_flood_of_pushes_arrives_in_a_few_inserts(qtbot: QtBot) -> None:
    feed = CommentFeed()
    seen = Inserts(feed.model)
    for c in comments(1, 1000):
        feed.push(c)
    assert feed.model.rowCount() == 0  # nothing is inserted on the push itself
    qtbot.waitUntil(lambda: feed.model.rowCount() == 1000)
    assert len(seen.inserted) <= 3, seen.sizes  # not 1,000
    assert max(seen.sizes) <= feed.max_rows_per_tick
    assert ids(feed.model) == list(range(1, 1001))


def test_pause_counts_what_waits_and_resume_catches_up_in_bounded_chunks(qtbot: QtBot) -> None:
    feed = CommentFeed(interval_ms=20, max_rows_per_tick=200)
    reported: list[int] = []
    feed.pendingChanged.connect(reported.append)
    feed.extend(comments(1, 100))
    qtbot.waitUntil(lambda: feed.model.rowCount() == 100)

    with qtbot.waitSignal(feed.pausedChanged) as paused:
        feed.set_paused(True)
    assert paused.args == [True]
    feed.extend(comments(101, 1000))
    qtbot.waitUntil(lambda: reported[-1:] == [900])  # "paused, 900 new"
    assert feed.pending_count() == 900
    assert feed.model.rowCount() == 100  # nothing inserted while paused

    seen = Inserts(feed.model)
    feed.set_paused(False)
    qtbot.waitUntil(lambda: feed.model.rowCount() == 1000)
    assert seen.sizes == [200, 200, 200, 200, 100]  # smoothly, not one jump of 900
    assert reported[-1] == 0
    assert reported[-5:] == [700, 500, 300, 100, 0]
    assert ids(feed.model) == list(range(1, 1001))


def test_a_long_pause_keeps_only_what_the_ring_can_show(qtbot: QtBot) -> None:
    feed = CommentFeed(CommentListModel(capacity=50), interval_ms=20, max_rows_per_tick=20)
    feed.set_paused(True)
    feed.extend(comments(1, 120))
    qtbot.waitUntil(lambda: feed.pending_count() == 120)  # every new comment is counted...
    with qtbot.waitSignal(feed.pendingChanged) as resumed:
        feed.set_paused(False)
    assert resumed.args == [50]  # ...but only the newest 50 could be shown
    qtbot.waitUntil(lambda: feed.pending_count() == 0)
    assert ids(feed.model) == list(range(71, 121))
    assert feed.skipped == 70


def test_push_drops_duplicates_pending_or_shown(qtbot: QtBot) -> None:
    feed = CommentFeed(interval_ms=20)
    feed.extend([comment(1), comment(2), comment(1)])
    assert feed.pending_count() == 2
    qtbot.waitUntil(lambda: feed.model.rowCount() == 2)
    feed.push(comment(2))
    assert feed.pending_count() == 0


def test_the_bridge_hands_comments_from_a_worker_thread_to_the_gui_thread(qtbot: QtBot) -> None:
    feed = CommentFeed(interval_ms=20)
    bridge = CommentBridge(feed)
    gui = threading.get_ident()
    batches: list[tuple[int, int]] = []  # (thread, size) of every delivery
    bridge.commentsArrived.connect(
        lambda batch: batches.append((threading.get_ident(), len(batch)))
    )

    def produce() -> None:
        for i in range(1, 2001):
            bridge.on_event(
                Event(
                    id=i,
                    room_id=1,
                    type=EventType.COMMENT_POSTED,
                    data=comment(i).model_dump(mode="json"),
                    created_at=START,
                )
            )
            if i == 1000:  # other events are not comments
                bridge.on_event(
                    Event(
                        id=10_000,
                        room_id=1,
                        type=EventType.VIEWER_JOINED,
                        data={"viewer_count": 3},
                        created_at=START,
                    )
                )

    worker = threading.Thread(target=produce)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    qtbot.waitUntil(lambda: feed.model.rowCount() == 2000)
    assert ids(feed.model) == list(range(1, 2001))
    assert {thread for thread, _size in batches} == {gui}  # delivered on the GUI thread only
    assert len(batches) == 1  # the worker was faster than the GUI: one hand-off for all
    assert bridge.dropped == 0


# --- the view -----------------------------------------------------------------------------


def shown_view(qtbot: QtBot, width: int) -> Iterator[CommentView]:
    """A comment view ``width`` px wide on screen, away from the pointer (which would pause it)."""
    screen = QGuiApplication.primaryScreen().availableGeometry()
    QCursor.setPos(screen.bottomRight() - QPoint(5, 5))
    widget = CommentView(CommentFeed(interval_ms=20))
    qtbot.addWidget(widget)
    widget.setGeometry(screen.left() + 10, screen.top() + 10, width, 360)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[CommentView]:
    """A comment view on screen, away from the pointer (which would pause it)."""
    yield from shown_view(qtbot, 520)


def enter(widget: CommentView) -> None:
    here = QPointF(20, 20)
    QApplication.sendEvent(
        widget.list_view, QEnterEvent(here, here, widget.list_view.mapToGlobal(here))
    )


def leave(widget: CommentView) -> None:
    QApplication.sendEvent(widget.list_view, QEvent(QEvent.Type.Leave))


def row_background(widget: CommentView, row: int) -> QColor:
    """The colour at the left edge of a shown row (inside its padding, only background)."""
    rect = widget.list_view.visualRect(widget.filter.index(row, 0))
    image = widget.list_view.viewport().grab().toImage()
    return image.pixelColor(rect.left() + 1, rect.center().y())


def test_the_pointer_on_the_list_pauses_it_and_shows_what_waits(
    qtbot: QtBot, view: CommentView
) -> None:
    view.feed.extend(comments(1, 60))
    qtbot.waitUntil(lambda: view.model.rowCount() == 60)
    bar = view.list_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0)  # follows the newest

    enter(view)
    assert view.feed.is_paused()
    assert view.paused_label.isVisible()
    assert view.paused_label.text() == "已暂停（移开鼠标继续）"
    view.feed.extend(comments(61, 63))
    qtbot.waitUntil(lambda: view.paused_label.text() == "已暂停，3 条新评论")
    assert view.model.rowCount() == 60
    bar.setValue(0)  # reading older comments while paused

    leave(view)
    assert not view.feed.is_paused()
    assert not view.paused_label.isVisible()
    qtbot.waitUntil(lambda: view.model.rowCount() == 63)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())  # and back to the newest


def test_clicking_plus_asks_for_a_targeted_flash_buy_for_that_viewer(
    qtbot: QtBot, view: CommentView
) -> None:
    view.feed.extend([comment(1, "主播好", 11), comment(2, "3号多少钱", 22), comment(3, "好", 33)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    rect = view.list_view.visualRect(view.filter.index(1, 0))
    plus = CommentDelegate.button_rect(rect)
    assert rect.contains(plus)
    assert plus.right() >= rect.right() - 8  # at the right edge
    with qtbot.waitSignal(view.targetRequested) as asked:
        qtbot.mouseClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=plus.center())
    assert asked.args == [22, "观众22", "3号多少钱"]
    assert not view.list_view.selectionModel().hasSelection()  # "+" does not select the row

    with qtbot.assertNotEmitted(view.targetRequested, wait=50):
        qtbot.mouseClick(
            view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() - QPoint(60, 0)
        )
    assert view.list_view.currentIndex().row() == 1  # a click on the text selects the row


def _record(viewer_id: int, **values: object) -> ViewerRecord:
    return ViewerRecord.model_validate(
        {"viewer_id": viewer_id, "nickname": f"观众{viewer_id}", **values}
    )


def _badge_pixel(view: CommentView, row: int) -> QColor:
    """The colour just inside where the row's first badge is painted, as on screen."""
    index = view.filter.index(row, 0)
    rect = view.list_view.visualRect(index)
    name = view.delegate.nickname_rect(index, rect)
    image = view.list_view.viewport().grab().toImage()
    return image.pixelColor(name.right() + 6, rect.center().y() - 4)


def test_badges_follow_the_viewers_records_as_they_change(qtbot: QtBot, view: CommentView) -> None:
    view.feed.extend([comment(1, "主播好", 11), comment(2, "3号多少钱", 22)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    plain = _badge_pixel(view, 0)
    # Loaded with the room: 22 left two orders unpaid; 11 paid once (nothing worth a badge).
    view.load_records([_record(22, expired_count=2), _record(11, paid_count=1)])
    assert view.records.badges(11) == ()
    assert _badge_pixel(view, 1) == theme.colour("error_background")  # 跑单 2
    assert _badge_pixel(view, 0) == plain
    # A viewer.record event: 11 came back and paid again (回头客), 22 was blocked (已拉黑 first).
    view.put_record(_record(11, paid_count=2))
    view.put_record(_record(22, expired_count=2, blocked=True))
    assert _badge_pixel(view, 0) == theme.colour("chip_background")
    assert _badge_pixel(view, 1) == theme.colour("muted")
    if SHOTS:
        view.put_record(_record(33, paid_count=5, expired_count=1))
        view.feed.extend([comment(3, "要了要了", 33), comment(4, "好看", 44)])
        qtbot.waitUntil(lambda: view.model.rowCount() == 4)
        view.grab().save(os.path.join(SHOTS, "comments-badges.png"))


def test_clicking_a_nickname_asks_for_the_viewers_card(qtbot: QtBot, view: CommentView) -> None:
    view.feed.extend([comment(1, "主播好", 11), comment(2, "3号多少钱", 22)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    index = view.filter.index(1, 0)
    rect = view.list_view.visualRect(index)
    name = view.delegate.nickname_rect(index, rect)
    assert rect.contains(name)
    assert name.width() > 0
    with qtbot.waitSignal(view.viewerRequested) as asked:
        qtbot.mouseClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=name.center())
    assert asked.args == [22, "观众22"]
    assert not view.list_view.selectionModel().hasSelection()  # the name does not select
    with qtbot.assertNotEmitted(view.viewerRequested, wait=50):
        qtbot.mouseClick(
            view.list_view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(name.right() + 40, rect.center().y()),
        )


def test_hand_over_shows_only_while_a_piece_waits_and_names_the_viewer(
    qtbot: QtBot, view: CommentView
) -> None:
    view.feed.extend([comment(1, "我要", 11), comment(2, "给我吧", 22)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    index = view.filter.index(0, 0)
    rect = view.list_view.visualRect(index)
    assert view.delegate.hand_over_rect(index, rect).isEmpty()  # nothing waits: no button
    view.set_hand_over_shown(True)
    button = view.delegate.hand_over_rect(index, rect)
    assert not button.isEmpty()
    assert button.right() < CommentDelegate.button_rect(rect).left()  # left of "+"
    with qtbot.waitSignal(view.handOverRequested) as asked:
        qtbot.mouseClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    assert asked.args == [11, "观众11"]
    if SHOTS:
        view.grab().save(os.path.join(SHOTS, "comments-hand-over.png"))
    view.set_hand_over_shown(False)
    assert view.delegate.hand_over_rect(index, rect).isEmpty()
    with qtbot.assertNotEmitted(view.handOverRequested, wait=50):
        qtbot.mouseClick(view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())


def test_enter_on_the_selected_comment_asks_for_its_viewer(qtbot: QtBot, view: CommentView) -> None:
    view.feed.extend([comment(1, "主播好", 11), comment(2, "要了", 22), comment(3, "好", 33)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    view.list_view.setFocus()
    view.list_view.setCurrentIndex(view.filter.index(2, 0))
    with qtbot.waitSignal(view.targetRequested) as asked:
        qtbot.keyClick(view.list_view, Qt.Key.Key_Return)
    assert asked.args == [33, "观众33", "好"]


def test_intent_only_shows_just_purchase_intent_highlighted(
    qtbot: QtBot, view: CommentView
) -> None:
    texts = ["主播好", "3号多少钱", "好漂亮", "要了", "号称", "#5"]
    view.feed.extend([comment(i, t) for i, t in enumerate(texts, 1)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 6)
    assert [row_background(view, r) == WARM for r in range(6)] == [
        False,
        True,
        False,
        True,
        False,
        True,
    ]

    qtbot.mouseClick(view.intent_only, Qt.MouseButton.LeftButton)
    assert view.intent_only.isChecked()
    assert [view.filter.index(r, 0).data() for r in range(view.filter.rowCount())] == [
        "3号多少钱",
        "要了",
        "#5",
    ]
    view.feed.extend([comment(7, "拍了"), comment(8, "晚上好")])
    qtbot.waitUntil(lambda: view.model.rowCount() == 8)
    assert view.filter.rowCount() == 4
    view.intent_only.setChecked(False)
    assert view.filter.rowCount() == 8


def test_the_delegate_keeps_a_long_comment_on_one_line(qtbot: QtBot, view: CommentView) -> None:
    view.feed.extend([comment(1, "短"), comment(2, "翡翠" * 100)])
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    short = view.list_view.visualRect(view.filter.index(0, 0))
    long = view.list_view.visualRect(view.filter.index(1, 0))
    assert long.height() == short.height() < 3 * view.fontMetrics().height()


def named(cid: int, nickname: str, text: str) -> Comment:
    return Comment(
        id=cid,
        room_id=1,
        viewer_id=200 + cid,
        nickname=nickname,
        text=text,
        created_at=START + timedelta(seconds=cid),
    )


@pytest.fixture
def split_view(qtbot: QtBot) -> Iterator[CommentView]:
    """A comment view as wide as the main window gives it at its default size (440 px)."""
    yield from shown_view(qtbot, 440)


SHORT_NAMES = ["罗阿杰70", "Rose Lee 2024", "张三丰1988", "Alice 12", "jade_lover_88", "小王"]


def test_nicknames_are_whole_where_they_fit(qtbot: QtBot, split_view: CommentView) -> None:
    view = split_view
    texts = ["3号多少钱", "how much is no. 3?", "好漂亮", "要了", "主播好", "#5"]
    view.feed.extend(
        [named(i, n, t) for i, (n, t) in enumerate(zip(SHORT_NAMES, texts, strict=True), 1)]
    )
    qtbot.waitUntil(lambda: view.model.rowCount() == len(SHORT_NAMES))
    view.list_view.viewport().grab()  # painted once, with the view's own font
    painted = []
    for row in range(view.filter.rowCount()):
        index = view.filter.index(row, 0)
        painted.append(view.delegate.painted_nickname(index, view.list_view.visualRect(index)))
    assert painted == [f"{n}：" for n in SHORT_NAMES]


def test_a_name_too_long_is_cut_and_shown_whole_on_hover(
    qtbot: QtBot, split_view: CommentView
) -> None:
    view = split_view
    long_name = "翡翠玉石收藏爱好者之家官方旗舰店大号" + "2024"
    view.feed.extend(
        [
            named(1, long_name, "这个镯子的种水真的很好，请问3号还有吗，能不能再看一下侧面"),
            named(2, "小王", "好"),
            *(named(i, n, "3号多少钱") for i, n in enumerate(SHORT_NAMES, 3)),
        ]
    )
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 + len(SHORT_NAMES))
    viewport = view.list_view.viewport()
    view.list_view.scrollToTop()
    if SHOTS:
        view.grab().save(os.path.join(SHOTS, "comments-names.png"))
    index = view.filter.index(0, 0)
    rect = view.list_view.visualRect(index)
    painted = view.delegate.painted_nickname(index, rect)
    assert painted.endswith("…")
    assert long_name.startswith(painted.removesuffix("…"))

    # The pointer resting on the cut name shows it whole.
    qtbot.mouseMove(viewport, QPoint(rect.left() + 30, rect.center().y()))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5_000)
    assert QToolTip.text() == long_name
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())

    # A whole name has no tooltip of its own: the row's says who wrote what.
    short = view.filter.index(1, 0)
    short_rect = view.list_view.visualRect(short)
    assert view.delegate.painted_nickname(short, short_rect) == "小王："
    qtbot.mouseMove(viewport, QPoint(short_rect.left() + 10, short_rect.center().y()))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5_000)
    assert QToolTip.text() == "小王：好"
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_an_attached_feed_is_paused_by_the_pointer(qtbot: QtBot, view: CommentView) -> None:
    feed = CommentFeed(view.model, interval_ms=20)
    view.attach_feed(feed)
    del feed
    gc.collect()  # the view keeps the feed, and the feed the model it was given
    feed = view.feed
    assert view.model is feed.model
    enter(view)
    assert feed.is_paused()
    feed.push(comment(1))
    qtbot.waitUntil(lambda: view.paused_label.text() == "已暂停，1 条新评论")
    leave(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)


def test_a_default_view_can_take_a_feed_of_its_own_model(qtbot: QtBot) -> None:
    widget = CommentView()  # the main window's way: its model, then a feed made on it
    qtbot.addWidget(widget)
    model = widget.model
    widget.attach_feed(CommentFeed(model, interval_ms=20))
    gc.collect()
    widget.feed.push(comment(1))
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert widget.filter.sourceModel() is model
    widget.close()


# --- a live room --------------------------------------------------------------------------


def test_comments_posted_in_a_live_room_appear_in_order_once(
    qtbot: QtBot, world: World, view: CommentView
) -> None:
    """Viewers comment over HTTP; the room's stream, read on a thread, fills the view."""
    client = PlatformClient(world.platform.url, world.creator.token)
    bridge = CommentBridge(view.feed, parent=view)
    stream = EventStream(client, world.room_id, on_event=bridge.on_event)
    reader = threading.Thread(target=stream.run, name="test-room-events", daemon=True)
    reader.start()
    replay: EventStream | None = None
    replayer: threading.Thread | None = None
    try:
        texts = ["主播好", "3号多少钱", "好漂亮", "要了", "#5", "号称冰种"]
        posted = [
            viewer.ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": text})
            for viewer, text in zip(itertools.cycle(world.viewers), texts, strict=False)
        ]
        qtbot.waitUntil(lambda: view.model.rowCount() == len(texts), timeout=30_000)
        assert ids(view.model) == [p["id"] for p in posted]
        shown = [view.filter.index(r, 0) for r in range(view.filter.rowCount())]
        assert [i.data() for i in shown] == texts
        assert [i.data(CommentRole.VIEWER_ID) for i in shown] == [p["viewer_id"] for p in posted]
        assert [row_background(view, r) == WARM for r in range(len(texts))] == [
            False,
            True,
            False,
            True,
            True,
            False,
        ]

        # A reconnect that replays the whole room into the same bridge shows nothing twice.
        last = int(world.creator.ok("GET", f"/rooms/{world.room_id}")["last_event_id"])
        replayed: queue.Queue[int] = queue.Queue()

        def again(event: Event) -> None:
            bridge.on_event(event)
            replayed.put(event.id)

        replay = EventStream(client, world.room_id, after=0, on_event=again)
        replayer = threading.Thread(target=replay.run, name="test-replay", daemon=True)
        with qtbot.waitSignal(bridge.commentsArrived, timeout=30_000) as delivered:
            replayer.start()
            while replayed.get(timeout=30) < last:
                pass
        assert [c.id for c in delivered.args[0]] == [p["id"] for p in posted]
        assert view.feed.pending_count() == 0
        assert view.model.rowCount() == len(texts)
    finally:
        for s, t in ((stream, reader), (replay, replayer)):
            if s is not None and t is not None:
                s.stop()
                if t.ident is not None:  # started
                    t.join(10)
                assert not t.is_alive()
        client.close()
        view.close()
