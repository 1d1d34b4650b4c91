"""The live comment list as the main window shows it: the list, its switch and its pause pill.

Hovering the list pauses the feed, leaving resumes it; it follows the newest comment while
not paused. Typical wiring (the main window's job)::

    view = CommentView()
    bridge = CommentBridge(view.feed, parent=view)  # the feed the view shows
    stream = EventStream(client, room_id, after=room.last_event_id, on_event=bridge.on_event)
    # run stream.run on a worker thread; at shutdown: stream.stop(), join the thread,
    # and only then delete the bridge (a worker must never emit on a deleted object).
"""

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QEnterEvent, QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.room.viewer_book import ViewerBook
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.comments.comment_delegate import CommentDelegate
from flashbuy_desktop.ui.comments.comment_feed import CommentFeed
from flashbuy_desktop.ui.comments.comment_model import CommentListModel
from flashbuy_desktop.ui.comments.intent_filter import IntentFilter
from flashbuy_desktop.ui.theme import Tone
from flashbuy_protocol.models import ViewerRecord


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
    row, or Enter on the selected row, emits ``targetRequested(viewer_id, nickname, text)``;
    a click on a nickname ``viewerRequested(viewer_id, nickname)`` (the viewer's card), and
    "hand over" (shown by :meth:`set_hand_over_shown`) ``handOverRequested``. Each row shows
    its viewer's badges from :attr:`records`. Without a ``feed`` the view makes its own; a
    feed without a parent becomes the view's.
    """

    targetRequested = Signal(int, str, str)  # viewer id, nickname, comment: a targeted flash-buy
    viewerRequested = Signal(int, str)  # viewer id, nickname: open the viewer's card
    handOverRequested = Signal(int, str)  # viewer id, nickname: give them a waiting piece

    def __init__(self, feed: CommentFeed | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feed = feed if feed is not None else CommentFeed(parent=self)
        if self.feed.parent() is None:
            self.feed.setParent(self)  # a feed without an owner lives as long as the view
        self.filter = IntentFilter(self)
        self.filter.setSourceModel(self.feed.model)
        self.records = ViewerBook()  # the viewers' records, for the badges
        self.delegate = CommentDelegate(self, book=self.records)

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
        theme.set_tone(self.paused_label, Tone.PILL)
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
        self.delegate.viewerRequested.connect(self.viewerRequested)
        self.delegate.handOverRequested.connect(self.handOverRequested)
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

    def load_records(self, records: Iterable[ViewerRecord]) -> None:
        """The viewers' records of the live shown (replacing any other): badges for every row."""
        self.records.load(records)
        self.list_view.viewport().update()

    def put_record(self, record: ViewerRecord) -> None:
        """One viewer's newer record (a ``viewer.record`` event): their rows repaint."""
        if self.records.put(record):
            self.list_view.viewport().update()

    def set_hand_over_shown(self, shown: bool) -> None:
        """Show "hand over" on the rows while a piece that came back waits for a buyer."""
        if shown != self.delegate.hand_over_shown():
            self.delegate.set_hand_over_shown(shown)
            self.list_view.viewport().update()

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
        self.filter.set_intent_only(on)
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
