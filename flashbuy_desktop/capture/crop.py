"""A crop the seller drags over a captured picture, kept as shares of its size (no Qt, no OpenCV).

Shares rather than pixels: the window shows the picture scaled, and the same crop must cut the
full-size JPEG that is uploaded. Importing this module loads nothing heavy, so the window can
hold a crop without loading OpenCV (:func:`flashbuy_desktop.capture.encode.crop_jpeg` cuts it).
"""

from dataclasses import dataclass

from flashbuy_desktop.capture.types import Box


@dataclass(frozen=True)
class CropFraction:
    """A crop as shares of the picture's width and height (0..1), whatever its pixel size."""

    left: float
    top: float
    right: float
    bottom: float

    def to_pixels(self, width: int, height: int) -> Box:
        """The crop in the pixels of a ``width`` x ``height`` image, clipped to it (never empty)."""
        x0 = min(max(round(self.left * width), 0), width - 1)
        y0 = min(max(round(self.top * height), 0), height - 1)
        x1 = max(round(self.right * width), x0 + 1)
        y1 = max(round(self.bottom * height), y0 + 1)
        return Box(x0, y0, min(x1, width) - x0, min(y1, height) - y0)
