"""The live comment list: readable in a flood, paused under the pointer, purchase intent marked.

The parts, from the network to the screen:

* :class:`CommentBridge` is the hand-off from the event-stream thread to the GUI
  thread. :meth:`CommentBridge.on_event` may be called from any thread (pass it as
  :class:`~flashbuy_desktop.api.events.EventStream`'s ``on_event``): it parses
  ``comment.posted`` events there, off the GUI thread, and puts the comments in an
  inbox under a lock. Only the first comment of an empty inbox emits a signal
  without arguments; the bridge lives on the GUI thread and the signal is
  connected queued, so Qt runs the drain on the GUI thread, which takes the whole
  inbox at once. However fast comments come, the GUI thread gets one call per
  turn of its event loop, and no Qt object is touched from the worker.
* :class:`CommentFeed` buffers comments (:meth:`CommentFeed.push`, cheap enough
  for thousands a second) and moves them into the model on a timer, one insert
  per tick (~15 a second), at most ``max_rows_per_tick`` rows each, so a backlog
  after a pause drains smoothly instead of in one jump. While paused it inserts
  nothing and reports how many comments wait (``pendingChanged``).
* :class:`CommentListModel` is a bounded ring of rows (a list model), deduplicated
  by comment id, so a stream that replays after a reconnect shows nothing twice.
* :class:`IntentFilter` hides everything but purchase intent when asked.
* :class:`CommentDelegate` paints a row on one line: nickname, text (intent on a
  warm background), time and a "+" button, which asks for a targeted flash-buy. A
  nickname is whole wherever it fits (:func:`~flashbuy_desktop.room.listing.nickname_width`);
  one too long for its row is cut, and the pointer resting on it shows it whole.
* :class:`CommentView` puts them together: hovering the list pauses the feed,
  leaving resumes it; it follows the newest comment while not paused.

Typical wiring (the main window's job)::

    view = CommentView()
    bridge = CommentBridge(view.feed, parent=view)  # the feed the view shows
    stream = EventStream(client, room_id, after=room.last_event_id, on_event=bridge.on_event)
    # run stream.run on a worker thread; at shutdown: stream.stop(), join the thread,
    # and only then delete the bridge (a worker must never emit on a deleted object).
"""

import logging
import math
import re
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any, Final, NamedTuple

from pydantic import ValidationError
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QHelpEvent,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.room.listing import nickname_width
from flashbuy_desktop.room.pieces import PIECE_NUMBER
from flashbuy_protocol.models import Comment, Event

log = logging.getLogger(__name__)

COMMENT_POSTED = "comment.posted"  # the event type whose data is a Comment
DEFAULT_CAPACITY = 5_000  # rows the list keeps; older ones scroll out for good
FLUSH_INTERVAL_MS = 66  # ~15 inserts (and repaints) a second, whatever the comment rate
MAX_ROWS_PER_TICK = 500  # a catch-up never inserts more at once (7,500 rows/s at most)

_ROOT = QModelIndex()
_Index = QModelIndex | QPersistentModelIndex


# --- purchase intent ----------------------------------------------------------------------

# Matched on the NFKC form of the text, so full-width ＃３ and Ｎｏ．３ read as #3 and No.3.
_INTENT_PATTERN = re.compile(
    r"""
      多少钱 | 价格 | 价钱 | 什么价 | 怎么卖 | 链接 | 下单    # asking the price, or how to buy
    | 我要 | 我也要 | 想要 | (?<!不)要了                    # 我要, 要了; not 不要了
    | ^\W*要+[\W\d]*$                                       # the whole comment is 要 (要! 要要要)
    | 我拍 | 已拍 | (?<!不)拍了 | ^\W*拍+\W*$               # 拍了, or just 拍; not 拍照
    |"""  # a piece number (3号, 三号, #3, No.3), as the new flash-buy window reads it
    + PIECE_NUMBER,
    re.IGNORECASE | re.VERBOSE,
)


def is_purchase_intent(text: str) -> bool:
    """Whether a live comment asks to buy or asks a price ("3号多少钱", "要了", "#5", "拍了").

    Small talk ("主播好", "好漂亮", "号称...") is not intent. A highlight, not a
    decision: a false positive only colours a line.
    """
    return _INTENT_PATTERN.search(unicodedata.normalize("NFKC", text)) is not None


# --- the model ----------------------------------------------------------------------------


_USER_ROLE = int(Qt.ItemDataRole.UserRole)


class CommentRole(IntEnum):
    """The model's own data roles (besides DisplayRole, which is the comment's text)."""

    NICKNAME = _USER_ROLE + 1
    VIEWER_ID = _USER_ROLE + 2
    TIME = _USER_ROLE + 3  # created_at in local time, "HH:MM:SS"
    INTENT = _USER_ROLE + 4  # bool: is_purchase_intent(text)
    COMMENT = _USER_ROLE + 5  # the Comment itself


# One comment as the list keeps it: a plain tuple of plain values (ints, strings, a
# datetime), which the garbage collector stops tracking, so thousands of rows cost
# nothing in every full collection. (A NamedTuple or a slotted class would stay tracked.)
_Row = tuple[int, int, int, str, str, datetime, bool, str]
_ID: Final = 0
_ROOM: Final = 1
_VIEWER: Final = 2
_NICKNAME: Final = 3
_TEXT: Final = 4
_CREATED: Final = 5
_INTENT: Final = 6
_TIME: Final = 7


def _row(comment: Comment) -> _Row:
    return (
        comment.id,
        comment.room_id,
        comment.viewer_id,
        comment.nickname,
        comment.text,
        comment.created_at,
        is_purchase_intent(comment.text),
        comment.created_at.astimezone().strftime("%H:%M:%S"),
    )


def _comment(row: _Row) -> Comment:
    return Comment.model_construct(
        id=row[_ID],
        room_id=row[_ROOM],
        viewer_id=row[_VIEWER],
        nickname=row[_NICKNAME],
        text=row[_TEXT],
        created_at=row[_CREATED],
    )


_ROW_ROLE = _USER_ROLE + 100  # private: the whole row, so the delegate asks once per paint

_GETTERS: dict[int, Callable[[_Row], Any]] = {
    _ROW_ROLE: lambda r: r,
    int(Qt.ItemDataRole.DisplayRole): lambda r: r[_TEXT],
    int(Qt.ItemDataRole.ToolTipRole): lambda r: QCoreApplication.translate(
        "Comments", "{nickname}: {text}"
    ).format(nickname=r[_NICKNAME], text=r[_TEXT]),
    int(Qt.ItemDataRole.AccessibleTextRole): lambda r: QCoreApplication.translate(
        "Comments", "{nickname}: {text} {time}"
    ).format(nickname=r[_NICKNAME], text=r[_TEXT], time=r[_TIME]),
    int(CommentRole.NICKNAME): lambda r: r[_NICKNAME],
    int(CommentRole.VIEWER_ID): lambda r: r[_VIEWER],
    int(CommentRole.TIME): lambda r: r[_TIME],
    int(CommentRole.INTENT): lambda r: r[_INTENT],
    int(CommentRole.COMMENT): _comment,
}


_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class CommentListModel(QAbstractListModel):
    """The newest ``capacity`` comments, oldest first, each comment id at most once.

    :meth:`append` inserts a batch with one rowsInserted; when that would exceed
    the capacity it first removes the oldest rows with one rowsRemoved, so the
    model never holds more than ``capacity`` rows. Ids are remembered for twice
    the capacity, so a replay of an event already scrolled out stays out too.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._rows: list[_Row] = []
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()

    @property
    def capacity(self) -> int:
        """How many rows the ring keeps."""
        return self._capacity

    def knows(self, comment_id: int) -> bool:
        """Whether a comment with this id is (or was recently) in the list."""
        return comment_id in self._seen

    def comment(self, row: int) -> Comment:
        """The comment shown in ``row``."""
        return _comment(self._rows[row])

    def append(self, comments: Sequence[Comment]) -> int:
        """Add new comments at the end (one insert); drop the oldest beyond capacity.

        Comments whose id the list already has are skipped. Returns how many rows
        were inserted.
        """
        fresh: list[_Row] = []
        for comment in comments:
            if comment.id in self._seen:
                continue
            self._remember(comment.id)
            fresh.append(_row(comment))
        if not fresh:
            return 0
        if len(fresh) > self._capacity:
            fresh = fresh[-self._capacity :]
        overflow = len(self._rows) + len(fresh) - self._capacity
        if overflow > 0:
            self.beginRemoveRows(_ROOT, 0, overflow - 1)
            del self._rows[:overflow]
            self.endRemoveRows()
        first = len(self._rows)
        self.beginInsertRows(_ROOT, first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()
        return len(fresh)

    def clear(self) -> None:
        """Forget every row and id (another room)."""
        self.beginResetModel()
        self._rows.clear()
        self._seen.clear()
        self._seen_order.clear()
        self.endResetModel()

    def _remember(self, comment_id: int) -> None:
        self._seen.add(comment_id)
        self._seen_order.append(comment_id)
        if len(self._seen_order) > 2 * self._capacity:
            self._seen.discard(self._seen_order.popleft())

    def rowCount(self, parent: _Index = _ROOT) -> int:
        """Override QAbstractItemModel::rowCount: a list has rows only under the root."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel::data: the comment's text or one of :class:`CommentRole`."""
        if not index.isValid() or index.column() != 0 or not 0 <= index.row() < len(self._rows):
            return None
        getter = _GETTERS.get(int(role))
        return None if getter is None else getter(self._rows[index.row()])

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Override QAbstractItemModel::flags: rows are selectable, never editable."""
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def roleNames(self) -> dict[int, QByteArray]:
        """Override QAbstractItemModel::roleNames: names for QML and debugging."""
        names = dict(super().roleNames())
        for role in CommentRole:
            names[int(role)] = QByteArray(role.name.lower().encode())
        return names


class IntentFilter(QSortFilterProxyModel):
    """Passes every comment, or only purchase intent after ``setIntentOnly(True)``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._intent_only = False

    def intentOnly(self) -> bool:
        """Whether only purchase intent passes."""
        return self._intent_only

    def setIntentOnly(self, on: bool) -> None:
        """Show only purchase intent (True) or everything (False)."""
        if on == self._intent_only:
            return
        if not hasattr(self, "beginFilterChange"):  # Qt before 6.9
            self._intent_only = on
            self.invalidateRowsFilter()
            return
        self.beginFilterChange()
        self._intent_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Override QSortFilterProxyModel::filterAcceptsRow: everything, or intent only."""
        if not self._intent_only:
            return True
        source = self.sourceModel()
        return bool(source.data(source.index(source_row, 0, source_parent), CommentRole.INTENT))


# --- the feed -----------------------------------------------------------------------------


class CommentFeed(QObject):
    """Comments in, batched inserts out: one insert per tick, nothing while paused.

    :meth:`push` only appends to a buffer; a timer (``interval_ms``, 66 by default)
    moves up to ``max_rows_per_tick`` buffered comments into :attr:`model` per
    tick. The timer runs only while there is something to do. The buffer keeps at
    most ``model.capacity`` comments: older ones could only scroll out of the ring
    at once, so they are skipped (counted in :attr:`skipped`).
    """

    pendingChanged = Signal(int)  # comments received and not shown yet
    pausedChanged = Signal(bool)  # inserts held back, or going again

    def __init__(
        self,
        model: CommentListModel | None = None,
        parent: QObject | None = None,
        *,
        interval_ms: int = FLUSH_INTERVAL_MS,
        max_rows_per_tick: int = MAX_ROWS_PER_TICK,
    ) -> None:
        super().__init__(parent)
        if max_rows_per_tick < 1:
            raise ValueError("max_rows_per_tick must be at least 1")
        self.model = model if model is not None else CommentListModel(parent=self)
        self.max_rows_per_tick = max_rows_per_tick
        self.skipped = 0  # comments dropped because the buffer was full
        self._pending: deque[Comment] = deque()
        self._pending_ids: set[int] = set()
        self._missed = 0  # dropped while paused: still "new" to the user until resumed
        self._paused = False
        self._reported = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)

    @Slot(object)
    def push(self, comment: Comment) -> None:
        """Take one comment (GUI thread only); it is shown on a later tick."""
        if comment.id in self._pending_ids or self.model.knows(comment.id):
            return
        if len(self._pending) >= self.model.capacity:
            dropped = self._pending.popleft()
            self._pending_ids.discard(dropped.id)
            self.skipped += 1
            if self._paused:
                self._missed += 1
        self._pending.append(comment)
        self._pending_ids.add(comment.id)
        if not self._timer.isActive():
            self._timer.start()

    @Slot(list)
    def extend(self, comments: Iterable[Comment]) -> None:
        """Take several comments in order (GUI thread only)."""
        for comment in comments:
            self.push(comment)

    def is_paused(self) -> bool:
        """Whether inserts are held back."""
        return self._paused

    @Slot(bool)
    def set_paused(self, paused: bool) -> None:
        """Hold inserts back (True) or catch up and go on (False)."""
        if paused == self._paused:
            return
        self._paused = paused
        if not paused:
            self._missed = 0  # what fell out of the buffer is skipped now, not shown later
            if self._pending:
                self._timer.start()
        self.pausedChanged.emit(paused)
        self._report()

    def pending_count(self) -> int:
        """Comments received and not shown yet (while paused, also those that will be skipped)."""
        return len(self._pending) + self._missed

    @Slot()
    def flush(self) -> None:
        """One tick: insert the next batch unless paused; report the pending count."""
        if not self._paused and self._pending:
            take = min(len(self._pending), self.max_rows_per_tick)
            batch = [self._pending.popleft() for _ in range(take)]
            for comment in batch:
                self._pending_ids.discard(comment.id)
            self.model.append(batch)
        self._report()
        if self._paused or not self._pending:
            self._timer.stop()  # push() or resuming starts it again

    def clear(self) -> None:
        """Drop what is buffered and every row (another room)."""
        self._pending.clear()
        self._pending_ids.clear()
        self._missed = 0
        self.model.clear()
        self._report()

    def _report(self) -> None:
        count = self.pending_count()
        if count != self._reported:
            self._reported = count
            self.pendingChanged.emit(count)


class CommentBridge(QObject):
    """Hands comments from the event-stream thread to the GUI thread, coalesced.

    Create it on the GUI thread. :meth:`on_event` (and :meth:`offer`) may be
    called from any thread; ``commentsArrived`` is always emitted on the GUI
    thread, with every comment that came since the last emission, in stream
    order. The inbox holds at most ``max_inbox`` comments while the GUI thread is
    busy; older ones are dropped (counted in :attr:`dropped`). Stop the worker
    before this object is deleted.
    """

    commentsArrived = Signal(list)  # list[Comment] in stream order, on the GUI thread
    _wake = Signal()  # emitted from any thread, delivered queued to _drain

    def __init__(
        self,
        feed: CommentFeed | None = None,
        parent: QObject | None = None,
        *,
        max_inbox: int = 4 * DEFAULT_CAPACITY,
    ) -> None:
        super().__init__(parent)
        self.dropped = 0
        self._lock = threading.Lock()
        self._inbox: deque[Comment] = deque()
        self._max_inbox = max_inbox
        self._scheduled = False
        # Queued even when emitted on the GUI thread: the drain always runs from the event loop.
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        if feed is not None:
            self.commentsArrived.connect(feed.extend)

    def on_event(self, event: Event) -> None:
        """Take a room event (any thread); comments go on to the GUI thread, the rest is ignored."""
        if event.type != COMMENT_POSTED:
            return
        try:
            comment = Comment.model_validate(event.data)
        except ValidationError:
            log.warning("event %s is not a comment this console understands", event.id)
            return
        self.offer(comment)

    def offer(self, comment: Comment) -> None:
        """Take one comment (any thread)."""
        with self._lock:
            if len(self._inbox) >= self._max_inbox:
                self._inbox.popleft()
                self.dropped += 1
            self._inbox.append(comment)
            if self._scheduled:
                return
            self._scheduled = True
        self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            batch = list(self._inbox)
            self._inbox.clear()
            self._scheduled = False
        if batch:
            self.commentsArrived.emit(batch)


# --- painting -----------------------------------------------------------------------------

_PAD = 4  # pixels between the parts of a row and around it
_WARM_LIGHT, _WARM_DARK = QColor("#fff1d6"), QColor("#4a3413")
_INTENT_LIGHT, _INTENT_DARK = QColor("#b4400a"), QColor("#ffb870")
_GREY = QColor(128, 128, 128)
_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_RIGHT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
_SELECTED = QStyle.StateFlag.State_Selected.value
_HOVER = QStyle.StateFlag.State_MouseOver.value
_BUTTON = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
_BUTTON_HOVER = _BUTTON | QStyle.StateFlag.State_MouseOver
_CACHE_MAX = 4096  # nickname widths and colours remembered


def nickname_color(viewer_id: int, dark: bool = False) -> QColor:
    """A stable, readable colour per viewer (hues spread by the golden angle)."""
    return QColor.fromHsl((viewer_id * 137) % 360, 170, 175 if dark else 80)


class _Look:
    """Fonts, metrics and colours for one font and palette: made once, not per row."""

    def __init__(self, font: QFont, palette: QPalette) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.plain_metrics = QFontMetrics(self.font)
        self.bold_metrics = QFontMetrics(self.bold)
        self.bold_metrics_f = QFontMetricsF(self.bold)
        self.time_width = self.plain_metrics.horizontalAdvance("00:00:00")
        self.palette_key = palette.cacheKey()
        self.dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        self.text = palette.color(QPalette.ColorRole.Text)
        self.highlighted = palette.color(QPalette.ColorRole.HighlightedText)
        self.warm = _WARM_DARK if self.dark else _WARM_LIGHT
        self.intent = _INTENT_DARK if self.dark else _INTENT_LIGHT
        # How a nickname leads its comment ("{nickname}：" in Chinese), looked up once.
        self.nick_format = QCoreApplication.translate("Comments", "{nickname}:")
        self.nick_widths: dict[str, int] = {}
        self.nick_colors: dict[int, QColor] = {}

    def nick_width(self, nickname: str) -> int:
        """The whole pixels ``nickname`` needs in bold, rounded up.

        QFontMetrics.horizontalAdvance rounds to the nearest pixel, while elidedText
        elides whatever is wider than the width given, fractions included: a name
        measured 64.6 -> 65 fits, one measured 102.4 -> 102 lost its last character.
        """
        width = self.nick_widths.get(nickname)
        if width is None:
            if len(self.nick_widths) > _CACHE_MAX:
                self.nick_widths.clear()
            advance = self.bold_metrics_f.horizontalAdvance(nickname)
            width = self.nick_widths[nickname] = math.ceil(advance)
        return width

    def fit_nickname(self, nickname: str, text: str, intent: bool, space: int) -> tuple[str, int]:
        """The nickname as painted (whole, or elided) and its width, out of ``space``."""
        need = self.nick_width(nickname)
        if need <= space // 2:  # the usual case: no need to measure the text
            return nickname, need
        metrics = self.bold_metrics if intent else self.plain_metrics
        width = nickname_width(need, metrics.horizontalAdvance(text), space)
        if width >= need:
            return nickname, width
        return self.bold_metrics.elidedText(nickname, Qt.TextElideMode.ElideRight, width), width

    def nick_color(self, viewer_id: int) -> QColor:
        color = self.nick_colors.get(viewer_id)
        if color is None:
            if len(self.nick_colors) > _CACHE_MAX:
                self.nick_colors.clear()
            color = self.nick_colors[viewer_id] = nickname_color(viewer_id, self.dark)
        return color


class _Parts(NamedTuple):
    """Where the parts of one painted row go."""

    button: QRect  # the "+" button
    time_left: int  # x where the time starts
    nickname: str  # the nickname as painted: whole, or elided to nick_width
    nick_width: int
    text_left: int  # x where the comment's text starts


def _parts(look: _Look, rect: QRect, row: _Row) -> _Parts:
    left, top, width, height = rect.x(), rect.y(), rect.width(), rect.height()
    side = max(12, height - 2 * (_PAD - 1))
    button = QRect(left + width - _PAD - side, top + (height - side) // 2, side, side)
    time_left = button.x() - _PAD - look.time_width
    # What the nickname and the text share: from the left padding to the time's padding,
    # less the small gap between them.
    space = max(0, time_left - _PAD - (left + _PAD) - _PAD // 2)
    nickname = look.nick_format.format(nickname=row[_NICKNAME])
    shown, nick_width = look.fit_nickname(nickname, row[_TEXT], row[_INTENT], space)
    return _Parts(button, time_left, shown, nick_width, left + _PAD + nick_width + _PAD // 2)


class CommentDelegate(QStyledItemDelegate):
    """Paints a comment on one line: nickname, text, time, and a "+" button at the right edge.

    A click on "+" emits ``targetRequested(viewer_id, nickname, text)``; the click does
    not select the row. Painting asks the model once per row and keeps fonts and
    metrics between rows: in a flood every row painted costs GUI time.
    """

    targetRequested = Signal(int, str, str)  # viewer id, nickname, the comment's text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._look: _Look | None = None
        self._plus = QStyleOptionButton()
        self._plus.text = "+"

    @staticmethod
    def button_rect(row: QRect) -> QRect:
        """Where the "+" button of a row at ``row`` (the item's rect in the viewport) is."""
        side = max(12, row.height() - 2 * (_PAD - 1))
        return QRect(
            row.right() - _PAD - side + 1, row.top() + (row.height() - side) // 2, side, side
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        """Override QStyledItemDelegate::sizeHint: one line of text, whatever its length."""
        height = QFontMetrics(option.font).height() + 2 * _PAD
        return QSize(max(option.rect.width(), 240), max(height, 22))

    def _look_for(self, option: QStyleOptionViewItem) -> _Look:
        look = self._look
        palette = option.palette
        if look is None or look.font != option.font or look.palette_key != palette.cacheKey():
            look = self._look = _Look(option.font, palette)
            self._plus.palette = palette
        return look

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """Override QStyledItemDelegate::paint."""
        row = index.data(_ROW_ROLE)
        if not isinstance(row, tuple):  # not one of our models: paint it the plain way
            super().paint(painter, option, index)
            return
        look = self._look_for(option)
        intent = row[_INTENT]
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        state = option.state.value
        selected = bool(state & _SELECTED)
        rect = option.rect
        left, top, height = rect.x(), rect.y(), rect.height()

        painter.save()
        if intent and not selected:
            painter.fillRect(rect, look.warm)
        # Selection and hover, as the style draws them; the rest is ours.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)

        parts = _parts(look, rect, row)
        button, time_left, text_left = parts.button, parts.time_left, parts.text_left
        text_width = max(0, time_left - _PAD - text_left)

        painter.setFont(look.bold)
        painter.setPen(look.highlighted if selected else look.nick_color(row[_VIEWER]))
        painter.drawText(left + _PAD, top, parts.nick_width, height, _LEFT, parts.nickname)
        metrics = look.bold_metrics if intent else look.plain_metrics
        if not intent:
            painter.setFont(look.font)
        if selected:
            painter.setPen(look.highlighted)
        else:
            painter.setPen(look.intent if intent else look.text)
        painter.drawText(
            text_left,
            top,
            text_width,
            height,
            _LEFT,
            metrics.elidedText(row[_TEXT], Qt.TextElideMode.ElideRight, text_width),
        )
        painter.setFont(look.font)
        painter.setPen(look.highlighted if selected else _GREY)
        painter.drawText(time_left, top, look.time_width, height, _RIGHT, row[_TIME])

        plus = self._plus
        plus.rect = button
        plus.state = _BUTTON_HOVER if state & _HOVER else _BUTTON
        style.drawControl(QStyle.ControlElement.CE_PushButton, plus, painter, widget)
        painter.restore()

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        """Override QAbstractItemDelegate::editorEvent: the "+" button takes its clicks."""
        if isinstance(event, QMouseEvent) and self.button_rect(option.rect).contains(
            event.position().toPoint()
        ):
            if (
                event.type() == QEvent.Type.MouseButtonRelease
                and event.button() == Qt.MouseButton.LeftButton
            ):
                self.request_target(index)
            return True  # press, release and double-click on "+" never reach the row
        return bool(super().editorEvent(event, model, option, index))

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        """Override QAbstractItemDelegate::helpEvent: say what "+" does; a cut name whole."""
        if event.type() != QEvent.Type.ToolTip:
            return bool(super().helpEvent(event, view, option, index))
        nickname = str(index.data(CommentRole.NICKNAME) or "")
        if self.button_rect(option.rect).contains(event.pos()):
            QToolTip.showText(
                event.globalPos(),
                self.tr("Start a targeted flash-buy for {nickname}").format(nickname=nickname),
                view,
            )
            return True
        row = index.data(_ROW_ROLE)
        if isinstance(row, tuple):
            look = self._look_for(option)
            parts = _parts(look, option.rect, row)
            whole = look.nick_format.format(nickname=nickname)
            left, top = option.rect.x(), option.rect.y()
            name_rect = QRect(left, top, parts.text_left - left, option.rect.height())
            if parts.nickname != whole and name_rect.contains(event.pos()):
                QToolTip.showText(event.globalPos(), nickname, view, name_rect)
                return True
        return bool(super().helpEvent(event, view, option, index))

    def painted_nickname(self, index: _Index, rect: QRect) -> str:
        """The nickname (with its colon) as :meth:`paint` draws it in ``rect``: whole or cut.

        Uses the font and palette of the last paint (the view's own), or the
        application's before the first one.
        """
        row = index.data(_ROW_ROLE)
        if not isinstance(row, tuple):
            return ""
        look = self._look or _Look(QApplication.font(), QApplication.palette())
        return _parts(look, rect, row).nickname

    def request_target(self, index: _Index) -> None:
        """Emit ``targetRequested`` for the comment at ``index``."""
        if not index.isValid():
            return
        viewer_id = index.data(CommentRole.VIEWER_ID)
        if viewer_id is None:
            return
        self.targetRequested.emit(
            int(viewer_id),
            str(index.data(CommentRole.NICKNAME) or ""),
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
        )


# --- the widget ---------------------------------------------------------------------------


class _CommentList(QListView):
    """A list that says when the pointer rests on it, and when Enter is pressed on a row."""

    hoverChanged = Signal(bool)  # the pointer is on the list
    enterPressed = Signal(QModelIndex)  # Enter on the current row

    def enterEvent(self, event: QEnterEvent) -> None:
        """Override QWidget::enterEvent: the pointer came onto the list (or its scroll bar)."""
        super().enterEvent(event)
        self.hoverChanged.emit(True)

    def leaveEvent(self, event: QEvent) -> None:
        """Override QWidget::leaveEvent: the pointer left the list."""
        super().leaveEvent(event)
        self.hoverChanged.emit(False)

    def hideEvent(self, event: QHideEvent) -> None:
        """Override QWidget::hideEvent: a hidden list gets no leave event; resume anyway."""
        super().hideEvent(event)
        self.hoverChanged.emit(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Override QAbstractItemView::keyPressEvent: Enter on a comment asks for its viewer."""
        current = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
            self.enterPressed.emit(current)
            event.accept()
            return
        super().keyPressEvent(event)


class CommentView(QWidget):
    """The live comment list with its "intent only" switch and pause indicator.

    The pointer resting on the list pauses the feed ("已暂停，N 条新评论");
    leaving resumes it, and the list follows the newest comment again. "+" on a
    row, or Enter on the selected row, emits ``targetRequested(viewer_id, nickname, text)``.
    Without a ``feed`` the view makes its own; a feed without a parent becomes the view's.
    """

    targetRequested = Signal(int, str, str)  # viewer id, nickname, comment: a targeted flash-buy

    def __init__(self, feed: CommentFeed | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feed = feed if feed is not None else CommentFeed(parent=self)
        if self.feed.parent() is None:
            self.feed.setParent(self)  # a feed without an owner lives as long as the view
        self.filter = IntentFilter(self)
        self.filter.setSourceModel(self.feed.model)
        self.delegate = CommentDelegate(self)

        self.list_view = _CommentList(self)
        self.list_view.setModel(self.filter)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setUniformItemSizes(True)  # one sizeHint for all rows: cheap layout
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setMouseTracking(True)
        self.list_view.setAccessibleName(self.tr("Live comments"))

        self.intent_only = QCheckBox(self.tr("Purchase intent only"), self)
        self.intent_only.setToolTip(
            # The examples are what viewers type, which is what the filter matches.
            self.tr(
                "Show only comments that ask to buy or ask a price, like “要了”, “3号多少钱”, “#3”"
            )
        )
        self.paused_label = QLabel(self)
        self.paused_label.setStyleSheet(
            "QLabel { background: #fff1d6; color: #7a3b00; border-radius: 4px; padding: 1px 6px; }"
        )
        self.paused_label.hide()

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.intent_only)
        bar.addStretch(1)
        bar.addWidget(self.paused_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.list_view, 1)

        # Paused while the pointer rests on the list, or while the seller holds it (hotkey).
        self._hover = False
        self._held = False
        self.hold_key = ""  # the hotkey's text, to say how to go on

        self.intent_only.toggled.connect(self._set_intent_only)
        self.list_view.hoverChanged.connect(self._hovered)
        self.list_view.enterPressed.connect(self.delegate.request_target)
        self.delegate.targetRequested.connect(self.targetRequested)
        self.filter.rowsInserted.connect(self._follow)
        self._connect_feed(self.feed)

    @property
    def model(self) -> CommentListModel:
        """The comments shown (before the intent filter)."""
        return self.feed.model

    def attach_feed(self, feed: CommentFeed) -> None:
        """Show ``feed`` (and its model) instead of the current one; hovering pauses it.

        A feed (or the current feed's model) without another owner is kept by the view.
        """
        if feed is self.feed:
            return
        old = self.feed
        old.set_paused(False)
        old.pausedChanged.disconnect(self._show_pause)
        old.pendingChanged.disconnect(self._show_pause)
        if feed.model.parent() is old:
            feed.model.setParent(feed)  # the model outlives the feed it came with
        if feed.parent() is None:
            feed.setParent(self)
        if old.parent() is self:
            old.deleteLater()
        self.feed = feed
        if self.filter.sourceModel() is not feed.model:
            self.filter.setSourceModel(feed.model)
        self._connect_feed(feed)
        self._show_pause()
        self._follow()

    def _connect_feed(self, feed: CommentFeed) -> None:
        feed.pausedChanged.connect(self._show_pause)
        feed.pendingChanged.connect(self._show_pause)

    @Slot(bool)
    def _hovered(self, inside: bool) -> None:
        self._hover = inside
        self.feed.set_paused(self._hover or self._held)

    def is_held(self) -> bool:
        """Whether the seller paused the list by hotkey (it stays paused until released)."""
        return self._held

    @Slot()
    def toggle_hold(self) -> None:
        """The pause-comments hotkey: hold the list still, or let it go on."""
        self._held = not self._held
        self.feed.set_paused(self._hover or self._held)
        self._show_pause()

    @Slot(bool)
    def _set_intent_only(self, on: bool) -> None:
        self.filter.setIntentOnly(on)
        self._follow()

    @Slot()
    def _follow(self) -> None:
        if not self.feed.is_paused():
            self.list_view.scrollToBottom()

    @Slot()
    def _show_pause(self) -> None:
        if not self.feed.is_paused():
            self.paused_label.hide()
            return
        count = self.feed.pending_count()
        if count:
            self.paused_label.setText(self.tr("Paused, %n new comment(s)", "", count))
        elif self._held:
            self.paused_label.setText(
                self.tr("Paused (press {key} to go on)").format(key=self.hold_key)
            )
        else:
            self.paused_label.setText(self.tr("Paused (move the pointer away to go on)"))
        self.paused_label.show()
