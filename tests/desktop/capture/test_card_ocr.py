"""The shipped OCR engine: model files, what it refuses, bounded work, glyphs and boxes."""

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from flashbuy_desktop.capture.card_ocr import (
    DET_MODEL,
    MAX_INPUT_SIDE,
    REC_MODEL,
    DownloadRefusedError,
    ModelLoadError,
    ModelMissingError,
    PaddleEngine,
    bounded,
    model_dir,
    no_downloads,
    widened,
)
from flashbuy_desktop.capture.card_reading import Image
from tests.desktop.capture.card_paint import paint


@pytest.fixture(scope="module")
def engine() -> PaddleEngine:
    engine = PaddleEngine()
    engine.load()
    return engine


def test_the_models_ship_inside_the_installed_package() -> None:
    det, rec = PaddleEngine().model_paths()
    assert det == model_dir() / DET_MODEL
    assert rec == model_dir() / REC_MODEL
    assert det.is_file()
    assert rec.is_file()


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match=DET_MODEL):
        PaddleEngine(tmp_path).load()
    (tmp_path / DET_MODEL).symlink_to(model_dir() / DET_MODEL)
    with pytest.raises(ModelMissingError, match=REC_MODEL):
        PaddleEngine(tmp_path).load()


def test_an_unusable_model_fails_loudly_and_never_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import requests
    from rapidocr.utils.download_file import DownloadFile

    asked: list[object] = []
    monkeypatch.setattr(requests.Session, "request", lambda *a, **k: asked.append(a))
    # A "recogniser" without its character list: rapidocr would look for one elsewhere.
    (tmp_path / DET_MODEL).symlink_to(model_dir() / DET_MODEL)
    (tmp_path / REC_MODEL).symlink_to(model_dir() / DET_MODEL)
    with pytest.raises(ModelLoadError, match=REC_MODEL):
        PaddleEngine(tmp_path).load()
    assert asked == []
    assert DownloadFile.run.__name__ == "run"  # put back after loading


def test_within_loading_rapidocr_can_fetch_nothing(tmp_path: Path) -> None:
    from rapidocr.utils.download_file import DownloadFile, DownloadFileInput

    target = tmp_path / "fetched.onnx"
    with no_downloads(), pytest.raises(DownloadRefusedError):
        DownloadFile.run(
            DownloadFileInput("https://example.invalid/m.onnx", target, logging.getLogger())
        )
    assert not target.exists()
    assert DownloadFile.run.__name__ == "run"  # rapidocr's own again afterwards


@pytest.mark.parametrize(
    ("image", "problem"),
    [
        (np.zeros((100, 100, 4), np.uint8), "H x W x 3"),
        (np.zeros((100, 100), np.uint8), "H x W x 3"),
        (np.zeros((100, 100, 3), np.float32), "uint8"),
        (np.zeros((100, 100, 3), np.uint16), "uint8"),
        ([[0, 0, 0]], "numpy array"),
    ],
)
def test_what_is_not_a_bgr_picture_is_refused(
    engine: PaddleEngine, image: object, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        engine.read_lines(image)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((1, 1, 3), np.uint8),
        np.zeros((3, 5000, 3), np.uint8),
        np.zeros((480, 640, 3), np.uint8),
        np.full((480, 640, 3), 255, np.uint8),
        np.zeros((8000, 8000, 3), np.uint8),
    ],
    ids=["1x1", "a sliver", "black", "white", "8000x8000"],
)
def test_an_empty_picture_reads_no_lines(engine: PaddleEngine, image: Image) -> None:
    assert engine.read_lines(image) == []


def test_noise_is_read_within_the_picture(engine: PaddleEngine) -> None:
    image = np.random.default_rng(15).integers(0, 256, (600, 900, 3), dtype=np.uint8)
    for line in engine.read_lines(image):
        box = line.box
        assert 0 <= box.x <= box.x + box.width <= 900
        assert 0 <= box.y <= box.y + box.height <= 600
        assert 0 <= line.confidence <= 1
        assert len(line.glyphs) == len(line.text)


def test_a_huge_picture_is_scaled_down_first_and_boxes_map_back(engine: PaddleEngine) -> None:
    card = paint(["3号 ¥1288"], size=(420, 260))
    huge = np.repeat(np.repeat(card, 8, axis=0), 8, axis=1)  # 3360 x 2080
    small, scale = bounded(huge)
    assert max(small.shape[:2]) == MAX_INPUT_SIDE
    assert scale == pytest.approx(3360 / MAX_INPUT_SIDE)
    lines = engine.read_lines(huge)
    assert [line.text.replace(" ", "") for line in lines] == ["3号¥1288"]
    near = engine.read_lines(card)[0].box
    far = lines[0].box
    assert abs(far.x - 8 * near.x) < 40
    assert abs(far.y - 8 * near.y) < 40
    assert abs(far.width - 8 * near.width) < 80


def test_each_character_has_its_confidence_and_box(engine: PaddleEngine) -> None:
    (line,) = engine.read_lines(paint(["#12   1288"]))
    assert line.text == "#12 1288"  # the gap the recogniser swallowed is a space again
    assert len(line.glyphs) == len(line.text)
    digits = [g for g in line.glyphs if g.char.isdigit()]
    assert all(0 < g.confidence <= 1 for g in digits)
    lefts = [g.box.x for g in digits]
    assert lefts == sorted(lefts)
    for glyph in digits:
        assert line.box.x <= glyph.box.x
        assert glyph.box.x + glyph.box.width <= line.box.x + line.box.width
        assert glyph.box.width < line.box.width / 3


def test_a_tilted_line_has_upright_bounds(engine: PaddleEngine) -> None:
    (line,) = engine.read_lines(paint(["¥1288"], angle=14.0))
    assert "1288" in line.text
    assert line.box.height > 1.3 * engine.read_lines(paint(["¥1288"]))[0].box.height


def test_a_line_has_its_corners_around_its_box(engine: PaddleEngine) -> None:
    (line,) = engine.read_lines(paint(["¥1288"], angle=10.0))
    assert len(line.corners) == 4
    xs = [x for x, _ in line.corners]
    ys = [y for _, y in line.corners]
    box = line.box
    assert box.x <= min(xs) + 1
    assert max(xs) <= box.x + box.width + 1
    assert box.y <= min(ys) + 1
    assert max(ys) <= box.y + box.height + 1
    (top_left, top_right, _, _) = line.corners
    assert top_right[1] < top_left[1]  # turned anticlockwise: the right end rises


@pytest.mark.parametrize("angle", [0.0, -12.0])
def test_a_whole_line_reads_the_same_again(engine: PaddleEngine, angle: float) -> None:
    card = paint(["3号", "1288"], angle=angle)
    lines = engine.read_lines(card)
    price = next(line for line in lines if "1288" in line.text)
    again = engine.reread(card, price)
    assert again is not None
    assert again.text.replace(" ", "") == "1288"
    assert len(again.glyphs) == len(again.text)
    assert min(g.confidence for g in again.glyphs) > 0.9


def test_a_line_cut_short_reads_more_again(engine: PaddleEngine) -> None:
    # The detector stopped at a hand or at the edge of a found box: "31888" seen as "318".
    card = paint(["3号", "31888"])
    price = next(line for line in engine.read_lines(card) if "31888" in line.text)
    (tl, tr, br, bl) = price.corners
    short_x = tl[0] + 0.6 * (tr[0] - tl[0])
    short = replace(price, corners=(tl, (short_x, tr[1]), (short_x, br[1]), bl))
    again = engine.reread(card, short)
    assert again is not None
    assert again.text.replace(" ", "") == "31888"


def test_widened_follows_the_line() -> None:
    quad = np.array([[10.0, 20.0], [110.0, 20.0], [110.0, 40.0], [10.0, 40.0]])
    grown = widened(quad, along=1.0, across=0.5)
    assert grown.tolist() == [[-10.0, 10.0], [130.0, 10.0], [130.0, 50.0], [-10.0, 50.0]]


def test_a_line_without_corners_is_not_read_again(engine: PaddleEngine) -> None:
    card = paint(["1288"])
    (line,) = engine.read_lines(card)
    assert engine.reread(card, replace(line, corners=())) is None
