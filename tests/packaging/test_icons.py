"""The application icon: every committed file is what scripts/icons.py paints, at every size."""

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

from PIL import Image

from flashbuy_build.plan import REPO


def _icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("icons", REPO / "scripts" / "icons.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_icon_files_match_the_drawing() -> None:
    icons = _icons()
    assert icons.problems() == []


def test_a_changed_pixel_or_a_missing_file_is_found(tmp_path: Path) -> None:
    icons = _icons()
    sources, runtime = tmp_path / "sources", tmp_path / "runtime"
    shutil.copytree(icons.SOURCES, sources)
    shutil.copytree(icons.RUNTIME, runtime)
    monkey = icons.png_path(16, runtime)
    with Image.open(monkey) as image:
        changed = image.copy()
    changed.putpixel((8, 8), (255, 0, 0, 255))
    changed.save(monkey)
    icons.ico_path(sources).unlink()
    found = icons.problems(sources, runtime)
    assert any("flashbuy_16.png" in line and "differs" in line for line in found), found
    assert any("missing" in line and "flashbuy.ico" in line for line in found), found


def test_every_size_is_square_and_the_corners_see_through() -> None:
    icons = _icons()
    for size in icons.PNG_SIZES:
        with Image.open(icons.png_path(size)) as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            alpha = image.getchannel("A")
            if size > 16:  # the 16 px square fills its pixels, rounded corners aside
                assert alpha.getpixel((0, 0)) == 0
            assert alpha.getpixel((size // 2, size // 2)) == 255


def test_the_svg_is_the_same_drawing() -> None:
    icons = _icons()
    text = icons.svg_path().read_text(encoding="utf-8")
    assert text == icons.svg()
    assert "<polygon" in text
    assert "linearGradient" in text
