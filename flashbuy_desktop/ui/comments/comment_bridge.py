"""The hand-off of comments from the event-stream thread to the GUI thread, coalesced.

:meth:`CommentBridge.on_event` may be called from any thread (pass it as
:class:`~flashbuy_desktop.api.events.EventStream`'s ``on_event``): it parses comment events
there, off the GUI thread, and puts the comments in an inbox under a lock. Only the first
comment of an empty inbox emits a signal without arguments; the bridge lives on the GUI
thread and the signal is connected queued, so Qt runs the drain on the GUI thread, which
takes the whole inbox at once. However fast comments come, the GUI thread gets one call per
turn of its event loop, and no Qt object is touched from the worker.
"""

import threading
from collections import deque

from PySide6.QtCore import QObject, Qt, Signal, Slot

from flashbuy_desktop.api.events import understood
from flashbuy_desktop.ui.comments.comment_feed import CommentFeed
from flashbuy_desktop.ui.comments.comment_model import DEFAULT_CAPACITY
from flashbuy_protocol.events import EventType
from flashbuy_protocol.models import Comment, Event


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
        if event.type != EventType.COMMENT_POSTED:
            return
        comment = understood(event)  # logs what it cannot read
        if isinstance(comment, Comment):
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
