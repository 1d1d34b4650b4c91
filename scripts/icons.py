"""The application icon: one drawing, written as SVG and painted into every size a system needs.

    .venv/bin/python scripts/icons.py build    # write every icon file from the drawing below
    .venv/bin/python scripts/icons.py check    # exit 1 if a committed file differs from it

The drawing (a jade-green rounded square with a white lightning bolt: a flash-buy) is
defined once, in :data:`BOLT` and the constants beside it, in a 0..1 square. From it:

- ``resources/icons/flashbuy.svg``: the vector source, for anyone who edits or prints it;
- ``flashbuy_desktop/resources/icons/flashbuy_<size>.png``: the sizes the console's windows
  and taskbar use at run time (package data, so pip installs and the PyInstaller build carry
  them; ``flashbuy_desktop.ui.app_icon`` loads them);
- ``resources/icons/flashbuy.ico`` (Windows) and ``resources/icons/flashbuy.icns`` (macOS):
  the packaged program's icon, which only ``build_spec.py`` reads.

Pillow paints each size on its own at 8x and scales it down, so small sizes stay sharp; the
16 px drawing has a thicker bolt and a smaller margin, where the large one would blur.
``check`` compares pixels (not bytes: another zlib may compress the same picture
differently), so it holds on every machine with the Pillow of pyproject.toml.
"""

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.IcnsImagePlugin import IcnsImageFile
from PIL.IcoImagePlugin import IcoImageFile

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "resources" / "icons"
RUNTIME = REPO / "flashbuy_desktop" / "resources" / "icons"
NAME = "flashbuy"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)  # what a window, a taskbar and a dock ask for
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows: Explorer, taskbar, Alt+Tab
# macOS: Finder, Dock and their retina variants; Pillow's .icns holds these pixel sizes
# (16 px at 2x upwards: macOS scales the 32 px picture down for a 16 px slot).
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)
SUPERSAMPLE = 8

JADE_TOP = (22, 168, 112)  # a light jade at the top edge...
JADE_BOTTOM = (8, 122, 80)  # ...to a deep one at the bottom: white stays legible on both
WHITE = (255, 255, 255)

# The lightning bolt, a closed polygon in the unit square (x right, y down).
BOLT: tuple[tuple[float, float], ...] = (
    (0.575, 0.135),
    (0.285, 0.555),
    (0.475, 0.555),
    (0.405, 0.865),
    (0.725, 0.425),
    (0.530, 0.425),
    (0.625, 0.135),
)


@dataclass(frozen=True)
class Shape:
    """The drawing's proportions at one size (fractions of the side)."""

    margin: float  # empty border around the rounded square
    radius: float  # corner radius of the square
    bolt_scale: float  # the bolt's size, about the centre


def shape_for(size: int) -> Shape:
    """Small sizes fill more of their square and draw a bigger bolt: a pixel is precious."""
    if size <= 16:
        return Shape(margin=0.0, radius=0.20, bolt_scale=1.18)
    if size <= 32:
        return Shape(margin=0.03, radius=0.21, bolt_scale=1.10)
    return Shape(margin=0.06, radius=0.22, bolt_scale=1.0)


def _bolt(shape: Shape, side: float) -> list[tuple[float, float]]:
    return [
        ((0.5 + (x - 0.5) * shape.bolt_scale) * side, (0.5 + (y - 0.5) * shape.bolt_scale) * side)
        for x, y in BOLT
    ]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def paint(size: int) -> Image.Image:
    """The icon at ``size`` x ``size`` pixels, RGBA."""
    shape = shape_for(size)
    side = size * SUPERSAMPLE
    inset = round(shape.margin * side)
    square = (inset, inset, side - 1 - inset, side - 1 - inset)
    mask = Image.new("L", (side, side), 0)
    ImageDraw.Draw(mask).rounded_rectangle(square, radius=round(shape.radius * side), fill=255)
    # A vertical gradient, one row at a time, from the top colour to the bottom one.
    gradient = Image.new("RGB", (1, side))
    span = max(1, square[3] - square[1])
    for y in range(side):
        t = min(1.0, max(0.0, (y - square[1]) / span))
        gradient.putpixel(
            (0, y),
            tuple(round(a + (b - a) * t) for a, b in zip(JADE_TOP, JADE_BOTTOM, strict=True)),
        )
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    image.paste(gradient.resize((side, side)), (0, 0), mask)
    ImageDraw.Draw(image).polygon(_bolt(shape, side), fill=(*WHITE, 255))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def svg() -> str:
    """The vector source, drawn at 256 units with the large size's proportions."""
    side = 256
    shape = shape_for(side)
    inset = shape.margin * side
    width = side - 2 * inset
    points = " ".join(f"{x:.2f},{y:.2f}" for x, y in _bolt(shape, side))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
        f'viewBox="0 0 {side} {side}">\n'
        "  <title>flashbuy</title>\n"
        "  <defs>\n"
        '    <linearGradient id="jade" x1="0" y1="0" x2="0" y2="1">\n'
        f'      <stop offset="0" stop-color="{_hex(JADE_TOP)}"/>\n'
        f'      <stop offset="1" stop-color="{_hex(JADE_BOTTOM)}"/>\n'
        "    </linearGradient>\n"
        "  </defs>\n"
        f'  <rect x="{inset:.2f}" y="{inset:.2f}" width="{width:.2f}" height="{width:.2f}" '
        f'rx="{shape.radius * side:.2f}" fill="url(#jade)"/>\n'
        f'  <polygon points="{points}" fill="{_hex(WHITE)}"/>\n'
        "</svg>\n"
    )


def png_path(size: int, folder: Path = RUNTIME) -> Path:
    """The run-time PNG of ``size``."""
    return folder / f"{NAME}_{size}.png"


def ico_path(folder: Path = SOURCES) -> Path:
    """The Windows icon of the packaged program."""
    return folder / f"{NAME}.ico"


def icns_path(folder: Path = SOURCES) -> Path:
    """The macOS icon of the .app bundle."""
    return folder / f"{NAME}.icns"


def svg_path(folder: Path = SOURCES) -> Path:
    """The vector source."""
    return folder / f"{NAME}.svg"


def build(sources: Path = SOURCES, runtime: Path = RUNTIME) -> list[Path]:
    """Write every icon file; the paths written."""
    sources.mkdir(parents=True, exist_ok=True)
    runtime.mkdir(parents=True, exist_ok=True)
    written = []
    for size in PNG_SIZES:
        paint(size).save(png_path(size, runtime), optimize=True)
        written.append(png_path(size, runtime))
    largest = paint(max(ICO_SIZES))
    # Pillow scales the largest picture for the sizes it is not given: give it each one.
    largest.save(
        ico_path(sources),
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[paint(s) for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    paint(max(ICNS_SIZES)).save(
        icns_path(sources), append_images=[paint(s) for s in ICNS_SIZES if s != max(ICNS_SIZES)]
    )
    svg_path(sources).write_text(svg(), encoding="utf-8")
    written += [ico_path(sources), icns_path(sources), svg_path(sources)]
    return written


def _shown(path: Path) -> str:
    """A path as a message shows it: from the checkout's root where it lies inside."""
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)


def _same_pixels(a: Image.Image, b: Image.Image) -> bool:
    a, b = a.convert("RGBA"), b.convert("RGBA")
    return a.size == b.size and a.tobytes() == b.tobytes()


def _frames(path: Path) -> dict[int, Image.Image]:
    """Each picture stored in an .ico or .icns file, by its width in pixels."""
    data = BytesIO(path.read_bytes())
    found: dict[int, Image.Image] = {}
    with Image.open(data) as first:
        stored = list(first.info["sizes"])
    for entry in stored:
        data.seek(0)
        with Image.open(data) as image:
            # Pillow's way to pick one of the stored pictures: .ico by (width, height),
            # .icns by (width, height, scale) in points.
            if isinstance(image, IcnsImageFile):
                width, height, scale = entry
                image.best_size = entry
                image.size = (width * scale, height * scale)
            elif isinstance(image, IcoImageFile):
                image.size = entry
            image.load()
            found[image.width] = image.copy()
    return found


def problems(sources: Path = SOURCES, runtime: Path = RUNTIME) -> list[str]:
    """Every icon file that is missing or differs from the drawing (empty: all fine)."""
    found: list[str] = []
    for size in PNG_SIZES:
        path = png_path(size, runtime)
        if not path.is_file():
            found.append(f"missing: {_shown(path)}")
            continue
        with Image.open(path) as image:
            if not _same_pixels(image, paint(size)):
                found.append(f"differs from the drawing: {_shown(path)}")
    for path, sizes in ((ico_path(sources), ICO_SIZES), (icns_path(sources), ICNS_SIZES)):
        if not path.is_file():
            found.append(f"missing: {_shown(path)}")
            continue
        try:
            frames = _frames(path)
        except (OSError, ValueError, KeyError) as exc:
            found.append(f"unreadable ({exc}): {_shown(path)}")
            continue
        if sorted(frames) != sorted(sizes):
            found.append(f"holds sizes {sorted(frames)}, not {list(sizes)}: {path.name}")
            continue
        for size, frame in frames.items():
            if not _same_pixels(frame, paint(size)):
                found.append(f"differs from the drawing at {size} px: {_shown(path)}")
    path = svg_path(sources)
    if not path.is_file() or path.read_text(encoding="utf-8") != svg():
        found.append(f"missing or differs from the drawing: {_shown(path)}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=("build", "check"))
    args = parser.parse_args(argv)
    if args.command == "build":
        for path in build():
            print(f"wrote {_shown(path)}")
        return 0
    found = problems()
    if not found:
        print("icons: every file matches the drawing")
        return 0
    for line in found:
        print(f"  - {line}", file=sys.stderr)
    print("fix: .venv/bin/python scripts/icons.py build", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
