"""The painting of one comment row: nickname, badges, text (intent warm), time, "+".

A nickname is whole wherever it fits (:func:`~flashbuy_desktop.room.listing.nickname_width`);
one too long for its row is cut, and the pointer resting on it shows it whole. After it come
the viewer's badges (跑单 2, 回头客 5, 已拉黑), from the viewers' records
(:class:`~flashbuy_desktop.room.viewer_book.ViewerBook`); a blocked viewer's words are faint.
A click on the nickname asks for the viewer's card. While a piece that came back waits for a
buyer, a "hand over" button shows left of "+".
"""

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QObject,
    QRect,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
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

from flashbuy_desktop.room.comment_rows import INTENT, TEXT, TIME, VIEWER, Row
from flashbuy_desktop.room.viewer_book import ViewerBook
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.comments.comment_look import PAD, Look, Parts, parts
from flashbuy_desktop.ui.comments.comment_look import button_rect as _button_rect
from flashbuy_desktop.ui.comments.comment_model import ROW_ROLE, CommentRole, Index
from flashbuy_desktop.ui.viewers.words import BadgeLook, badge_look

_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_RIGHT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
_SELECTED = QStyle.StateFlag.State_Selected.value
_HOVER = QStyle.StateFlag.State_MouseOver.value
_BUTTON = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
_BUTTON_HOVER = _BUTTON | QStyle.StateFlag.State_MouseOver
_BADGE_GAP = 3  # between two badges
_BADGE_PAD = 4  # inside a badge, left and right

# A badge as painted: its look and its width in pixels.
_Painted = tuple[BadgeLook, int]


class CommentDelegate(QStyledItemDelegate):
    """Paints a comment on one line: nickname, badges, text, time, and "+" at the right edge.

    A click on "+" emits ``targetRequested(viewer_id, nickname, text)``, one on the
    nickname ``viewerRequested(viewer_id, nickname)``, one on "hand over" (shown only
    after :meth:`set_hand_over_shown`) ``handOverRequested(viewer_id, nickname)``; none of
    these clicks selects the row. Painting asks the model once per row and keeps fonts,
    metrics and badges between rows: in a flood every row painted costs GUI time.
    """

    targetRequested = Signal(int, str, str)  # viewer id, nickname, the comment's text
    viewerRequested = Signal(int, str)  # viewer id, nickname: the viewer's card
    handOverRequested = Signal(int, str)  # viewer id, nickname: give them a waiting piece

    def __init__(self, parent: QObject | None = None, *, book: ViewerBook | None = None) -> None:
        super().__init__(parent)
        self._look: Look | None = None
        self._plus = QStyleOptionButton()
        self._plus.text = "+"
        self._hand_over = QStyleOptionButton()
        self._hand_over.text = self.tr("Hand over to this viewer")
        self._hand_over_width = 0  # 0: the button is not shown
        self.book = book if book is not None else ViewerBook()
        # Badges as painted, per viewer, for the book's version and the look they were made for.
        self._badges: dict[int, tuple[_Painted, ...]] = {}
        self._badges_key: tuple[int, int] = (-1, -1)

    def set_hand_over_shown(self, shown: bool) -> None:
        """Show the "hand over" button on every row (a piece waits for a buyer), or not."""
        self._hand_over_width = (
            QFontMetrics(self._look.font if self._look else QApplication.font()).horizontalAdvance(
                self._hand_over.text
            )
            + 4 * PAD
            if shown
            else 0
        )

    def hand_over_shown(self) -> bool:
        """Whether the "hand over" button shows."""
        return self._hand_over_width > 0

    def _badges_for(self, look: Look, viewer_id: int) -> tuple[_Painted, ...]:
        key = (self.book.version, id(look))
        if key != self._badges_key:
            self._badges.clear()
            self._badges_key = key
        painted = self._badges.get(viewer_id)
        if painted is None:
            metrics = look.plain_metrics
            painted = tuple(
                (badge, metrics.horizontalAdvance(badge.text) + 2 * _BADGE_PAD)
                for badge in map(badge_look, self.book.badges(viewer_id))
            )
            self._badges[viewer_id] = painted
        return painted

    def _parts(self, look: Look, rect: QRect, row: Row) -> tuple[Parts, tuple[_Painted, ...]]:
        painted = self._badges_for(look, row[VIEWER])
        width = sum(w + _BADGE_GAP for _b, w in painted)
        where = parts(look, rect, row, badges_width=width, hand_over_width=self._hand_over_width)
        return where, painted

    def nickname_rect(self, index: Index, rect: QRect) -> QRect:
        """Where the nickname of the row at ``index`` is painted in ``rect`` (a click target)."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, tuple):
            return QRect()
        look = self._look or Look(QApplication.font(), QApplication.palette())
        where, _painted = self._parts(look, rect, row)
        return QRect(rect.x() + PAD, rect.y(), where.nick_width, rect.height())

    def hand_over_rect(self, index: Index, rect: QRect) -> QRect:
        """Where the "hand over" button of the row at ``index`` is (empty: not shown)."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, tuple) or not self._hand_over_width:
            return QRect()
        look = self._look or Look(QApplication.font(), QApplication.palette())
        return self._parts(look, rect, row)[0].hand_over

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

        where, painted = self._parts(look, rect, row)
        button, time_left, text_left = where.button, where.time_left, where.text_left
        text_width = max(0, time_left - PAD - text_left)
        blocked = self.book.is_blocked(row[VIEWER])
        faint = theme.colour("faint")

        painter.setFont(look.bold)
        if selected:
            painter.setPen(look.highlighted)
        else:
            painter.setPen(faint if blocked else look.nick_color(row[VIEWER]))
        painter.drawText(left + PAD, top, where.nick_width, height, _LEFT, where.nickname)
        if painted:
            self._paint_badges(painter, look, where.badges_left, rect, painted)
        metrics = look.bold_metrics if intent else look.plain_metrics
        if not intent:
            painter.setFont(look.font)
        if selected:
            painter.setPen(look.highlighted)
        elif blocked:
            painter.setPen(faint)
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
        if not where.hand_over.isEmpty():
            hand_over = self._hand_over
            hand_over.palette = option.palette
            hand_over.rect = where.hand_over
            hand_over.state = plus.state
            style.drawControl(QStyle.ControlElement.CE_PushButton, hand_over, painter, widget)
        painter.restore()

    @staticmethod
    def _paint_badges(
        painter: QPainter, look: Look, x: int, rect: QRect, painted: tuple[_Painted, ...]
    ) -> None:
        painter.setFont(look.font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = look.plain_metrics.height()
        top = rect.y() + (rect.height() - height) // 2
        for badge, width in painted:
            box = QRect(x, top, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(badge.background)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(badge.foreground)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge.text)
            x += width + _BADGE_GAP

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """Override QAbstractItemDelegate::editorEvent: "+", "hand over" and the nickname take
        their clicks."""
        if not isinstance(event, QMouseEvent):
            return bool(super().editorEvent(event, model, option, index))
        at = event.position().toPoint()
        released = (
            event.type() == QEvent.Type.MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton
        )
        if self.button_rect(option.rect).contains(at):
            if released:
                self.request_target(index)
            return True  # press, release and double-click on "+" never reach the row
        if self.hand_over_rect(index, option.rect).contains(at):
            if released:
                self._emit_viewer(index, self.handOverRequested)
            return True
        if event.type() != QEvent.Type.MouseMove and self.nickname_rect(
            index, option.rect
        ).contains(at):
            if released:
                self._emit_viewer(index, self.viewerRequested)
            return True
        return bool(super().editorEvent(event, model, option, index))

    @staticmethod
    def _emit_viewer(index: Index, signal: SignalInstance) -> None:
        viewer_id = index.data(CommentRole.VIEWER_ID)
        if viewer_id is not None:
            signal.emit(int(viewer_id), str(index.data(CommentRole.NICKNAME) or ""))

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
        if self.hand_over_rect(index, option.rect).contains(event.pos()):
            QToolTip.showText(
                event.globalPos(),
                self.tr("Give the piece that came back to {nickname}").format(nickname=nickname),
                view,
            )
            return True
        row = index.data(ROW_ROLE)
        if isinstance(row, tuple):
            look = self._look_for(option)
            where, _painted = self._parts(look, option.rect, row)
            whole = look.nick_format.format(nickname=nickname)
            left, top = option.rect.x(), option.rect.y()
            name_rect = QRect(left, top, where.badges_left - left, option.rect.height())
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
        return self._parts(look, rect, row)[0].nickname

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
