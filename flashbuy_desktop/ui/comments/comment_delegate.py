"""The painting of one comment row: nickname, text (intent on a warm background), time, "+".

A nickname is whole wherever it fits (:func:`~flashbuy_desktop.room.listing.nickname_width`);
one too long for its row is cut, and the pointer resting on it shows it whole.
"""

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QHelpEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QToolTip,
)

from flashbuy_desktop.room.comment_rows import INTENT, TEXT, TIME, VIEWER
from flashbuy_desktop.ui.comments.comment_look import PAD, Look, parts
from flashbuy_desktop.ui.comments.comment_look import button_rect as _button_rect
from flashbuy_desktop.ui.comments.comment_model import ROW_ROLE, CommentRole, Index

_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_RIGHT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
_SELECTED = QStyle.StateFlag.State_Selected.value
_HOVER = QStyle.StateFlag.State_MouseOver.value
_BUTTON = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
_BUTTON_HOVER = _BUTTON | QStyle.StateFlag.State_MouseOver


class CommentDelegate(QStyledItemDelegate):
    """Paints a comment on one line: nickname, text, time, and a "+" button at the right edge.

    A click on "+" emits ``targetRequested(viewer_id, nickname, text)``; the click does
    not select the row. Painting asks the model once per row and keeps fonts and
    metrics between rows: in a flood every row painted costs GUI time.
    """

    targetRequested = Signal(int, str, str)  # viewer id, nickname, the comment's text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._look: Look | None = None
        self._plus = QStyleOptionButton()
        self._plus.text = "+"

    @staticmethod
    def button_rect(row: QRect) -> QRect:
        """Where the "+" button of a row at ``row`` (the item's rect in the viewport) is."""
        return _button_rect(row)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Override QStyledItemDelegate::sizeHint: one line of text, whatever its length."""
        height = QFontMetrics(option.font).height() + 2 * PAD
        return QSize(max(option.rect.width(), 240), max(height, 22))

    def _look_for(self, option: QStyleOptionViewItem) -> Look:
        look = self._look
        palette = option.palette
        if look is None or look.font != option.font or look.palette_key != palette.cacheKey():
            look = self._look = Look(option.font, palette)
            self._plus.palette = palette
        return look

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Override QStyledItemDelegate::paint."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, tuple):  # not one of our models: paint it the plain way
            super().paint(painter, option, index)
            return
        look = self._look_for(option)
        intent = row[INTENT]
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

        where = parts(look, rect, row)
        button, time_left, text_left = where.button, where.time_left, where.text_left
        text_width = max(0, time_left - PAD - text_left)

        painter.setFont(look.bold)
        painter.setPen(look.highlighted if selected else look.nick_color(row[VIEWER]))
        painter.drawText(left + PAD, top, where.nick_width, height, _LEFT, where.nickname)
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
            metrics.elidedText(row[TEXT], Qt.TextElideMode.ElideRight, text_width),
        )
        painter.setFont(look.font)
        painter.setPen(look.highlighted if selected else look.time)
        painter.drawText(time_left, top, look.time_width, height, _RIGHT, row[TIME])

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
        index: Index,
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
        index: Index,
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
        row = index.data(ROW_ROLE)
        if isinstance(row, tuple):
            look = self._look_for(option)
            where = parts(look, option.rect, row)
            whole = look.nick_format.format(nickname=nickname)
            left, top = option.rect.x(), option.rect.y()
            name_rect = QRect(left, top, where.text_left - left, option.rect.height())
            if where.nickname != whole and name_rect.contains(event.pos()):
                QToolTip.showText(event.globalPos(), nickname, view, name_rect)
                return True
        return bool(super().helpEvent(event, view, option, index))

    def painted_nickname(self, index: Index, rect: QRect) -> str:
        """The nickname (with its colon) as :meth:`paint` draws it in ``rect``: whole or cut.

        Uses the font and palette of the last paint (the view's own), or the
        application's before the first one.
        """
        row = index.data(ROW_ROLE)
        if not isinstance(row, tuple):
            return ""
        look = self._look or Look(QApplication.font(), QApplication.palette())
        return parts(look, rect, row).nickname

    def request_target(self, index: Index) -> None:
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
