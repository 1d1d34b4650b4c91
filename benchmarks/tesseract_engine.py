"""Tesseract 5 as a card engine, for the read benchmark only (never shipped).

Runs the ``tesseract`` command (Chinese + English data, apt packages ``tesseract-ocr`` and
``tesseract-ocr-chi-sim``) on the card image with TSV output, so every word comes with its
box and a confidence; words are grouped into lines by Tesseract's own block, paragraph and
line numbers. A line's confidence is its least sure word's; each character is given its
word's confidence and box.
"""

import os
import shutil
import subprocess
from pathlib import Path

import cv2

from flashbuy_desktop.capture.card_reading import Glyph, Image, TextLine
from flashbuy_desktop.capture.types import Box

LANGUAGES = "chi_sim+eng"
PAGE_MODE = 11  # sparse text: a card's few lines, anywhere, in any order
MIN_HEIGHT = 400  # a smaller card image is scaled up: Tesseract wants text ~30 px high


class TesseractEngine:
    """The ``tesseract`` command as a :class:`~flashbuy_desktop.capture.card_reading.CardEngine`."""

    name = "Tesseract 5 (chi_sim+eng)"

    def __init__(self, page_mode: int = PAGE_MODE) -> None:
        self._page_mode = page_mode
        self._command: str | None = None

    def load(self) -> None:
        """Check the command and its language data are there (there is nothing to load)."""
        command = shutil.which("tesseract")
        if command is None:
            raise FileNotFoundError("tesseract is not installed (apt: tesseract-ocr)")
        languages = subprocess.run(  # noqa: S603 - our own fixed arguments
            [command, "--list-langs"], capture_output=True, text=True, check=True
        ).stdout.split()
        for language in LANGUAGES.split("+"):
            if language not in languages:
                raise FileNotFoundError(f"tesseract has no {language} data")
        self._command = command

    def model_files(self) -> list[Path]:
        """The language data files it reads."""
        self.load()
        assert self._command is not None
        out = subprocess.run(  # noqa: S603 - our own fixed arguments
            [self._command, "--list-langs"], capture_output=True, text=True, check=True
        ).stdout
        folder = Path(out.splitlines()[0].split('"')[1])
        return [folder / f"{language}.traineddata" for language in LANGUAGES.split("+")]

    def read_lines(self, image: Image) -> list[TextLine]:
        """The text lines of ``image`` (BGR uint8), top to bottom, boxes in its pixels."""
        if self._command is None:
            self.load()
        assert self._command is not None
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        scale = max(1.0, MIN_HEIGHT / max(1, grey.shape[0]))
        if scale > 1.0:
            grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        ok, png = cv2.imencode(".png", grey)
        assert ok
        tsv = subprocess.run(  # noqa: S603 - our own fixed arguments
            [
                self._command,
                "stdin",
                "stdout",
                "-l",
                LANGUAGES,
                "--psm",
                str(self._page_mode),
                "tsv",
            ],
            input=png.tobytes(),
            capture_output=True,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "2"},  # as many threads as PP-OCR's
        ).stdout.decode("utf-8", "replace")
        return _lines(tsv, scale)


def _lines(tsv: str, scale: float) -> list[TextLine]:
    """Tesseract's TSV words grouped into lines (confidence 0..1, boxes in the input's pixels)."""
    words: dict[tuple[int, int, int], list[tuple[str, float, Box]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (round(int(v) / scale) for v in cells[6:10])
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        confidence = max(0.0, float(cells[10])) / 100
        words.setdefault(key, []).append(
            (cells[11].strip(), confidence, Box(left, top, width, height))
        )
    lines = []
    for line_words in words.values():
        text, glyphs = "", []
        for n, (word, confidence, box) in enumerate(line_words):
            if n and (word[0].isascii() and text[-1].isascii()):  # no spaces between Chinese
                text += " "
                glyphs.append(Glyph(" ", 1.0, box))
            text += word
            glyphs.extend(Glyph(ch, confidence, box) for ch in word)
        x0 = min(b.x for _, _, b in line_words)
        y0 = min(b.y for _, _, b in line_words)
        x1 = max(b.x + b.width for _, _, b in line_words)
        y1 = max(b.y + b.height for _, _, b in line_words)
        confidence = min(c for _, c, _ in line_words)
        lines.append(TextLine(text, confidence, Box(x0, y0, x1 - x0, y1 - y0), tuple(glyphs)))
    lines.sort(key=lambda line: (line.box.y + line.box.height / 2, line.box.x))
    return lines


def size_mb(engine: TesseractEngine) -> float:
    """The language data's size on disk."""
    return sum(path.stat().st_size for path in engine.model_files()) / 1e6
