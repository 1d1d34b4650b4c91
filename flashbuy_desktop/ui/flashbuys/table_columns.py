"""The flash-buy table's columns and the data roles it answers beyond Qt's own."""

from enum import IntEnum

from PySide6.QtCore import Qt

THUMBNAIL_PX = 48
ROW_HEIGHT_PX = THUMBNAIL_PX + 8


class Column(IntEnum):
    """The table's columns, left to right."""

    PICTURE = 0
    TITLE = 1
    PRICE = 2
    SOLD = 3
    BUYERS = 4
    MODE = 5
    STATUS = 6
    CREATED = 7


class Role(IntEnum):
    """Data roles beyond Qt's, for sorting and filtering by value."""

    SORT = Qt.ItemDataRole.UserRole.value + 1  # the column's raw value: fen, timestamp, rank
    ID = Qt.ItemDataRole.UserRole.value + 2  # flash-buy id (int)
    PRICE_FEN = Qt.ItemDataRole.UserRole.value + 3  # int
    CREATED_AT = Qt.ItemDataRole.UserRole.value + 4  # POSIX timestamp (float)
    STATUS = Qt.ItemDataRole.UserRole.value + 5  # FlashBuyStatus value (str)
    MODE = Qt.ItemDataRole.UserRole.value + 6  # Mode value (str)
    CATEGORY_ID = Qt.ItemDataRole.UserRole.value + 7  # int
    FLASHBUY = Qt.ItemDataRole.UserRole.value + 8  # the FlashBuy itself
    BUYERS = Qt.ItemDataRole.UserRole.value + 9  # list[str] of buyers' nicknames


# Qt's roles as plain ints, compared on every paint.
DISPLAY = Qt.ItemDataRole.DisplayRole.value
DECORATION = Qt.ItemDataRole.DecorationRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
INITIAL_SORT = Qt.ItemDataRole.InitialSortOrderRole.value

# The order a first click on a column sorts by: ascending (▲), but the newest first.
FIRST_ORDER: dict[int, Qt.SortOrder] = {Column.CREATED: Qt.SortOrder.DescendingOrder}
