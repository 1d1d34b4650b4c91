"""Order cards painted with PIL for the card reader's tests: a few lines on a paper colour."""

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from tests.cards import fonts

PRINTED = fonts.CJK_PRINTED  # (family, style), found as the card set finds its fonts
KAI = fonts.CJK_HANDWRITTEN


def paint(
    lines: list[str],
    *,
    size: tuple[int, int] = (420, 260),
    family: tuple[str, str] = PRINTED,
    text_px: int = 52,
    angle: float = 0.0,
    paper: tuple[int, int, int] = (245, 240, 228),
    ink: tuple[int, int, int] = (25, 25, 30),
) -> npt.NDArray[np.uint8]:
    """A card (BGR uint8) with ``lines`` written top to bottom, turned by ``angle``°."""
    picture = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(picture)
    face = fonts.font(*family, text_px)
    y = round(text_px * 0.5)
    for line in lines:
        draw.text((round(text_px * 0.5), y), line, fill=ink, font=face)
        y += round(text_px * 1.4)
    if angle:
        picture = picture.rotate(
            angle, expand=True, fillcolor=(70, 70, 75), resample=Image.Resampling.BICUBIC
        )
    return np.ascontiguousarray(np.asarray(picture)[:, :, ::-1])
