"""The shipped card engine: PP-OCR (small detection + recognition models) on onnxruntime.

The models are the ones inside the installed ``rapidocr`` package; their paths are passed
explicitly and checked before anything loads, and loading refuses any download rapidocr
would otherwise attempt, so the engine never reaches the network: a missing file is a
:class:`ModelMissingError` naming it. No angle classifier: a card tilts at most ±15°,
which the detector's quadrilaterals follow.

Each line comes with one :class:`Glyph` per character: its confidence (the recogniser's
probability for that character, so a value can be as sure as its weakest character rather
than the line's mean) and its box, placed from the recogniser's CTC columns along the
line's quadrilateral. Spaces the recogniser swallowed between two far-apart runs of text
("#12   1288" read as "#121288") are put back from the same columns.
"""

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from flashbuy_desktop.capture.card_reading import Glyph, Image, TextLine
from flashbuy_desktop.capture.types import Box

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"

MAX_INPUT_SIDE = 1280  # a larger image is scaled down first: time and memory stay bounded
MIN_INPUT_SIDE = 8  # a smaller image has nothing to read
DET_LIMIT_SIDE = 640  # the detector's input, longest side (cards arrive ~250..900 px)
REC_BATCH = 6  # a card has a handful of lines: one batch
# One intra-op thread: on 2 cores shared with the console and the stream, a second one
# spins and waits more than it helps (measured: p50 ~42 ms with one, 50..105 ms with two).
THREADS = 1

# Two characters whose recogniser columns lie this far apart (and more than twice the
# line's usual spacing) were separated by a space on the card. rapidocr splits words at
# the same distance; a column is 8 px of the 48 px high line the recogniser sees.
SPACE_GAP_COLUMNS = 5.0
SPACE_GAP_RATIO = 2.0

# A line read again (PaddleEngine.reread) is cut wider than the detector found it: by this
# many of its heights on each end and this share of its height above and below. A line the
# detector cut short (a hand over the rest of "31888") then shows more than the first read,
# so the two reads disagree; a whole line reads the same with blank card around it.
REREAD_WIDEN = 1.0
REREAD_PAD = 0.15


def widened(quad: npt.NDArray[np.float64], along: float, across: float) -> npt.NDArray[np.float32]:
    """``quad`` (TL, TR, BR, BL) grown by ``along`` heights at each end and ``across`` of its
    height above and below, following its tilt."""
    top = quad[1] - quad[0]
    side = quad[3] - quad[0]
    height = float(np.linalg.norm(side))
    width = float(np.linalg.norm(top))
    grow = top / max(width, 1e-6) * height * along
    lift = side / max(height, 1e-6) * height * across
    out = np.array(
        [quad[0] - grow - lift, quad[1] + grow - lift, quad[2] + grow + lift, quad[3] - grow + lift]
    )
    return out.astype(np.float32)


class ModelMissingError(FileNotFoundError):
    """A model file of the OCR engine is not where the installed package should have it."""


class ModelLoadError(RuntimeError):
    """The model files are there but could not be loaded (damaged, or not those expected)."""


class DownloadRefusedError(ModelLoadError):
    """rapidocr tried to fetch a file: never at run time (the models travel with the app)."""


def model_dir() -> Path:
    """The folder of the models shipped inside the installed ``rapidocr`` package."""
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def _require(path: Path) -> Path:
    if not path.is_file():
        raise ModelMissingError(f"the card reader's model file is missing: {path}")
    return path


def _refuse_download(*_args: Any, **_kwargs: Any) -> None:
    raise DownloadRefusedError("the card reader never downloads models at run time")


@contextmanager
def no_downloads() -> Iterator[None]:
    """Within: any file rapidocr would fetch raises :class:`DownloadRefusedError` instead.

    With both model paths given rapidocr has nothing to fetch; should a model lack what it
    needs (a damaged file), it would go online for it: this refuses that.
    """
    from rapidocr.utils.download_file import DownloadFile

    fetch = DownloadFile.__dict__["run"]
    DownloadFile.run = _refuse_download  # type: ignore[method-assign]
    try:
        yield
    finally:
        DownloadFile.run = fetch  # type: ignore[method-assign]


def checked_image(image: object) -> Image:
    """``image`` if it is a BGR uint8 picture (H x W x 3); otherwise a clear ValueError."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"a card image is a numpy array, not {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ValueError(f"a card image is uint8 (8-bit BGR), not {image.dtype}")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"a card image is H x W x 3 (BGR), not {'x'.join(map(str, image.shape))}")
    return image


def bounded(image: Image, max_side: int = MAX_INPUT_SIDE) -> tuple[Image, float]:
    """``image`` scaled down to ``max_side`` at most, and the factor back to its pixels."""
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest <= max_side:
        return np.ascontiguousarray(image), 1.0
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8), longest / max_side


def _bounds(points: npt.NDArray[np.float64], scale: float, width: int, height: int) -> Box:
    """The axis-aligned bounds of ``points`` (x, y rows), scaled, inside the image."""
    x0 = int(np.clip(np.floor(points[:, 0].min() * scale), 0, width))
    y0 = int(np.clip(np.floor(points[:, 1].min() * scale), 0, height))
    x1 = int(np.clip(np.ceil(points[:, 0].max() * scale), 0, width))
    y1 = int(np.clip(np.ceil(points[:, 1].max() * scale), 0, height))
    return Box(x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def _along(quad: npt.NDArray[np.float64], u0: float, u1: float) -> npt.NDArray[np.float64]:
    """The corners of the part of ``quad`` (TL, TR, BR, BL) between fractions u0..u1."""
    top = quad[0] + np.outer([u0, u1], quad[1] - quad[0])
    bottom = quad[3] + np.outer([u0, u1], quad[2] - quad[3])
    return np.vstack([top, bottom])


def line_of(
    text: str,
    confidence: float,
    quad: npt.NDArray[np.float64],
    info: Any,
    *,
    scale: float,
    width: int,
    height: int,
) -> TextLine:
    """One recognised line as a :class:`TextLine` with a glyph per character.

    ``info`` is rapidocr's word information for the line: ``confs`` one per character of
    ``text`` (spaces included), ``word_cols`` the CTC column of each non-space character,
    ``line_txt_len`` how many columns the line's own pixels span.
    """
    line_box = _bounds(quad, scale, width, height)
    corners = tuple((float(x * scale), float(y * scale)) for x, y in quad[:4])
    confs: Sequence[float] = list(getattr(info, "confs", []) or [])
    cols = [int(c) for word in (getattr(info, "word_cols", []) or []) for c in word]
    span = float(getattr(info, "line_txt_len", 0.0) or 0.0)
    solid = [i for i, ch in enumerate(text) if not ch.isspace()]
    if len(confs) != len(text) or len(cols) != len(solid) or span <= 0:
        # Not the shape expected: every character gets the line's confidence and box.
        glyphs = tuple(Glyph(ch, confidence, line_box) for ch in text)
        return TextLine(text, confidence, line_box, glyphs, corners)
    edge_w = float(np.linalg.norm(quad[1] - quad[0]))
    edge_h = float(np.linalg.norm(quad[3] - quad[0]))
    upright = edge_h < 1.5 * max(edge_w, 1e-6)  # a tall crop is turned 90° by rapidocr
    steps = np.diff(cols) if len(cols) > 1 else np.array([])
    pitch = float(np.median(steps)) if steps.size else span / max(1, len(solid))
    half = max(0.5, min(pitch, span) / 2) / span

    out_text: list[str] = []
    glyphs_out: list[Glyph] = []
    col_of = dict(zip(solid, cols, strict=True))
    previous_col: int | None = None
    for i, ch in enumerate(text):
        col = col_of.get(i)
        if col is not None and previous_col is not None and out_text and out_text[-1] != " ":
            gap = col - previous_col
            if gap > SPACE_GAP_COLUMNS and gap > SPACE_GAP_RATIO * pitch:
                middle = (previous_col + col + 1) / 2 / span
                box = _bounds(_along(quad, middle, middle), scale, width, height)
                out_text.append(" ")
                glyphs_out.append(Glyph(" ", 1.0, box))
        if col is None or not upright:
            box = line_box
        else:
            centre = (col + 0.5) / span
            u0, u1 = max(0.0, centre - half), min(1.0, centre + half)
            box = _bounds(_along(quad, u0, u1), scale, width, height)
        out_text.append(ch)
        glyphs_out.append(Glyph(ch, float(confs[i]), box))
        if col is not None:
            previous_col = col
    return TextLine("".join(out_text), confidence, line_box, tuple(glyphs_out), corners)


class PaddleEngine:
    """PP-OCR small detection + recognition on onnxruntime, from the installed package."""

    name = "PP-OCRv6 small (onnxruntime)"

    def __init__(self, models: Path | None = None, *, threads: int = THREADS) -> None:
        self._models = models
        self._threads = threads
        self._ocr: Any = None
        self._lock = threading.Lock()

    def model_paths(self) -> tuple[Path, Path]:
        """The detection and recognition model files this engine loads."""
        folder = self._models if self._models is not None else model_dir()
        return folder / DET_MODEL, folder / REC_MODEL

    def load(self) -> None:
        """Load both models (once); raises if a file is missing.

        The first read after it pays for onnxruntime's first run: the console reads a
        made-up card on its read worker at start (``CaptureService.warm_up``).
        """
        with self._lock:
            if self._ocr is None:
                self._ocr = self._build()

    def _build(self) -> Any:
        det, rec = (_require(path) for path in self.model_paths())
        from rapidocr import RapidOCR

        class _Ocr(RapidOCR):
            def calc_word_boxes(self, img: Any, dt_boxes: Any, rec_res: Any) -> Any:
                # Keep rapidocr's raw per-character columns and confidences: its own word
                # boxes drop spaces' confidences and misalign the rest (see line_of).
                return rec_res.word_results

        params = {
            "Global.use_cls": False,
            "Global.log_level": "error",  # "no text found" is an answer, not a warning
            "Global.text_score": 0.0,  # every line is kept: the words decide what is sure
            "Global.return_word_box": True,
            "Global.max_side_len": MAX_INPUT_SIDE,
            "Global.model_root_dir": str(det.parent),
            "Det.model_path": str(det),
            "Det.limit_side_len": DET_LIMIT_SIDE,
            "Det.limit_type": "max",
            "Rec.model_path": str(rec),
            "Rec.rec_batch_num": REC_BATCH,
            "EngineConfig.onnxruntime.intra_op_num_threads": self._threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        try:
            with no_downloads():
                ocr = _Ocr(params=params)
                ocr._load_det_model()  # type: ignore[no-untyped-call]  # lazily, else: now
                ocr._load_rec_model()  # type: ignore[no-untyped-call]
        except ModelLoadError:
            raise
        except Exception as exc:  # onnxruntime's and omegaconf's errors: say which files
            raise ModelLoadError(f"the card reader could not load {det} and {rec}: {exc}") from exc
        return ocr

    def reread(self, image: Image, line: TextLine) -> TextLine | None:
        """``line`` of ``image`` recognised again on its own, cut wider than detected.

        A second, independent read of one line (the recogniser alone, ~5-10 ms): where the
        first read found a value the card's words trust only if it is confirmed, this says
        whether the line, seen with what lies beyond its ends, still reads the same.
        """
        if len(line.corners) != 4:
            return None
        image = checked_image(image)
        height, width = image.shape[:2]
        self.load()
        quad = widened(np.asarray(line.corners, dtype=np.float64), REREAD_WIDEN, REREAD_PAD)
        quad[:, 0] = np.clip(quad[:, 0], 0, width - 1)
        quad[:, 1] = np.clip(quad[:, 1], 0, height - 1)
        from rapidocr.ch_ppocr_rec.typings import TextRecInput
        from rapidocr.utils.process_img import get_rotate_crop_image

        crop = get_rotate_crop_image(image, quad.copy())
        if min(crop.shape[:2]) < 2:
            return None
        with self._lock:
            result = self._ocr.text_rec(TextRecInput(img=[crop], return_word_box=True))
        txts = getattr(result, "txts", None)
        if not txts or not str(txts[0]).strip():
            return None
        words = getattr(result, "word_results", None) or (None,)
        return line_of(
            str(txts[0]),
            float(result.scores[0]),
            quad.astype(np.float64),
            words[0],
            scale=1.0,
            width=width,
            height=height,
        )

    def read_lines(self, image: Image) -> list[TextLine]:
        """The text lines of ``image`` (BGR uint8), top to bottom, boxes in its pixels."""
        image = checked_image(image)
        height, width = image.shape[:2]
        if min(height, width) < MIN_INPUT_SIDE:
            return []
        self.load()
        small, scale = bounded(image)
        if min(small.shape[:2]) < MIN_INPUT_SIDE:
            return []
        with self._lock:
            result = self._ocr(small)
        txts = getattr(result, "txts", None)
        if not txts:
            return []
        boxes = np.asarray(result.boxes, dtype=np.float64)
        words = getattr(result, "word_results", None) or ()
        if len(words) != len(txts):
            words = (None,) * len(txts)
        # rapidocr's order: top to bottom, left to right within a row.
        return [
            line_of(
                str(text),
                float(score),
                boxes[i],
                words[i],
                scale=scale,
                width=width,
                height=height,
            )
            for i, (text, score) in enumerate(zip(txts, result.scores, strict=True))
            if str(text).strip()
        ]
