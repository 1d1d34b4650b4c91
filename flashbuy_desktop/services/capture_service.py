"""The capture service: grab what lies under the capture frame, off the GUI thread, retakeable.

``request()`` reads the frame's physical region at once (on the GUI thread, where the
frame lives) and hands it to the engine on a worker. Each request carries its own cancel
event; a newer request (a retake) sets the older one's event, so the engine can stop
early, and the older result is dropped (Tasks ``key``): only the newest picture is shown.
"""

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from flashbuy_desktop.capture.occlusion import CoveredError, Occluders
from flashbuy_desktop.capture.types import (
    CaptureCancelledError,
    CaptureConfig,
    CaptureError,
    CaptureResult,
    Region,
)
from flashbuy_desktop.services.tasks import Tasks

log = logging.getLogger(__name__)

Engine = Callable[[Region, threading.Event], CaptureResult]

_KEY = "capture"


def default_engine(
    config: CaptureConfig | None = None, occluders: Occluders | None = None
) -> Engine:
    """The real engine (imported only when first used: it loads OpenCV)."""
    from flashbuy_desktop.capture.engine import CaptureEngine

    return CaptureEngine(config or CaptureConfig(), occluders=occluders).capture


class RegionSource(Protocol):
    """What the service captures: the capture frame, or anything that says where to look."""

    def region(self) -> Region:
        """The screen region to grab, in physical pixels; raises CaptureError if none."""
        ...


class CaptureService(QObject):
    """Captures the frame's region on request; emits the newest result only."""

    started = Signal()
    captured = Signal(object)  # CaptureResult
    failed = Signal(str)  # words for the seller, e.g. the frame is off every screen
    covered = Signal()  # every frame may show one of the console's own windows: none is used

    def __init__(
        self,
        frame: RegionSource,
        tasks: Tasks | None = None,
        engine: Engine | None = None,
        *,
        config: CaptureConfig | None = None,
        occluders: Occluders | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.frame = frame
        self.tasks = tasks or Tasks(self)
        self._engine = engine
        self._config = config
        self._cancel: threading.Event | None = None
        # Where the console's own windows are (written by a WindowWatch): the engine drops
        # frames they may cover, and the windows ask whether the frame is clear again.
        self.occluders = occluders if occluders is not None else Occluders()

    def is_clear(self) -> bool:
        """Whether none of the console's windows is (or just was) over the capture frame."""
        try:
            region = self.frame.region()
        except CaptureError:
            return True  # nothing to cover; the capture itself will say what is wrong
        return not self.occluders.covering_now(region)

    def request(self) -> None:
        """Start capturing the frame's region now; a capture still running is replaced."""
        self.cancel()
        cancel = threading.Event()
        self._cancel = cancel
        try:
            region = self.frame.region()
        except CaptureError as exc:
            self.failed.emit(str(exc))
            return
        engine = self._engine_once()
        self.started.emit()
        self.tasks.run(lambda: engine(region, cancel), self._on_captured, self._on_failed, key=_KEY)

    def warm_up(self) -> None:
        """Load OpenCV and open a grabber on a worker now, so the first real capture is quick.

        Everything runs on the worker, the import of OpenCV included: the GUI thread
        only finds the module loaded when the seller first asks for a picture.
        """
        if self._engine is not None:  # injected (tests): nothing to load
            return
        config = self._config

        def warm() -> None:
            # A frame-sized grab, so locating (OpenCV's slowest first call) warms up too.
            default_engine(config)(Region(0, 0, 640, 360), threading.Event())  # no guard: a warm-up

        self.tasks.run(
            warm,
            None,
            lambda error: log.info("capture warm-up: %s", error),
        )

    @property
    def config(self) -> CaptureConfig:
        """How pictures are taken and encoded now (a window re-encoding a crop uses it too)."""
        return self._config or CaptureConfig()

    def set_config(self, config: CaptureConfig) -> None:
        """Capture with ``config`` from the next request on (the seller changed the settings).

        The engine itself is kept when it can be, with its memory of recent sharpness.
        """
        self._config = config
        # The default engine is a bound CaptureEngine.capture; its owner reads ``config`` at
        # the start of each capture. (Not imported here: that module loads OpenCV.)
        owner = getattr(self._engine, "__self__", None)
        if owner is not None and hasattr(owner, "config"):
            owner.config = config

    def retake(self) -> None:
        """Capture again: the running capture is cancelled and its result dropped."""
        self.request()

    def cancel(self) -> None:
        """Cancel the running capture, if any; its result (or failure) is never emitted."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
        self.tasks.cancel(_KEY)

    def _engine_once(self) -> Engine:
        if self._engine is None:
            self._engine = default_engine(self._config, self.occluders)
        return self._engine

    def _on_captured(self, result: CaptureResult) -> None:
        self._cancel = None
        self.captured.emit(result)

    def _on_failed(self, error: Exception) -> None:
        self._cancel = None
        if isinstance(error, CaptureCancelledError):
            return  # replaced by a newer capture (normally dropped by the key already)
        if isinstance(error, CoveredError):
            self.covered.emit()
            return
        if isinstance(error, CaptureError):
            self.failed.emit(str(error))
            return
        log.error("capture failed: %s", getattr(error, "__traceback_text__", error))
        self.failed.emit(self.tr("The capture failed: {error}").format(error=error))
