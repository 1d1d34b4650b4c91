"""The window's picture side: the capture being taken, the picture to crop, its warnings, retake."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from flashbuy_desktop.capture.types import CaptureResult, CaptureWarning
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy.inline import say
from flashbuy_desktop.ui.new_flashbuy.preview import PicturePreview
from flashbuy_desktop.ui.theme import Tone

BUSY_PAGE, PICTURE_PAGE = 0, 1


class PicturePane(QWidget):
    """What the capture is doing: taking, the picture (cropped or not), or why there is none."""

    def __init__(self, retake_key_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._retake_key_text = retake_key_text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview_stack = QStackedWidget(self)
        busy_page = QWidget(self.preview_stack)
        busy_layout = QVBoxLayout(busy_page)
        busy_layout.addStretch(1)
        self.capture_spinner = QProgressBar(busy_page)
        self.capture_spinner.setRange(0, 0)  # busy
        self.capture_spinner.setTextVisible(False)
        self.capture_spinner.setMaximumWidth(220)
        busy_layout.addWidget(self.capture_spinner, 0, Qt.AlignmentFlag.AlignHCenter)
        self.capture_status = QLabel(self.tr("Taking the picture…"), busy_page)
        self.capture_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.capture_status.setWordWrap(True)
        busy_layout.addWidget(self.capture_status)
        busy_layout.addStretch(1)
        self.preview_stack.addWidget(busy_page)
        self.preview = PicturePreview(self.preview_stack)
        self.preview_stack.addWidget(self.preview)
        self.preview_stack.setMinimumSize(360, 240)
        layout.addWidget(self.preview_stack, 1)
        self.warnings_label = QLabel(self)
        self.warnings_label.setWordWrap(True)
        theme.set_tone(self.warnings_label, Tone.WARNING)
        self.warnings_label.hide()
        layout.addWidget(self.warnings_label)
        bar = QHBoxLayout()
        self.crop_label = QLabel(self.tr("Drag to crop the picture"), self)
        theme.set_tone(self.crop_label, Tone.MUTED)
        bar.addWidget(self.crop_label, 1)
        self.retake_button = QPushButton(
            self.tr("Retake ({key})").format(key=retake_key_text), self
        )
        self.retake_button.setAutoDefault(False)
        bar.addWidget(self.retake_button)
        layout.addLayout(bar)
        self.preview.cropChanged.connect(self._on_crop_changed)

    def show_taking(self) -> None:
        """A capture has started."""
        self.capture_status.setText(self.tr("Taking the picture…"))
        self.capture_spinner.show()
        self.preview_stack.setCurrentIndex(BUSY_PAGE)

    def show_picture(self, result: CaptureResult) -> bool:
        """Show the captured picture and its warnings; False (and why) if it cannot be shown."""
        pixmap = QPixmap()
        if not pixmap.loadFromData(result.jpeg, "JPEG"):
            self.show_problem(self.tr("The captured picture cannot be shown; please retake it"))
            return False
        self.preview.set_picture(pixmap)
        self.preview_stack.setCurrentIndex(PICTURE_PAGE)
        words = {
            CaptureWarning.CARD_NOT_FOUND: self.tr("No order card was found in the picture"),
            CaptureWarning.BLURRY: self.tr("The picture is blurry; better retake it"),
        }
        say(self.warnings_label, "\n".join("⚠ " + words[w] for w in result.warnings))
        return True

    def show_problem(self, message: str) -> None:
        """No picture: ``message`` says why, and how to retake."""
        self.preview.set_picture(None)
        self.capture_spinner.hide()
        self.capture_status.setText(
            message + "\n" + self.tr("Press {key} to retake").format(key=self._retake_key_text)
        )
        self.preview_stack.setCurrentIndex(BUSY_PAGE)

    def _on_crop_changed(self) -> None:
        crop = self.preview.crop()
        pixmap = self.preview.pixmap()
        if crop is None or pixmap is None:
            self.crop_label.setText(self.tr("Drag to crop the picture"))
        else:
            box = crop.to_pixels(pixmap.width(), pixmap.height())
            self.crop_label.setText(
                self.tr("Cropped to {width}×{height} (double-click to undo)").format(
                    width=box.width, height=box.height
                )
            )
