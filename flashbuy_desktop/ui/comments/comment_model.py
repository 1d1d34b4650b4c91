"""The comment ring: the newest comments, oldest first, each comment id at most once."""

from collections import deque
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from flashbuy_desktop.room.comment_rows import (
    INTENT,
    NICKNAME,
    TEXT,
    TIME,
    VIEWER,
    Row,
    comment_of,
    row_of,
)
from flashbuy_protocol.models import Comment

DEFAULT_CAPACITY = 5_000  # rows the list keeps; older ones scroll out for good

_ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex
_USER_ROLE = int(Qt.ItemDataRole.UserRole)


class CommentRole(IntEnum):
    """The model's own data roles (besides DisplayRole, which is the comment's text)."""

    NICKNAME = _USER_ROLE + 1
    VIEWER_ID = _USER_ROLE + 2
    TIME = _USER_ROLE + 3  # created_at in local time, "HH:MM:SS"
    INTENT = _USER_ROLE + 4  # bool: is_purchase_intent(text)
    COMMENT = _USER_ROLE + 5  # the Comment itself


ROW_ROLE = _USER_ROLE + 100  # the whole Row, so the delegate asks once per paint

_GETTERS: dict[int, Callable[[Row], Any]] = {
    ROW_ROLE: lambda row: row,
    int(Qt.ItemDataRole.DisplayRole): lambda row: row[TEXT],
    int(Qt.ItemDataRole.ToolTipRole): lambda row: QCoreApplication.translate(
        "Comments", "{nickname}: {text}"
    ).format(nickname=row[NICKNAME], text=row[TEXT]),
    int(Qt.ItemDataRole.AccessibleTextRole): lambda row: QCoreApplication.translate(
        "Comments", "{nickname}: {text} {time}"
    ).format(nickname=row[NICKNAME], text=row[TEXT], time=row[TIME]),
    int(CommentRole.NICKNAME): lambda row: row[NICKNAME],
    int(CommentRole.VIEWER_ID): lambda row: row[VIEWER],
    int(CommentRole.TIME): lambda row: row[TIME],
    int(CommentRole.INTENT): lambda row: row[INTENT],
    int(CommentRole.COMMENT): comment_of,
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
        self._rows: list[Row] = []
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
        return comment_of(self._rows[row])

    def append(self, comments: Sequence[Comment]) -> int:
        """Add new comments at the end (one insert); drop the oldest beyond capacity.

        Comments whose id the list already has are skipped. Returns how many rows
        were inserted.
        """
        fresh: list[Row] = []
        for comment in comments:
            if comment.id in self._seen:
                continue
            self._remember(comment.id)
            fresh.append(row_of(comment))
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

    def rowCount(self, parent: Index = _ROOT) -> int:
        """Override QAbstractItemModel::rowCount: a list has rows only under the root."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel::data: the comment's text or one of :class:`CommentRole`."""
        if not index.isValid() or index.column() != 0 or not 0 <= index.row() < len(self._rows):
            return None
        getter = _GETTERS.get(int(role))
        return None if getter is None else getter(self._rows[index.row()])

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Override QAbstractItemModel::flags: rows are selectable, never editable."""
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def roleNames(self) -> dict[int, QByteArray]:
        """Override QAbstractItemModel::roleNames: names for QML and debugging."""
        names = dict(super().roleNames())
        for role in CommentRole:
            names[int(role)] = QByteArray(role.name.lower().encode())
        return names
