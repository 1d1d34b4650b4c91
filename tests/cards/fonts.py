"""The fonts the card set writes with, found through fontconfig; a missing one fails loudly.

The set's pictures depend on these exact fonts (scripts/setup.sh installs them), so a font
that is not there is an error, never a silent substitute.
"""

import subprocess
from dataclasses import dataclass
from functools import cache

from PIL import ImageFont

# family, style (as fontconfig spells them); file types PIL renders identically every run
PRINTED = (("WenQuanYi Micro Hei", "Regular"), ("DejaVu Sans", "Book"), ("DejaVu Sans", "Bold"))
HANDWRITTEN = (
    ("AR PL UKai CN", "Book"),
    ("AR PL KaitiM GB", "Regular"),
    ("Comic Neue", "Regular"),
    ("Comic Neue", "Bold"),
    ("Z003", "Medium Italic"),
)
CJK_PRINTED = ("WenQuanYi Micro Hei", "Regular")  # for what a Latin font has no glyph of
CJK_HANDWRITTEN = ("AR PL UKai CN", "Book")
_OUTLINE_TYPES = (".ttf", ".ttc", ".otf")


class MissingFontError(RuntimeError):
    """A font the card set needs is not installed (scripts/setup.sh installs them)."""


@dataclass(frozen=True)
class FontFile:
    """A font file and, for a collection (.ttc), the face's index in it."""

    path: str
    index: int


@cache
def _installed() -> tuple[tuple[str, str, str, int], ...]:
    """(file, families, styles, index) of every installed font."""
    try:
        out = subprocess.run(
            ["fc-list", "-f", "%{file}|%{family}|%{style}|%{index}\n"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise MissingFontError(f"fontconfig's fc-list is needed to find fonts: {exc}") from exc
    rows = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 4 and parts[0].endswith(_OUTLINE_TYPES):
            rows.append((parts[0], parts[1], parts[2], int(parts[3] or 0)))
    return tuple(sorted(rows))


@cache
def font_file(family: str, style: str) -> FontFile:
    """The file of an installed font by family and style; raises if it is not installed."""
    for path, families, styles, index in _installed():
        if family in families.split(",") and style in styles.split(","):
            return FontFile(path, index)
    raise MissingFontError(
        f"font {family!r} ({style}) is not installed; scripts/setup.sh installs the card set's"
        " fonts (fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-gkai00mp fonts-comic-neue)"
    )


@cache
def font(family: str, style: str, size: int) -> ImageFont.FreeTypeFont:
    """A loaded font at ``size`` pixels."""
    file = font_file(family, style)
    return ImageFont.truetype(file.path, size, index=file.index)


@cache
def has_glyph(family: str, style: str, char: str) -> bool:
    """Whether the font draws ``char`` itself (not its "missing glyph" box)."""
    face = font(family, style, 32)
    missing = face.getmask("\U0010fffd")
    mask = face.getmask(char)
    return (mask.size, bytes(mask)) != (missing.size, bytes(missing))
