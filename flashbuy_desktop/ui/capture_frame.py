"""The capture frame: a see-through, always-on-top frame the seller aims over the stream preview.

The window is the capture rectangle grown by a thin chrome band (:data:`MARGIN`) that
holds the coloured border and the corner handles, so a grab of :meth:`CaptureFrame.region`
never contains the frame's own pixels. The inside is see-through: on a compositing
desktop it is painted with an alpha of 1/255 (invisible, yet it still takes the mouse so
the seller can drag from inside); on an X11 desktop without a compositor, where alpha is
not honoured, the inside is cut out of the window with a shape mask and the frame is
dragged by its border instead.

A tab above the top border (:data:`TAB`) is the frame's visible grip: drag it to move the
frame. At first start (no saved place yet) it also says how to move and resize the frame.

It never takes the keyboard, so the streaming software keeps it.
"""

import logging
from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from flashbuy_desktop.capture.geometry import to_physical
from flashbuy_desktop.capture.placement import frame_beside
from flashbuy_desktop.capture.types import CaptureError, Region
from flashbuy_desktop.capture.x11_windows import compositor_running
from flashbuy_desktop.services.screens import qt_screens
from flashbuy_desktop.services.window_watch import SEE_THROUGH
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui import theme

log = logging.getLogger(__name__)

MARGIN = 12  # logical px of chrome around the capture rectangle (border + handles)
TAB = 24  # logical px of the grip tab above the top band (drag it to move the frame)
BORDER = 3  # the coloured border, just outside the capture rectangle
GRIP = 7  # the outer part of an edge that resizes; the rest of the band moves
CORNER = 26  # a corner handle's reach along each edge
HANDLE = 5  # a corner handle's thickness
TAB_PADDING = 8  # around the tab's words
RIM = 1  # a dark rim around border and handles
MIN_SIZE = QSize(160, 120)  # of the capture rectangle, logical px
DEFAULT_SIZE = QSize(640, 360)


@dataclass(frozen=True)
class _Edges:
    left: bool = False
    top: bool = False
    right: bool = False
    bottom: bool = False

    def any(self) -> bool:
        return self.left or self.top or self.right or self.bottom


_MOVE = _Edges()


def _x11_without_compositor() -> bool:
    """True on an X11 display where no compositing manager runs (alpha is not honoured)."""
    return QGuiApplication.platformName() == "xcb" and not compositor_running()


class CaptureFrame(QWidget):
    """A frameless, see-through, always-on-top frame; drag to move, edges to resize."""

    geometryCommitted = Signal(QRect)  # the capture rectangle (logical) after a move/resize

    def __init__(self, parent: QWidget | None = None, *, shape_mask: bool | None = None) -> None:
        super().__init__(parent)
        self.setProperty(SEE_THROUGH, True)  # never counted as covering what it captures
        self._flags = (
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setWindowFlags(self._flags)
        self.setWindowTitle(self.tr("Capture frame"))
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(MIN_SIZE.grownBy(_margins()))
        self._shape_mask = _x11_without_compositor() if shape_mask is None else shape_mask
        self._locked = False
        self._drag: _Edges | None = None  # None: no drag; _MOVE: moving; else resizing
        self._first_start = False  # no saved place yet: the tab says how to move it
        self._press_global = QPoint()
        self._press_geometry = QRect()
        self.set_capture_rect(self._default_rect())

    # --- geometry ---------------------------------------------------------------------

    def capture_rect(self) -> QRect:
        """The rectangle inside the border, in logical desktop coordinates."""
        return self.geometry().marginsRemoved(_margins())

    def set_capture_rect(self, rect: QRect) -> None:
        """Place the capture rectangle (logical), no smaller than :data:`MIN_SIZE`."""
        rect = QRect(rect.topLeft(), rect.size().expandedTo(MIN_SIZE))
        self.setGeometry(rect.marginsAdded(_margins()))

    def region(self) -> Region:
        """The capture rectangle in physical (mss) pixels; raises OffScreenError off-screen."""
        r = self.capture_rect()
        return to_physical((r.x(), r.y(), r.width(), r.height()), qt_screens())

    def restore(self, settings: ConsoleSettings) -> None:
        """Put the frame where the seller left it, or centred when that is off every screen."""
        self._first_start = settings.capture_frame is None
        if settings.capture_frame is None:
            self.set_capture_rect(self._default_rect())
            return
        self.set_capture_rect(QRect(*settings.capture_frame))
        try:
            self.region()
        except CaptureError:  # the monitor it was on is gone
            log.info("the saved capture frame is off every screen; centring it")
            self.set_capture_rect(self._default_rect())

    def is_first_start(self) -> bool:
        """Whether the seller has not placed the frame yet (no saved place)."""
        return self._first_start

    def place_beside(self, window: QRect) -> None:
        """First start: put the frame beside ``window`` (the main window), never on it."""
        screen = QGuiApplication.screenAt(window.center()) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        margins = _margins()
        # The whole frame, chrome included, goes beside the window.
        outer = DEFAULT_SIZE.grownBy(margins)
        smallest = MIN_SIZE.grownBy(margins)
        x, y, w, h = frame_beside(
            (window.x(), window.y(), window.width(), window.height()),
            (area.x(), area.y(), area.width(), area.height()),
            (outer.width(), outer.height()),
            (smallest.width(), smallest.height()),
        )
        self.set_capture_rect(QRect(x, y, w, h).marginsRemoved(margins))

    def retranslate(self) -> None:
        """Say the frame's words again in the language just installed."""
        self.setWindowTitle(self.tr("Capture frame"))
        self._update_mask()
        self.update()

    def tab_text(self) -> str:
        """What the grip tab says: how to move and resize at first start, else its name."""
        if self._first_start:
            return self.tr("⠿ Drag here to move · drag the corners to resize")
        return self.tr("⠿ Capture frame")

    def tab_rect(self) -> QRect:
        """The grip tab, in the window's coordinates: above the top border, at the left."""
        metrics = QFontMetrics(self._tab_font())
        width = metrics.horizontalAdvance(self.tab_text()) + 2 * TAB_PADDING
        width = min(max(width, 80), self.width() - 2 * CORNER)
        return QRect(CORNER, 0, width, TAB)

    def _tab_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(13)
        return font

    def save_into(self, settings: ConsoleSettings) -> None:
        """Write the capture rectangle into ``settings`` (the caller saves the file)."""
        r = self.capture_rect()
        settings.capture_frame = (r.x(), r.y(), r.width(), r.height())

    def _default_rect(self) -> QRect:
        screen = QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1280, 720)
        size = DEFAULT_SIZE.boundedTo(area.size()).expandedTo(MIN_SIZE)
        rect = QRect(QPoint(0, 0), size)
        rect.moveCenter(area.center())
        return rect

    # --- lock -------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """Locked: no move or resize, and clicks pass through to what lies below."""
        if locked == self._locked:
            return
        self._locked = locked
        self._drag = None
        self.unsetCursor()
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, locked)
        visible = self.isVisible()
        flags = self._flags | Qt.WindowType.WindowTransparentForInput if locked else self._flags
        self.setWindowFlags(flags)  # hides the window; show it again as it was
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        if visible:
            self.show()
        self._update_mask()
        self.update()

    # --- mouse ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._locked or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._drag = self._edges_at(event.position().toPoint())
        self._press_global = event.globalPosition().toPoint()
        self._press_geometry = self.geometry()
        self.setCursor(_cursor_for(self._drag))
        if self._drag.any():
            self._update_mask()
            self.update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._locked:
            event.ignore()
            return
        if self._drag is None:
            self.setCursor(_cursor_for(self._edges_at(event.position().toPoint())))
            return
        delta = event.globalPosition().toPoint() - self._press_global
        if self._drag == _MOVE:
            self.move(self._press_geometry.topLeft() + delta)
        else:
            self.setGeometry(self._resized(delta))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._locked or self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        resized = self._drag.any()
        self._drag = None
        self.setCursor(_cursor_for(self._edges_at(event.position().toPoint())))
        if resized:
            self._update_mask()
            self.update()
        if self.geometry() != self._press_geometry:
            if self._first_start:
                self._first_start = False  # the seller has found out how: the hint goes
                self._update_mask()
                self.update()
            self.geometryCommitted.emit(self.capture_rect())
        event.accept()

    def _edges_at(self, pos: QPoint) -> _Edges:
        if self.tab_rect().contains(pos):
            return _MOVE  # the grip
        # Below the tab, the band around the capture rectangle as before the tab existed.
        x, y, w, h = pos.x(), pos.y() - TAB, self.width(), self.height() - TAB
        if y < 0:
            return _MOVE
        if MARGIN <= x < w - MARGIN and MARGIN <= y < h - MARGIN:
            return _MOVE  # inside: move
        near_left, near_right = x < CORNER, x >= w - CORNER
        near_top, near_bottom = y < CORNER, y >= h - CORNER
        if (near_left or near_right) and (near_top or near_bottom):
            return _Edges(near_left, near_top, near_right, near_bottom)  # a corner handle
        return _Edges(x < GRIP, y < GRIP, x >= w - GRIP, y >= h - GRIP)  # outer edge, or move

    def _resized(self, delta: QPoint) -> QRect:
        g = QRect(self._press_geometry)
        edges = self._drag or _MOVE
        min_w, min_h = self.minimumWidth(), self.minimumHeight()
        if edges.left:
            g.setLeft(min(g.left() + delta.x(), g.right() - min_w + 1))
        if edges.right:
            g.setRight(max(g.right() + delta.x(), g.left() + min_w - 1))
        if edges.top:
            g.setTop(min(g.top() + delta.y(), g.bottom() - min_h + 1))
        if edges.bottom:
            g.setBottom(max(g.bottom() + delta.y(), g.top() + min_h - 1))
        return g

    # --- painting ---------------------------------------------------------------------

    def is_resizing(self) -> bool:
        return self._drag is not None and self._drag.any()

    def size_text(self) -> str:
        """The capture size in physical pixels, as shown while resizing: "1280 × 720"."""
        try:
            region = self.region()
        except CaptureError:
            r, ratio = self.capture_rect(), self.devicePixelRatioF()
            return f"{round(r.width() * ratio)} × {round(r.height() * ratio)}"
        return f"{region.width} × {region.height}"

    def _label_rect(self) -> QRect:
        rect = QRect(0, 0, 150, 40)
        rect.moveCenter(self.rect().marginsRemoved(_margins()).center())
        return rect

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_mask()

    def _update_mask(self) -> None:
        if not self._shape_mask:
            return
        # Only the pixels painted (rim, border, handles, size label): without a compositor
        # every other pixel of the window would show black instead of what lies below.
        inner = self.rect().marginsRemoved(_margins())
        rim = inner.adjusted(-BORDER - RIM, -BORDER - RIM, BORDER + RIM, BORDER + RIM)
        mask = QRegion(rim).subtracted(QRegion(inner))
        if not self._locked:
            for rect, _ in self._handle_rects():
                mask = mask.united(QRegion(rect))
            mask = mask.united(QRegion(self.tab_rect()))
        if self.is_resizing():
            mask = mask.united(QRegion(self._label_rect()))
        self.setMask(mask)

    def _handle_rects(self) -> list[tuple[QRect, bool]]:
        """Each corner's L-bracket as rectangles: (rect, True) the colour, (rect, False) rim."""
        w, h = self.width(), self.height()
        rects: list[tuple[QRect, bool]] = []
        top = TAB  # the band starts below the grip tab
        for x0, y0, sx, sy in ((0, top, 1, 1), (w, top, -1, 1), (0, h, 1, -1), (w, h, -1, -1)):
            for grow, coloured in ((RIM, False), (0, True)):
                for rect in (
                    QRect(0, 0, CORNER + grow, HANDLE + grow),
                    QRect(0, 0, HANDLE + grow, CORNER + grow),
                ):
                    left = x0 if sx > 0 else x0 - rect.width()
                    top = y0 if sy > 0 else y0 - rect.height()
                    rect.moveTopLeft(QPoint(left, top))
                    rects.append((rect, coloured))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.fillRect(self.rect(), Qt.GlobalColor.transparent)
        inner = self.rect().marginsRemoved(_margins())
        if not self._shape_mask:
            # Invisible, but not fully transparent, so the inside still takes the mouse.
            painter.fillRect(inner, theme.colour("frame_inside"))
        # Jade when locked (clicks pass through), vivid pink when it can be moved.
        colour = theme.colour("frame_locked" if self._locked else "frame")
        rim = theme.colour("frame_rim")
        # A dark rim, then the border: BORDER px just outside the capture rectangle, so a
        # grab never shows them; the rim keeps the border readable on light video.
        for grow, fill in ((BORDER + RIM, rim), (BORDER, colour)):
            outline = inner.adjusted(-grow, -grow, grow, grow)
            painter.setClipRegion(QRegion(outline).subtracted(QRegion(inner)))
            painter.fillRect(outline, fill)
        painter.setClipping(False)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if not self._locked:
            for rect, coloured in self._handle_rects():
                if not coloured:
                    painter.fillRect(rect, rim)
            for rect, coloured in self._handle_rects():
                if coloured:
                    painter.fillRect(rect, colour)
            self._paint_tab(painter, colour)
        if self.is_resizing():
            self._paint_size(painter)
        painter.end()

    def _paint_tab(self, painter: QPainter, colour: QColor) -> None:
        tab = self.tab_rect()
        painter.fillRect(tab, theme.colour("frame_rim"))
        painter.fillRect(tab.adjusted(RIM, RIM, -RIM, 0), colour)
        painter.setFont(self._tab_font())
        painter.setPen(theme.colour("on_colour"))
        painter.drawText(
            tab.adjusted(TAB_PADDING, 0, -TAB_PADDING // 2, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self.tab_text(),
        )

    def _paint_size(self, painter: QPainter) -> None:
        rect = self._label_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.colour("frame_label"))
        painter.drawRoundedRect(rect, 8, 8)
        font = QFont(self.font())
        font.setPixelSize(18)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(theme.colour("on_colour"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.size_text())


def _margins() -> QMargins:
    return QMargins(MARGIN, MARGIN + TAB, MARGIN, MARGIN)


def _cursor_for(edges: _Edges) -> Qt.CursorShape:
    if edges == _MOVE:
        return Qt.CursorShape.SizeAllCursor
    if (edges.left and edges.top) or (edges.right and edges.bottom):
        return Qt.CursorShape.SizeFDiagCursor
    if (edges.right and edges.top) or (edges.left and edges.bottom):
        return Qt.CursorShape.SizeBDiagCursor
    if edges.left or edges.right:
        return Qt.CursorShape.SizeHorCursor
    return Qt.CursorShape.SizeVerCursor
