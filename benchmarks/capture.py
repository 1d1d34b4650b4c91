"""Screen grabbing and the capture pipeline, on a real X server.

A frameless window paints the seller's scene (dark cloth, a white order card with a written
number, a jade piece) over the whole screen. Then, for a 1280x720 and a 1920x1080 region:

* one grab with mss (``flashbuy_desktop.capture.grab``, to a numpy array), with
  ``PIL.ImageGrab`` (needs Pillow built with XCB; if it cannot grab, the reason is printed) and
  with ``QScreen.grabWindow`` on the GUI thread (to a QPixmap, and to a QImage of its pixels):
  median of 50, and the ratio to mss;
* the whole pipeline (grab, sharpness, locate, crop, encode) of ``CaptureEngine.capture`` for
  one frame and for a burst of 3 frames 33 ms apart: median and p90 of 20 runs, and the median
  of each step;
* the variance of the Laplacian on a 320 px grey copy with CV_16S, CV_32F and CV_64F.

Aim: one-frame pipeline at 720p within 30 ms, a burst of 3 within 120 ms.

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m benchmarks.capture
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import (
    QGuiApplication,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

from benchmarks._scene import DeskScene
from flashbuy_desktop.capture.engine import CaptureEngine
from flashbuy_desktop.capture.grab import close_thread_grabber, grab
from flashbuy_desktop.capture.sharpness import downscale, to_grey
from flashbuy_desktop.capture.types import CaptureConfig, Region

GRABS = 50
RUNS = 20
SIZES = ((1280, 720), (1920, 1080))
CARD = QRect(200, 180, 300, 200)  # within the 720p region


def median_ms(fn: Callable[[], object], n: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(n):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def pil_grabber() -> tuple[Callable[[Region], object] | None, str]:
    try:
        from PIL import ImageGrab, features
    except ImportError as exc:
        return None, f"Pillow missing: {exc}"
    if not features.check_feature("xcb"):
        return None, "this Pillow build has no XCB support"

    def grab_pil(region: Region) -> object:
        box = (region.left, region.top, region.left + region.width, region.top + region.height)
        return ImageGrab.grab(bbox=box, xdisplay=os.environ.get("DISPLAY"))

    try:
        grab_pil(Region(0, 0, 16, 16))
    except OSError as exc:
        return None, f"ImageGrab cannot grab here: {exc}"
    return grab_pil, ""


def main() -> int:
    if not os.environ.get("DISPLAY"):
        print("needs an X server: run under xvfb-run -a -s '-screen 0 1920x1080x24'")
        return 2
    app = QApplication(sys.argv)
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio()
    widget = DeskScene(CARD, QPointF(820, 360), (200, 130))
    widget.setGeometry(screen.geometry())
    widget.show()
    deadline = time.monotonic() + 10
    card_centre = (round((CARD.y() + 20) * ratio), round((CARD.x() + 20) * ratio))
    while time.monotonic() < deadline:  # bounded: until the card is on the screen
        app.processEvents()
        if widget.painted and grab(Region(0, 0, 600, 600))[card_centre][:3].min() > 200:
            break
        time.sleep(0.01)
    else:
        print("the scene never reached the screen")
        return 1
    physical = (round(screen.geometry().width() * ratio), round(screen.geometry().height() * ratio))
    print(f"screen: {physical[0]}x{physical[1]} physical px, device pixel ratio {ratio}")

    pil, pil_reason = pil_grabber()
    grab_rows: dict[str, list[str]] = {}
    pipe_rows: list[list[str]] = []
    steps: list[str] = []
    for width, height in SIZES:
        if width > physical[0] or height > physical[1]:
            print(f"{width}x{height}: larger than the screen, skipped")
            continue
        region = Region(0, 0, width, height)
        logical = QRect(0, 0, round(width / ratio), round(height / ratio))
        mss_ms = median_ms(partial(grab, region), GRABS)
        results = {"mss -> ndarray": mss_ms}
        if pil is not None:
            results["PIL.ImageGrab"] = median_ms(partial(pil, region), GRABS)

        def qt_grab(q: QRect = logical) -> QPixmap:
            return screen.grabWindow(0, q.x(), q.y(), q.width(), q.height())

        results["QScreen.grabWindow -> QPixmap"] = median_ms(qt_grab, GRABS)
        results["QScreen.grabWindow -> QImage"] = median_ms(lambda: qt_grab().toImage(), GRABS)
        for name, ms in results.items():
            grab_rows.setdefault(name, []).append(f"{ms:7.2f} ms  x{ms / mss_ms:5.2f}")

        for burst in (1, 3):
            engine = CaptureEngine(CaptureConfig(burst=burst, interval_s=0.033))
            engine.capture(region)  # warm up
            totals: list[float] = []
            per_step: dict[str, list[float]] = {}
            found = 0
            for _ in range(RUNS):
                result = engine.capture(region)
                totals.append(result.timings_ms["total"])
                for key, value in result.timings_ms.items():
                    per_step.setdefault(key, []).append(value)
                found += result.card is not None
            steps = [k for k in per_step if k != "total"]
            aim = 30.0 if burst == 1 else 120.0
            pipe_rows.append(
                [
                    f"{width}x{height}",
                    f"burst {burst}",
                    f"{statistics.median(totals):7.1f}",
                    f"{p90(totals):7.1f}",
                    *(f"{statistics.median(per_step[k]):6.1f}" for k in steps),
                    f"{found}/{RUNS}",
                    (
                        ("yes" if statistics.median(totals) <= aim else "NO") + f" ({aim:.0f})"
                        if width == 1280
                        else ""
                    ),
                ]
            )
    close_thread_grabber()
    widget.close()

    grey = downscale(to_grey(grab_array_for_laplacian()), 320)
    laplacian_rows = []
    for name, depth in (("CV_16S", cv2.CV_16S), ("CV_32F", cv2.CV_32F), ("CV_64F", cv2.CV_64F)):
        us = median_ms(partial(laplacian_variance, grey, depth), 200) * 1000
        value = laplacian_variance(grey, depth)
        laplacian_rows.append(f"  {name}: {us:6.0f} us  variance {value:.3f}")

    print()
    print(f"One grab, median of {GRABS} (ratio to mss)")
    sizes = [f"{w}x{h}" for w, h in SIZES]
    print(f"  {'method':32} " + "  ".join(f"{s:>18}" for s in sizes))
    for name, cells in grab_rows.items():
        print(f"  {name:32} " + "  ".join(f"{c:>18}" for c in cells))
    if pil is None:
        print(f"  {'PIL.ImageGrab':32} cannot grab: {pil_reason}")
    print()
    print(f"Pipeline (grab, sharpness, locate, crop, encode), {RUNS} runs, ms; steps are medians")
    head = ["region", "frames", "median", "p90", *steps, "card", "within aim"]
    print("  " + " ".join(f"{h:>10}" for h in head))
    for row in pipe_rows:
        print("  " + " ".join(f"{c:>10}" for c in row))
    print()
    print("Variance of the Laplacian, 320 px grey copy of a 720p frame (median of 200)")
    print("\n".join(laplacian_rows))
    return 0


def laplacian_variance(grey: np.ndarray, depth: int) -> float:
    return float(cv2.meanStdDev(cv2.Laplacian(grey, depth))[1][0, 0]) ** 2


def grab_array_for_laplacian() -> np.ndarray:
    """A 720p scene frame for the Laplacian comparison (drawn, the window is gone by now)."""
    frame = np.full((720, 1280, 3), (40, 38, 36), np.uint8)
    cv2.rectangle(frame, (200, 180), (499, 379), (245, 248, 250), cv2.FILLED)
    cv2.putText(frame, "37", (260, 330), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 3, (20, 20, 20), 5)
    cv2.ellipse(frame, (820, 360), (200, 130), 15, 0, 360, (70, 160, 60), cv2.FILLED)
    return frame


if __name__ == "__main__":
    sys.exit(main())
