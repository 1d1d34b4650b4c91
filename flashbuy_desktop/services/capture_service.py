"""The capture service: grab what lies under the capture frame, off the GUI thread, retakeable.

``request()`` reads the frame's physical region at once (on the GUI thread, where the
frame lives) and hands it to the engine on a worker. Each request carries its own cancel
event; a newer request (a retake) sets the older one's event, so the engine can stop
early, and the older result is dropped (Tasks ``key``): only the newest picture is shown.

Then the card is read (when reading is on and the engine found a card): ``captured`` is
emitted first, so the picture never waits for the read; ``reading_started`` follows at
once, and the reader runs on a worker; ``card_read`` or ``card_read_failed`` says how it
went, for the newest capture only: a new request, a retake or ``cancel()`` drops the answer
of a read still running, and a read still waiting to start never runs.

Reads, and the reader's warm-up, run on the service's own pool of one thread
(:attr:`CaptureService.read_tasks`), never on the application's pool: that pool's few
threads carry the captures and the platform's HTTP calls, which a read (or the model's
load at start) must never hold up. One thread is also all the reader can use (it reads one
card at a time). The reader (PP-OCR by default, see
:mod:`flashbuy_desktop.capture.card_reading`) is built and loaded on that worker: its modules
load numpy and onnxruntime, which the GUI thread never waits for.
"""

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal

from flashbuy_desktop.capture.occlusion import CoveredError, Occluders
from flashbuy_desktop.capture.types import (
    CaptureCancelledError,
    CaptureConfig,
    CaptureError,
    CaptureResult,
    Region,
)
from flashbuy_desktop.services.tasks import Tasks

if TYPE_CHECKING:  # loaded on a worker only (numpy, and onnxruntime behind it)
    from flashbuy_desktop.capture.card_reading import CardReading, Image

log = logging.getLogger(__name__)

Engine = Callable[[Region, threading.Event], CaptureResult]
# Reads a card image (BGR uint8, CaptureResult.card_image): what the card says.
Reader = Callable[["Image"], "CardReading"]

_KEY = "capture"
_READ_KEY = "card_read"


class _SupersededError(Exception):
    """A read that a newer one (or a cancel) replaced before it started: it never ran."""


def default_engine(
    config: CaptureConfig | None = None, occluders: Occluders | None = None
) -> Engine:
    """The real engine (imported only when first used: it loads OpenCV)."""
    from flashbuy_desktop.capture.engine import CaptureEngine

    return CaptureEngine(config or CaptureConfig(), occluders=occluders).capture


def default_reader() -> Reader:
    """The real card reader, PP-OCR (call it on a worker: it loads numpy and onnxruntime)."""
    from flashbuy_desktop.capture.card_reading import CardReader

    return CardReader().read


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
    reading_started = Signal()  # right after ``captured``: the card of that picture is being read
    card_read = Signal(object, object)  # CaptureResult, CardReading: what that picture's card says
    card_read_failed = Signal(object)  # CaptureResult: the reader failed on that picture's card

    def __init__(
        self,
        frame: RegionSource,
        tasks: Tasks | None = None,
        engine: Engine | None = None,
        *,
        config: CaptureConfig | None = None,
        occluders: Occluders | None = None,
        reader: Reader | None = None,
        reading: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.frame = frame
        self.tasks = tasks or Tasks(self)
        read_pool = QThreadPool(self)
        read_pool.setMaxThreadCount(1)  # one card at a time, never a thread of the shared pool
        self.read_tasks = Tasks(self, read_pool)
        self._read_cancel: threading.Event | None = None  # set: the waiting read must not run
        self._engine = engine
        self._config = config
        self._cancel: threading.Event | None = None
        self._requests = 0  # counts requests: a read starts only for the newest one's picture
        self._reader = reader
        self._reader_lock = threading.Lock()  # built on whichever worker needs it first
        self._reading = reading
        self._warm = False  # warm_up() was asked for
        self._reader_warm = False  # the reader's warm-up read has been started
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
        """Start capturing the frame's region now; a capture still running is replaced.

        A card read still running is dropped too: its answer is for an older picture.
        """
        self.cancel()
        self._requests += 1
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
        """Load OpenCV and run the capture pipeline once on a worker now, so the first real
        capture finds its modules loaded and its first calls made; when reading is on, load
        the card reader and read a made-up card on the read worker, so the first read finds
        the models warm (once per service, however often asked).

        Everything runs on the workers, the imports included: the GUI thread only finds the
        modules loaded when the seller first asks for a picture. (No grabber is kept open:
        the engine closes its grabber at the end of every capture, the warm-up's too.)
        """
        self._warm = True
        if self._reading:
            self._warm_reader()
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

    def _warm_reader(self) -> None:
        if self._reader_warm:
            return
        self._reader_warm = True

        def warm() -> None:
            from flashbuy_desktop.capture.card_reading import warm_up_card  # numpy: a worker's

            self._reader_once()(warm_up_card())

        self.read_tasks.run(
            warm,
            None,
            lambda error: log.warning(
                "card reader warm-up failed: %s", getattr(error, "__traceback_text__", error)
            ),
        )

    @property
    def reading(self) -> bool:
        """Whether the card of each picture is read (the seller's setting)."""
        return self._reading

    def set_reading(self, on: bool) -> None:
        """Read the card of each picture from the next capture on, or stop reading it.

        A read already running ends as it would have. Turned on after the warm-up, the
        reader is warmed up now.
        """
        self._reading = on
        if on and self._warm:
            self._warm_reader()

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
        """Cancel the running capture and card read, if any; their answers are never emitted.

        A read still waiting for the read worker never starts.
        """
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
        self._drop_read()
        self.tasks.cancel(_KEY)

    def wait_reads(self, msecs: int = 30_000) -> bool:
        """Wait for the card reads and the reader's warm-up to end (at shutdown and in tests).

        False when they were still running after ``msecs``. The captures run on ``tasks``,
        which its owner waits for.
        """
        return self.read_tasks.wait(msecs)

    def _drop_read(self) -> None:
        # A read already running cannot be stopped (the reader has no cancel); its answer
        # is dropped by the key. One still queued is skipped when the worker picks it up.
        if self._read_cancel is not None:
            self._read_cancel.set()
            self._read_cancel = None
        self.read_tasks.cancel(_READ_KEY)

    def _engine_once(self) -> Engine:
        if self._engine is None:
            self._engine = default_engine(self._config, self.occluders)
        return self._engine

    def _reader_once(self) -> Reader:
        # On a worker: building the default reader imports numpy.
        with self._reader_lock:
            if self._reader is None:
                self._reader = default_reader()
            return self._reader

    def _on_captured(self, result: CaptureResult) -> None:
        self._cancel = None
        request = self._requests
        self.captured.emit(result)  # the picture first: the read never delays it
        if request == self._requests:  # no slot of ``captured`` asked for another picture
            self._read(result)

    def _read(self, result: CaptureResult) -> None:
        image = result.card_image
        if not self._reading or image is None:
            return
        self._drop_read()  # normally dropped by the request already
        superseded = threading.Event()
        self._read_cancel = superseded
        self.reading_started.emit()

        def read() -> "CardReading":
            if superseded.is_set():  # a newer picture's read waits behind this one
                raise _SupersededError
            return self._reader_once()(image)

        self.read_tasks.run(
            read,
            lambda reading: self.card_read.emit(result, reading),
            lambda error: self._on_read_failed(result, error),
            key=_READ_KEY,
        )

    def _on_read_failed(self, result: CaptureResult, error: Exception) -> None:
        if isinstance(error, _SupersededError):
            return  # never ran (normally dropped by the key already)
        log.error("card read failed: %s", getattr(error, "__traceback_text__", error))
        self.card_read_failed.emit(result)

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
