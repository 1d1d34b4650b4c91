"""Grabbing a region of the screen with mss, one mss instance per thread.

An ``mss.MSS`` instance holds an X connection (and, on X11, a shared-memory segment for
XShmGetImage; mss falls back to XGetImage by itself where MIT-SHM does not work). Instances
must not be shared between threads, so each thread gets its own, created on its first grab and
released by :func:`close_thread_grabber`. The capture engine releases it at the end of every
capture: on a Qt pool thread Python's thread state (and so a ``threading.local``) lasts one
task, and an instance left there would be dropped with its X connection still open.
"""

import threading

import mss
import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.types import CaptureError, Region

_local = threading.local()


def _thread_grabber() -> mss.MSS:
    sct: mss.MSS | None = getattr(_local, "sct", None)
    if sct is None:
        try:
            sct = mss.MSS()
        except mss.ScreenShotError as exc:
            raise CaptureError(f"the screen cannot be read: {exc}") from exc
        _local.sct = sct
    return sct


def close_thread_grabber() -> None:
    """Release this thread's mss instance, if it has one (safe to call more than once)."""
    sct: mss.MSS | None = getattr(_local, "sct", None)
    _local.sct = None
    if sct is not None:
        sct.close()


def clip_to_screen(region: Region, screen: Region) -> Region | None:
    """The part of ``region`` inside ``screen``, or None if they do not overlap."""
    left = max(region.left, screen.left)
    top = max(region.top, screen.top)
    right = min(region.left + region.width, screen.left + screen.width)
    bottom = min(region.top + region.height, screen.top + screen.height)
    if right <= left or bottom <= top:
        return None
    return Region(left, top, right - left, bottom - top)


def grab(region: Region) -> npt.NDArray[np.uint8]:
    """The pixels of a desktop region as a BGRA ``uint8`` array of shape (height, width, 4).

    A region partly off the screen is clipped to the virtual screen (the bounding box of all
    monitors), so the array can be smaller than the region; a region wholly off it raises
    :class:`CaptureError`, as does any failure of the screen grab itself.
    """
    sct = _thread_grabber()
    try:
        bounds = sct.monitors[0]
        screen = Region(bounds["left"], bounds["top"], bounds["width"], bounds["height"])
        clipped = clip_to_screen(region, screen)
        if clipped is None:
            raise CaptureError(
                f"the capture area ({region.width}x{region.height} at {region.left},"
                f"{region.top}) is off the screen ({screen.width}x{screen.height} at "
                f"{screen.left},{screen.top}): move the capture frame onto the screen"
            )
        shot = sct.grab(
            {
                "left": clipped.left,
                "top": clipped.top,
                "width": clipped.width,
                "height": clipped.height,
            }
        )
    except mss.ScreenShotError as exc:
        # The screen layout may have changed under a cached monitor list: start afresh next time.
        close_thread_grabber()
        raise CaptureError(
            f"the screen could not be captured ({region.width}x{region.height} at "
            f"{region.left},{region.top}): {exc}"
        ) from exc
    return np.asarray(shot, dtype=np.uint8)
