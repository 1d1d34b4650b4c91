"""The "purchase intent only" switch of the comment list, as a filter proxy."""

from PySide6.QtCore import QObject, QSortFilterProxyModel

from flashbuy_desktop.ui.comments.comment_model import CommentRole, Index


class IntentFilter(QSortFilterProxyModel):
    """Passes every comment, or only purchase intent after ``set_intent_only(True)``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._intent_only = False

    def is_intent_only(self) -> bool:
        """Whether only purchase intent passes."""
        return self._intent_only

    def set_intent_only(self, on: bool) -> None:
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

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Override QSortFilterProxyModel::filterAcceptsRow: everything, or intent only."""
        if not self._intent_only:
            return True
        source = self.sourceModel()
        return bool(source.data(source.index(source_row, 0, source_parent), CommentRole.INTENT))
