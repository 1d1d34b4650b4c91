"""The capture engine's vocabulary, shared by the Qt-free engine and the Qt frame."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is loaded on a worker, with the engine, never for these names
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True)
class Region:
    """A rectangle of the desktop in physical pixels, in mss's coordinates (virtual screen)."""

    left: int
    top: int
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"a region has a positive size, not {self.width}x{self.height}")


@dataclass(frozen=True)
class Box:
    """A rectangle inside a captured image, in that image's pixels."""

    x: int
    y: int
    width: int
    height: int


def union(a: Box, b: Box) -> Box:
    """The smallest box holding both."""
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    x1 = max(a.x + a.width, b.x + b.width)
    y1 = max(a.y + a.height, b.y + b.height)
    return Box(x0, y0, x1 - x0, y1 - y0)


class CaptureWarning(StrEnum):
    """What the seller should know about a picture before sending it."""

    CARD_NOT_FOUND = "CARD_NOT_FOUND"  # no order card in the frame: the whole frame is kept
    BLURRY = "BLURRY"  # much less sharp than the best frame of the burst


@dataclass(frozen=True)
class CaptureConfig:
    """How a capture is taken."""

    burst: int = 3  # frames grabbed
    interval_s: float = 0.033  # at least this long between two grabs
    max_side: int = 1600  # the JPEG's longest side at most
    jpeg_quality: int = 90
    margin: float = 0.06  # around card and piece, as a share of the crop's size

    def __post_init__(self) -> None:
        if not 1 <= self.burst <= 10:
            raise ValueError("a burst is 1 to 10 frames")
        if not 0 <= self.interval_s <= 1:
            raise ValueError("the interval between frames is 0 to 1 s")
        if not 64 <= self.max_side <= 4096:
            raise ValueError("the longest side is 64 to 4096 px")
        if not 50 <= self.jpeg_quality <= 100:
            raise ValueError("the JPEG quality is 50 to 100")


@dataclass(frozen=True)
class CaptureResult:
    """A picture ready to upload, and what the engine found in it."""

    jpeg: bytes
    width: int
    height: int
    crop: Box  # the part of the sharpest frame that the JPEG shows
    card: Box | None  # the order card in the frame, if found
    piece: Box | None  # the piece next to it, if found
    sharpness: float  # of the chosen frame (variance of the Laplacian, downscaled grey)
    warnings: tuple[CaptureWarning, ...] = ()
    frames: int = 1
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The card as the card reader gets it: a BGR uint8 copy of the chosen full-resolution
    # frame's card box plus a small margin (``card_reading.cut_card``), None without a card.
    # Never compared or printed: it is the pixels, the boxes say what matters.
    card_image: "npt.NDArray[np.uint8] | None" = field(default=None, repr=False, compare=False)
    card_image_box: Box | None = None  # where card_image was cut, in frame pixels


class CaptureError(Exception):
    """The capture could not be taken; ``str()`` says why in words for the seller."""


class CaptureCancelledError(CaptureError):
    """A newer capture (a retake) replaced this one."""
