"""Stand-ins for the new flash-buy window's tests: a capture engine that never grabs, its frame.

Shared by the window's own tests (tests/desktop/ui/test_new_flashbuy.py) and the end-to-end
publishing tests (tests/desktop/e2e/test_publish.py).
"""

import io
import threading
from typing import Any

from PIL import Image, ImageDraw

from flashbuy_desktop.capture.types import Box, CaptureResult, CaptureWarning, Region
from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog

TIMEOUT = 20_000


def scene_jpeg(width: int = 480, height: int = 320) -> bytes:
    """A stand-in for a capture: a jade bangle beside a white order card."""
    image = Image.new("RGB", (width, height), "#3b3f46")
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 60, 190, 260), fill="#f7f7f2", outline="#222222", width=3)
    draw.text((60, 120), "No.3", fill="#111111")
    draw.text((60, 170), "1288", fill="#b00020")
    draw.ellipse((240, 70, 440, 270), outline="#2e8b57", width=28)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


class FakeFrame:
    """What CaptureService needs of the capture frame: a region (never grabbed here)."""

    def region(self) -> Region:
        return Region(0, 0, 480, 320)


class FakeEngine:
    """Returns a fixed capture; counts calls; can be held until released."""

    def __init__(self, warnings: tuple[CaptureWarning, ...] = ()) -> None:
        self.jpeg = scene_jpeg()
        self.warnings = warnings
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()

    def __call__(self, region: Region, cancel: threading.Event) -> CaptureResult:
        with self.lock:
            self.calls += 1
        self.gate.wait(30)
        return CaptureResult(
            jpeg=self.jpeg,
            width=480,
            height=320,
            crop=Box(0, 0, 480, 320),
            card=Box(30, 60, 160, 200),
            piece=Box(240, 70, 200, 200),
            sharpness=120.0,
            warnings=self.warnings,
        )


def wait_ready(qtbot: Any, dialog: NewFlashBuyDialog) -> None:
    qtbot.waitUntil(
        lambda: (
            dialog.captured_result() is not None
            and dialog._products_loaded
            and dialog._templates_loaded
        ),
        timeout=TIMEOUT,
    )
