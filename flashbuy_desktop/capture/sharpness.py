"""How sharp a frame is: the variance of the Laplacian of a downscaled grey copy.

The frame is turned grey first and then shrunk with ``INTER_AREA`` so that its longest side is
at most :data:`SHARPNESS_SIDE` pixels (grey-then-resize is about twice as fast as the other
order on a BGRA frame). Working on a small copy keeps the cost at about 1 ms for a 720p frame
and makes the score less sensitive to sensor noise, while blur of a few pixels still lowers it.

The Laplacian is computed into ``CV_16S``: with the default 3x3 aperture its values lie in
-1020..1020, so 16-bit integers hold it exactly (the variance equals the ``CV_64F`` one), and on
a 320x180 image it was the fastest of the three (about 0.12 ms; ``CV_32F`` 0.15-0.19 ms,
``CV_64F`` 0.12-0.21 ms over two runs of ``benchmarks/capture.py`` and a micro-benchmark).
``cv2.meanStdDev`` then accumulates in double precision.
"""

import cv2
import numpy as np
import numpy.typing as npt

SHARPNESS_SIDE = 320  # longest side of the grey copy the score is computed on


def to_grey(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """A single-channel copy of a BGR, BGRA or grey image (the grey image itself if it is one)."""
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY), dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    raise ValueError(f"expected a grey, BGR or BGRA image, not shape {image.shape}")


def downscale(image: npt.NDArray[np.uint8], max_side: int) -> npt.NDArray[np.uint8]:
    """The image shrunk with ``INTER_AREA`` so its longest side is at most ``max_side``."""
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest <= max_side:
        return image
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def sharpness(image: npt.NDArray[np.uint8], max_side: int = SHARPNESS_SIDE) -> float:
    """Variance of the Laplacian of the image, grey and downscaled: higher is sharper.

    Scores compare frames of the same scene (a burst); they are not an absolute scale.
    """
    small = downscale(to_grey(image), max_side)
    laplacian = cv2.Laplacian(small, cv2.CV_16S)
    _, stddev = cv2.meanStdDev(laplacian)
    return float(stddev[0, 0]) ** 2
