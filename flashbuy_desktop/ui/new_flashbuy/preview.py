"""The captured picture, fitted to its widget; the seller drags over it to crop it tighter.

Where values were read from the order card is outlined over the picture (in the card's
tone), following the picture as it is scaled to the widget.
"""

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from flashbuy_desktop.capture.crop import CropFraction
from flashbuy_desktop.capture.types import Box
from flashbuy_desktop.ui import theme

MIN_CROP_PX = 8  # a drag shorter than this (on screen) is a click, not a crop


class PicturePreview(QWidget):
    """The captured picture, fitted to the widget; drag with the mouse to crop it tighter."""

    cropChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Drag to crop the picture tighter; double-click to undo the crop"))
        self._pixmap: QPixmap | None = None
        self._crop: CropFraction | None = None
        self._anchor: QPointF | None = None  # where a drag started, in shares of the picture
        self._highlights: list[Box] = []  # read from the card, in the picture's pixels

    def set_picture(self, pixmap: QPixmap | None) -> None:
        """Show ``pixmap`` (None: nothing); any crop of the previous picture is dropped."""
        self._pixmap = pixmap
        self._anchor = None
        self._highlights = []  # they belong to the previous picture
        self.set_crop(None)

    def pixmap(self) -> QPixmap | None:
        return self._pixmap

    def highlights(self) -> list[Box]:
        """The outlined places values were read from, in the picture's pixels."""
        return list(self._highlights)

    def set_highlights(self, boxes: list[Box]) -> None:
        """Outline ``boxes`` (the picture's pixels) over the picture; ``[]``: none."""
        if boxes != self._highlights:
            self._highlights = list(boxes)
            self.update()

    def highlight_rects(self) -> list[QRectF]:
        """Where the outlines are drawn inside the widget (the picture's scaling applied)."""
        rect = self.picture_rect()
        if self._pixmap is None or rect.isEmpty():
            return []
        sx = rect.width() / self._pixmap.width()
        sy = rect.height() / self._pixmap.height()
        return [
            QRectF(rect.x() + b.x * sx, rect.y() + b.y * sy, b.width * sx, b.height * sy)
            for b in self._highlights
        ]

    def crop(self) -> CropFraction | None:
        """The seller's crop, or None for the whole picture."""
        return self._crop

    def set_crop(self, crop: CropFraction | None) -> None:
        if crop != self._crop:
            self._crop = crop
            self.cropChanged.emit()
        self.update()

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn inside the widget (aspect kept, centred)."""
        if self._pixmap is None or self._pixmap.isNull():
            return QRectF()
        size = (
            self._pixmap.size()
            .toSizeF()
            .scaled(self.size().toSizeF(), Qt.AspectRatioMode.KeepAspectRatio)
        )
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def _share(self, pos: QPointF) -> QPointF:
        rect = self.picture_rect()
        sx = min(1.0, max(0.0, (pos.x() - rect.x()) / rect.width()))
        sy = min(1.0, max(0.0, (pos.y() - rect.y()) / rect.height()))
        return QPointF(sx, sy)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.picture_rect().isEmpty():
            self._anchor = self._share(event.position())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None:
            self._drag_to(event.position(), final=False)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag_to(event.position(), final=True)
            self._anchor = None
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._anchor = None
        self.set_crop(None)
        event.accept()

    def _drag_to(self, pos: QPointF, *, final: bool) -> None:
        assert self._anchor is not None
        end = self._share(pos)
        rect = self.picture_rect()
        wide = abs(end.x() - self._anchor.x()) * rect.width()
        tall = abs(end.y() - self._anchor.y()) * rect.height()
        if wide < MIN_CROP_PX or tall < MIN_CROP_PX:
            if final:
                self.set_crop(None)  # a click, not a drag
            return
        self.set_crop(
            CropFraction(
                min(self._anchor.x(), end.x()),
                min(self._anchor.y(), end.y()),
                max(self._anchor.x(), end.x()),
                max(self._anchor.y(), end.y()),
            )
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.colour("backdrop"))
        rect = self.picture_rect()
        if self._pixmap is not None and not rect.isEmpty():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(rect, self._pixmap, QRectF(self._pixmap.rect()))
            if self._crop is not None:
                self._paint_crop(painter, rect, self._crop)
            self._paint_highlights(painter)
        painter.end()

    def _paint_highlights(self, painter: QPainter) -> None:
        """Outline where the card's values were read: the card's colour on a light rim."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for box in self.highlight_rects():
            outline = box.adjusted(-3, -3, 3, 3)  # around the ink, not over it
            painter.setPen(QPen(theme.colour("on_colour"), 5))
            painter.drawRoundedRect(outline, 3, 3)
            painter.setPen(QPen(theme.colour("card"), 3))
            painter.drawRoundedRect(outline, 3, 3)

    def _paint_crop(self, painter: QPainter, rect: QRectF, crop_share: CropFraction) -> None:
        """Shade what the crop leaves out and outline what it keeps."""
        crop = QRectF(
            rect.x() + crop_share.left * rect.width(),
            rect.y() + crop_share.top * rect.height(),
            (crop_share.right - crop_share.left) * rect.width(),
            (crop_share.bottom - crop_share.top) * rect.height(),
        )
        shade = theme.colour("crop_shade")
        painter.fillRect(QRectF(rect.x(), rect.y(), rect.width(), crop.y() - rect.y()), shade)
        painter.fillRect(
            QRectF(rect.x(), crop.bottom(), rect.width(), rect.bottom() - crop.bottom()), shade
        )
        painter.fillRect(QRectF(rect.x(), crop.y(), crop.x() - rect.x(), crop.height()), shade)
        painter.fillRect(
            QRectF(crop.right(), crop.y(), rect.right() - crop.right(), crop.height()), shade
        )
        painter.setPen(QPen(theme.colour("frame"), 2, Qt.PenStyle.DashLine))
        painter.drawRect(crop)
