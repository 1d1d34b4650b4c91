"""A flash-buy's picture, large: what a click on a table's thumbnail opens.

:class:`PicturePopup` is a popup window beside the thumbnail: it shows the thumbnail at
once (with "loading"), then the picture as published once its bytes arrive, scaled to fit
the screen. It closes on a click anywhere, on Esc, or when the pointer leaves it, like a
tooltip the seller can look at closely; only one is open at a time (a popup takes the
mouse until it closes).
"""

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QEnterEvent, QGuiApplication, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

MAX_SIDE = 720  # logical pixels: large enough to judge a piece, small beside the stream
SCREEN_SHARE = 0.7  # of the screen's available height (and width) at most
MAX_UPSCALE = 2.0  # a small picture grows at most this much: more would only blur it


def fitted_size(picture: QSize, room: QSize) -> QSize:
    """The size ``picture`` is shown at: within ``room``, its shape kept, grown at most 2x."""
    if picture.isEmpty() or room.isEmpty():
        return QSize(0, 0)
    scale = min(room.width() / picture.width(), room.height() / picture.height(), MAX_UPSCALE)
    return QSize(max(1, round(picture.width() * scale)), max(1, round(picture.height() * scale)))


class PicturePopup(QFrame):
    """The picture of one flash-buy, large, beside the point it was asked from."""

    def __init__(self, title: str, placeholder: QPixmap | None, parent: QWidget | None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("picture_popup")
        self.setFrameShape(QFrame.Shape.Box)  # a popup has no window frame of its own
        self.setAccessibleName(title)
        self.setToolTip(title)
        self.picture = QLabel(self)
        self.picture.setObjectName("picture_popup_image")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(title, self)
        self.caption.setObjectName("picture_popup_caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)
        self._anchor = QRect()
        self._loaded = False
        self._entered = False  # the pointer came onto it: leaving now closes it
        if placeholder is not None and not placeholder.isNull():
            self.picture.setPixmap(placeholder)
        self.caption.setText(self.tr("{title} (loading the picture…)").format(title=title))
        self._title = title

    def is_loaded(self) -> bool:
        """Whether the published picture (not the thumbnail) is shown."""
        return self._loaded

    def show_beside(self, anchor: QRect) -> None:
        """Show the popup right of ``anchor`` (global coordinates), or left if no room."""
        self._anchor = QRect(anchor)
        self.adjustSize()
        self._place()
        self.show()

    def set_picture(self, data: bytes) -> bool:
        """Show the picture in ``data`` (JPEG or PNG bytes); False if it cannot be decoded."""
        image = QImage.fromData(data)
        if image.isNull():
            self.caption.setText(
                self.tr("{title} (the picture could not be read)").format(title=self._title)
            )
            return False
        size = fitted_size(image.size(), self._room())
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap.fromImage(
            image.scaled(
                size * ratio,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        pixmap.setDevicePixelRatio(ratio)
        self.picture.setPixmap(pixmap)
        self.picture.setMinimumSize(size)
        self.caption.setText(self._title)
        self._loaded = True
        self.adjustSize()
        self._place()
        return True

    def failed(self, reason: str) -> None:
        """The picture could not be fetched: say so under the thumbnail."""
        self.caption.setText(self.tr("{title} ({reason})").format(title=self._title, reason=reason))

    # --- inside ---------------------------------------------------------------------------

    def _screen_rect(self) -> QRect:
        screen = QGuiApplication.screenAt(self._anchor.center()) or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def _room(self) -> QSize:
        area = self._screen_rect()
        side = min(
            MAX_SIDE, int(area.width() * SCREEN_SHARE), int(area.height() * SCREEN_SHARE) - 40
        )
        return QSize(side, side)

    def _place(self) -> None:
        area = self._screen_rect()
        size = self.size()
        gap = 8
        x = self._anchor.right() + gap
        if x + size.width() > area.right():
            x = self._anchor.left() - gap - size.width()
        y = self._anchor.center().y() - size.height() // 2
        x = max(area.left(), min(x, area.right() - size.width()))
        y = max(area.top(), min(y, area.bottom() - size.height()))
        self.move(QPoint(x, y))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Override QWidget::mousePressEvent: a click on the picture closes it too.

        (A click outside closes a popup by itself.)
        """
        event.accept()
        self.close()

    def enterEvent(self, event: QEnterEvent) -> None:
        """Override QWidget::enterEvent: from now on, leaving closes it."""
        super().enterEvent(event)
        self._entered = True

    def leaveEvent(self, event: QEvent) -> None:
        """Override QWidget::leaveEvent: the pointer looked and went away."""
        super().leaveEvent(event)
        if self._entered:
            self.close()
