"""Order cards painted with PIL for the card reader's tests: a few lines on a paper colour."""

import subprocess
from functools import cache

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

PRINTED = "WenQuanYi Micro Hei"
KAI = "AR PL UKai CN"


@cache
def font_path(family: str) -> str:
    """The file of an installed font (fc-match would substitute: fail loudly instead)."""
    out = subprocess.run(
        ["fc-list", f":family={family}", "file"], check=True, capture_output=True, text=True
    ).stdout
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    assert files, f"font {family!r} is not installed (scripts/setup.sh installs it)"
    return files[0]


def paint(
    lines: list[str],
    *,
    size: tuple[int, int] = (420, 260),
    family: str = PRINTED,
    text_px: int = 52,
    angle: float = 0.0,
    paper: tuple[int, int, int] = (245, 240, 228),
    ink: tuple[int, int, int] = (25, 25, 30),
) -> npt.NDArray[np.uint8]:
    """A card (BGR uint8) with ``lines`` written top to bottom, turned by ``angle``°."""
    picture = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(picture)
    face = ImageFont.truetype(font_path(family), text_px)
    y = round(text_px * 0.5)
    for line in lines:
        draw.text((round(text_px * 0.5), y), line, fill=ink, font=face)
        y += round(text_px * 1.4)
    if angle:
        picture = picture.rotate(
            angle, expand=True, fillcolor=(70, 70, 75), resample=Image.Resampling.BICUBIC
        )
    return np.ascontiguousarray(np.asarray(picture)[:, :, ::-1])
