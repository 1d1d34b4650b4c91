"""Comments in, batched inserts out: one insert per tick, nothing while paused.

:meth:`CommentFeed.push` is cheap enough for thousands of comments a second; a timer moves
them into the model about 15 times a second, at most ``max_rows_per_tick`` rows each, so a
backlog after a pause drains smoothly instead of in one jump.
"""

from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from flashbuy_desktop.ui.comments.comment_model import CommentListModel
from flashbuy_protocol.models import Comment

FLUSH_INTERVAL_MS = 66  # ~15 inserts (and repaints) a second, whatever the comment rate
MAX_ROWS_PER_TICK = 500  # a catch-up never inserts more at once (7,500 rows/s at most)


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
