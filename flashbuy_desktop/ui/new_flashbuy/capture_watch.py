"""The window's side of the capture: the picture it asked for, a retake, a covered frame.

The capture service is shared by the console; one window listens to it from the moment it
opens until it closes, shows what it answers in the picture pane, and keeps the newest usable
picture. When one of our own windows covers the frame no picture is used: the frame is looked
at again every :data:`COVERED_POLL_MS` and retaken as soon as it is clear.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from flashbuy_desktop.capture.types import CaptureResult
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.ui.new_flashbuy.picture_pane import PicturePane

COVERED_POLL_MS = 100  # how often a covered frame is looked at again, to retake once clear


class CaptureWatch(QObject):
    """Listens to the capture service for one window and keeps the picture it may publish."""

    picture_ready = Signal()  # a usable picture arrived

    def __init__(
        self,
        capture: CaptureService,
        pane: PicturePane,
        busy: Callable[[], bool],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.capture = capture
        self._busy = busy
        self.pane = pane
        self.result: CaptureResult | None = None
        self._listening = False
        self._covered_timer = QTimer(self)  # while our own window covers the frame
        self._covered_timer.setInterval(COVERED_POLL_MS)
        self._covered_timer.timeout.connect(self._retake_when_clear)

    def start(self) -> None:
        """Listen to the capture service (until :meth:`stop`)."""
        self._listening = True
        self.capture.started.connect(self._on_started)
        self.capture.captured.connect(self._on_captured)
        self.capture.failed.connect(self._on_failed)
        self.capture.covered.connect(self._on_covered)

    def request(self) -> None:
        """Ask for the picture now (the window is appearing)."""
        self.capture.request()

    def retake(self) -> None:
        """Capture the frame again, unless the window is sending the picture it has."""
        if not self._busy():
            self.capture.retake()

    def stop(self) -> None:
        """Stop listening; a picture still being taken is not needed any more."""
        if not self._listening:
            return
        self._listening = False
        self._covered_timer.stop()
        self.capture.covered.disconnect(self._on_covered)
        self.capture.started.disconnect(self._on_started)
        self.capture.captured.disconnect(self._on_captured)
        self.capture.failed.disconnect(self._on_failed)
        if self.result is None:
            self.capture.cancel()  # nobody will look at the picture any more

    def _on_started(self) -> None:
        self.pane.show_taking()

    def _on_captured(self, result: CaptureResult) -> None:
        self._covered_timer.stop()
        if not self.pane.show_picture(result):
            self.result = None
            return
        self.result = result
        self.picture_ready.emit()

    def _on_covered(self) -> None:
        """Every frame may show one of our own windows: none is used; retake once clear."""
        self._on_failed(
            self.tr(
                "A console window covers the capture frame, so this picture cannot be used."
                " Move the window off the frame: the picture is retaken as soon as it is clear."
            )
        )
        self._covered_timer.start()

    def _retake_when_clear(self) -> None:
        if self.capture.is_clear():
            self._covered_timer.stop()
            self.retake()

    def _on_failed(self, message: str) -> None:
        self._covered_timer.stop()
        self.result = None
        self.pane.show_problem(message)
