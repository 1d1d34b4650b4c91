"""The capture pipeline: a burst of grabs, the sharpest frame, card and piece, crop, JPEG.

``CaptureEngine.capture`` runs on a worker thread (never the GUI thread). It is cancelled by
setting the ``threading.Event`` it was given: the engine checks it between every two steps and
waits on it between two grabs, so a retake stops the old capture within one step.

Which frame is kept, and when it is BLURRY:

* every frame's sharpness (variance of the Laplacian, see :mod:`.sharpness`) is measured right
  after it is grabbed, while the engine waits for the next grab's turn;
* the frames are tried from sharpest to least sharp and the first one in which the order card
  is found is kept (a hand passing over the card can hide it in the sharpest frame); if no frame
  shows a card, the sharpest is kept, whole, with CARD_NOT_FOUND;
* the card's part of the kept frame, at full resolution with a small margin, goes along in
  the result (``card_image``) for the card reader, which runs after the picture is shown;
* BLURRY (see :func:`is_blurry`) when the kept frame's sharpness is below half of a reference:
  the burst's best frame, or, if higher, the median of the best frames of this engine's last
  few captures of the same size. The first rule catches a kept frame that is much blurrier than
  the best of its own burst; the second catches a whole burst blurred by the seller moving the
  card (the scene of a live stream, same desk, light and camera, changes little between
  captures). A first capture with a burst of one frame is never BLURRY: there is nothing to
  compare it with.
"""

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.card_reading import cut_card
from flashbuy_desktop.capture.encode import encode_jpeg
from flashbuy_desktop.capture.grab import close_thread_grabber, grab
from flashbuy_desktop.capture.locate import crop_box, locate
from flashbuy_desktop.capture.occlusion import CoveredError, Occluders
from flashbuy_desktop.capture.sharpness import sharpness
from flashbuy_desktop.capture.types import (
    Box,
    CaptureCancelledError,
    CaptureConfig,
    CaptureError,
    CaptureResult,
    CaptureWarning,
    Region,
)

Grabber = Callable[[Region], npt.NDArray[np.uint8]]

BLURRY_RATIO = 0.5  # kept frame below this share of the reference sharpness: BLURRY
HISTORY = 5  # best sharpness of this many recent captures make the rolling reference


def is_blurry(chosen: float, burst_best: float, history: Sequence[float] = ()) -> bool:
    """Whether a kept frame of sharpness ``chosen`` is much blurrier than it could be.

    The reference is ``burst_best`` or, if higher, the median of ``history`` (the best
    sharpness of recent bursts of the same scene); BLURRY is below :data:`BLURRY_RATIO` of it.
    """
    reference = burst_best
    if history:
        reference = max(reference, statistics.median(history))
    return reference > 0 and chosen < BLURRY_RATIO * reference


class CaptureEngine:
    """Takes pictures of a screen region; one engine serves one capture at a time."""

    def __init__(
        self,
        config: CaptureConfig = CaptureConfig(),  # noqa: B008 - frozen
        grabber: Grabber = grab,
        occluders: Occluders | None = None,
    ) -> None:
        self.config = config
        self._grabber = grabber
        # The console's own windows: a frame grabbed while one may have been over the
        # region is not used (see :mod:`.occlusion`).
        self.occluders = occluders
        self._history: dict[tuple[int, int], deque[float]] = {}
        self._lock = threading.Lock()

    def capture(self, region: Region, cancel: threading.Event | None = None) -> CaptureResult:
        """Grab a burst of ``region``, keep the best frame, crop it to card and piece, encode.

        Raises :class:`CaptureCancelledError` once ``cancel`` is set, :class:`CoveredError`
        when one of the console's own windows may have been over the region during every
        grab, and :class:`CaptureError` when the screen cannot be grabbed (for instance a
        region wholly off the screen).
        """
        try:
            return self._capture(region, cancel)
        finally:
            if self._grabber is grab:
                # One X connection per capture, released here: a pool thread's Python state
                # lasts a single task, so an mss instance kept per thread would be dropped
                # with its connection open, one per capture, until the X server refuses more.
                close_thread_grabber()

    def _capture(self, region: Region, cancel: threading.Event | None) -> CaptureResult:
        config = self.config
        stop = cancel if cancel is not None else threading.Event()
        timings: dict[str, float] = {}
        start = time.monotonic()

        def check() -> None:
            if stop.is_set():
                raise CaptureCancelledError("the capture was replaced by a newer one")

        frames: list[npt.NDArray[np.uint8]] = []
        scores: list[float] = []
        grab_s = pick_s = 0.0
        next_grab = start
        for index in range(config.burst):
            if index:
                remaining = next_grab - time.monotonic()
                if remaining > 0 and stop.wait(remaining):
                    check()
            check()
            began = time.monotonic()
            next_grab = began + config.interval_s
            frame = self._grabber(region)
            if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
                raise CaptureError(f"the grabber gave an image of shape {frame.shape}")
            measured = time.monotonic()
            grab_s += measured - began
            if self.occluders is not None and self.occluders.covers(region, began, measured):
                continue  # it may show our own window, not the stream
            frames.append(frame)
            scores.append(sharpness(frame))
            pick_s += time.monotonic() - measured
        timings["grab"] = grab_s * 1000
        check()
        if not frames:
            raise CoveredError()

        began = time.monotonic()
        order = sorted(range(len(frames)), key=lambda i: scores[i], reverse=True)
        best_score = scores[order[0]]
        chosen = order[0]
        location = None
        warnings: list[CaptureWarning] = []
        for rank, index in enumerate(order):
            if rank:
                check()
            found = locate(frames[index], config.margin)
            if location is None:
                location = found  # the sharpest frame's, kept if no frame shows a card
            if found.card is not None:
                chosen, location = index, found
                break
        assert location is not None
        frame = frames[chosen]
        height, width = frame.shape[:2]
        card_image: npt.NDArray[np.uint8] | None = None
        card_image_box: Box | None = None
        if location.card is None:
            warnings.append(CaptureWarning.CARD_NOT_FOUND)
            crop = crop_box(width, height, None, None, config.margin)
        else:
            crop = location.crop
            # For the card reader: a copy of the card at full resolution (a slice, well
            # under a millisecond), so the frame itself can go.
            card_image, card_image_box = cut_card(frame, location.card)
        with self._lock:
            history = self._history.setdefault((width, height), deque(maxlen=HISTORY))
            if is_blurry(scores[chosen], best_score, tuple(history)):
                warnings.append(CaptureWarning.BLURRY)
            history.append(best_score)
        timings["pick"] = pick_s * 1000
        timings["locate"] = (time.monotonic() - began) * 1000
        check()

        began = time.monotonic()
        view = frame[crop.y : crop.y + crop.height, crop.x : crop.x + crop.width]
        encoded = encode_jpeg(view, quality=config.jpeg_quality, max_side=config.max_side)
        timings["encode"] = (time.monotonic() - began) * 1000
        timings["total"] = (time.monotonic() - start) * 1000
        return CaptureResult(
            jpeg=encoded.jpeg,
            width=encoded.width,
            height=encoded.height,
            crop=crop,
            card=location.card,
            piece=location.piece,
            sharpness=scores[chosen],
            warnings=tuple(warnings),
            frames=len(frames),
            timings_ms=timings,
            card_image=card_image,
            card_image_box=card_image_box,
        )
