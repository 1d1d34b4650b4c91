"""A crop turned into the JPEG that is uploaded: by the engine, and after the seller's own crop."""

from typing import NamedTuple

import cv2
import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.crop import CropFraction


class EncodedImage(NamedTuple):
    """JPEG bytes and the size of the picture they hold."""

    jpeg: bytes
    width: int
    height: int


def encode_jpeg(
    image: npt.NDArray[np.uint8], *, quality: int = 90, max_side: int = 1600
) -> EncodedImage:
    """Encode a BGR or BGRA image (a view is fine) as JPEG, longest side at most ``max_side``.

    A larger image is shrunk with ``INTER_AREA`` (the resampling that keeps fine detail without
    aliasing when shrinking); a smaller one is never enlarged.
    """
    if image.ndim != 3 or image.shape[2] not in (3, 4):
        raise ValueError(f"expected a BGR or BGRA image, not shape {image.shape}")
    if not 1 <= quality <= 100:
        raise ValueError(f"a JPEG quality is 1 to 100, not {quality}")
    if max_side < 1:
        raise ValueError(f"the longest side is at least 1 px, not {max_side}")
    height, width = image.shape[:2]
    if height == 0 or width == 0:
        raise ValueError("cannot encode an empty image")
    bgr = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR) if image.shape[2] == 4 else image
    longest = max(height, width)
    if longest > max_side:
        scale = max_side / longest
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
        bgr = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_AREA)
    ok, buffer = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("OpenCV could not encode the image as JPEG")
    return EncodedImage(buffer.tobytes(), width, height)


def crop_jpeg(
    jpeg: bytes, crop: CropFraction | None, *, quality: int = 90, max_side: int = 1600
) -> bytes:
    """The JPEG cut down to ``crop`` and encoded again like a capture (unchanged without a crop).

    ``quality`` and ``max_side`` are the capture's (``CaptureConfig``), so a picture the seller
    cropped is encoded exactly as one the engine cropped.
    """
    if crop is None:
        return jpeg
    decoded = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        raise ValueError("the captured picture could not be decoded")
    image: npt.NDArray[np.uint8] = np.asarray(decoded, dtype=np.uint8)  # 8-bit BGR already
    height, width = image.shape[:2]
    box = crop.to_pixels(width, height)
    part = image[box.y : box.y + box.height, box.x : box.x + box.width]
    return encode_jpeg(part, quality=quality, max_side=max_side).jpeg
