"""A table header whose sort arrow points the way sellers know: ▲ ascending, ▼ descending.

Windows Explorer, macOS Finder and most web tables show ▲ (or ^) on a column sorted
ascending. QHeaderView asks the style for ``SortDown`` when sorted ascending; Fusion (Qt's
style on Linux) draws that as ▼, while the classic Windows style draws it as △ already.
:class:`SortHeader` asks the style once how it draws ``SortDown`` (by painting it into a
small image and looking at the triangle) and swaps the two only where ascending would
otherwise point down, so every style ends up with ▲ for ascending.
"""

from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

_SORT = QStyleOptionHeader.SortIndicator
_PROBE_SIDE = 16


def arrow_points_up(ink_per_row: Sequence[int]) -> bool | None:
    """Whether a triangle painted with ``ink_per_row`` inked pixels per row points up.

    ▲ has its narrow end on top and its wide end at the bottom; ▼ the other way.
    None when there is no ink, or the rows do not tell (a square, say).
    """
    rows = [n for n in ink_per_row if n > 0]
    if len(rows) < 2 or rows[0] == rows[-1]:
        return None
    return rows[0] < rows[-1]


def _ink_per_row(image: QImage) -> list[int]:
    return [
        sum(1 for x in range(image.width()) if image.pixelColor(x, y).alpha() > 64)
        for y in range(image.height())
    ]


def style_points_ascending_down(style: QStyle, widget: QWidget | None = None) -> bool:
    """Whether ``style`` draws a header's ascending indicator (``SortDown``) as ▼."""
    image = QImage(_PROBE_SIDE, _PROBE_SIDE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    option = QStyleOptionHeader()
    option.rect = QRect(0, 0, _PROBE_SIDE, _PROBE_SIDE)
    option.state = QStyle.StateFlag.State_Enabled
    option.sortIndicator = _SORT.SortDown
    # Opaque ink on a transparent probe, never shown: only its alpha is read, so this is
    # no colour of the console's (those come from the theme).
    palette = QPalette(option.palette)
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(role, QColor(Qt.GlobalColor.black))
    option.palette = palette
    painter = QPainter(image)
    try:
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, option, painter, widget
        )
    finally:
        painter.end()
    up = arrow_points_up(_ink_per_row(image))
    if up is None:  # the style drew nothing we can read: trust what Qt's styles do
        return style.name().casefold() != "macos"
    return not up


class SortHeader(QHeaderView):
    """A horizontal header whose sort arrow shows ▲ for ascending, in any style."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)  # as QTableView's own header: a click sorts
        self._style_key = ""
        self._flip = False

    def _flips(self) -> bool:
        style = self.style()
        key = f"{style.name()}:{id(style)}"
        if key != self._style_key:
            self._style_key = key
            self._flip = style_points_ascending_down(style, self)
        return self._flip

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logicalIndex: int) -> None:  # noqa: N803
        """Override QHeaderView::initStyleOptionForIndex: the arrow the seller expects."""
        super().initStyleOptionForIndex(option, logicalIndex)
        if option.sortIndicator == _SORT.None_ or not self._flips():
            return
        option.sortIndicator = (
            _SORT.SortUp if option.sortIndicator == _SORT.SortDown else _SORT.SortDown
        )
