"""The card reader end to end: the shipped engine reads painted cards into piece and price."""

import threading
import time
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from flashbuy_desktop.capture.card_ocr import PaddleEngine
from flashbuy_desktop.capture.card_reading import CardReader, Image, ReadValue, TextLine, cut_card
from flashbuy_desktop.capture.card_words import BARE_NEED, CONFIRMED_NEED
from flashbuy_desktop.capture.types import Box
from tests.desktop.capture.card_paint import KAI, paint


def text_of(value: ReadValue | None) -> str | None:
    return None if value is None else value.text


@pytest.fixture(scope="module")
def reader() -> CardReader:
    reader = CardReader()
    reader.load()
    return reader


@pytest.mark.parametrize(
    ("lines", "options", "piece", "price"),
    [
        (["3号 ¥1288"], {}, "3", "1288"),
        (["#12", "1,288.50元"], {}, "12", "1288.50"),
        (["No.7 1.2万"], {}, "7", "12000"),
        (["3号", "¥1288"], {"angle": 12.0}, "3", "1288"),
        (["5号", "¥368"], {"angle": -14.0}, "5", "368"),
        (["8号", "¥2680"], {"family": KAI}, "8", "2680"),
        (["3号 ¥1288"], {"size": (900, 560), "text_px": 110}, "3", "1288"),
        (["3号 ¥1288"], {"size": (260, 160), "text_px": 30}, "3", "1288"),
    ],
)
def test_a_legible_card_is_read_sure(
    reader: CardReader,
    lines: list[str],
    options: dict[str, Any],
    piece: str,
    price: str,
) -> None:
    image = paint(lines, **options)
    reading = reader.read(image)
    assert (text_of(reading.sure_piece()), text_of(reading.sure_price())) == (piece, price), reading
    height, width = image.shape[:2]
    for value in (reading.piece, reading.price):
        assert value is not None
        box = value.box
        assert box.x >= 0
        assert box.y >= 0
        assert box.x + box.width <= width
        assert box.y + box.height <= height
    assert reading.engine == PaddleEngine.name
    assert reading.elapsed_ms > 0


def test_the_price_box_covers_the_price_only(reader: CardReader) -> None:
    reading = reader.read(paint(["3号   ¥1288"]))
    assert reading.piece is not None
    assert reading.price is not None
    piece, price = reading.piece.box, reading.price.box
    assert piece.x + piece.width <= price.x + 4  # side by side, hardly overlapping
    line = reading.lines[0].box
    assert price.width < 0.8 * line.width


def test_a_card_without_a_price_gives_the_piece_and_the_text(reader: CardReader) -> None:
    reading = reader.read(paint(["3号", "翡翠手镯"]))
    assert reading.price is None
    assert text_of(reading.sure_piece()) == "3"
    assert "手镯" in reading.text


def test_a_blank_card_reads_nothing(reader: CardReader) -> None:
    reading = reader.read(paint([]))
    assert (reading.piece, reading.price, reading.text, reading.lines) == (None, None, "", ())


def test_a_card_cut_from_a_frame_is_read_in_the_cut_image(reader: CardReader) -> None:
    frame = np.full((720, 1280, 3), 60, np.uint8)
    card = paint(["3号 ¥1288"])
    frame[300 : 300 + card.shape[0], 500 : 500 + card.shape[1]] = card
    image, where = cut_card(frame, Box(500, 300, card.shape[1], card.shape[0]))
    assert where.x < 500
    assert where.y < 300
    assert image.shape[:2] == (where.height, where.width)
    reading = reader.read(image)
    assert text_of(reading.sure_price()) == "1288"


class CountingEngine(PaddleEngine):
    """The shipped engine, counting how often it builds its models."""

    builds = 0

    def _build(self):  # type: ignore[no-untyped-def]
        type(self).builds += 1
        return super()._build()


def test_the_reader_loads_once_and_is_safe_from_two_threads() -> None:
    reader = CardReader(CountingEngine())
    loaders = [threading.Thread(target=reader.load) for _ in range(2)]
    for thread in loaders:
        thread.start()
    for thread in loaders:
        thread.join()
    reader.load()
    assert CountingEngine.builds == 1

    cards = {"1288": paint(["3号 ¥1288"]), "368": paint(["5号", "368元"])}
    results: dict[str, list[str | None]] = {price: [] for price in cards}

    def read_many(price: str) -> None:
        for _ in range(3):
            got = reader.read(cards[price]).sure_price()
            results[price].append(got.text if got else None)

    readers = [threading.Thread(target=read_many, args=(price,)) for price in cards]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert results == {"1288": ["1288"] * 3, "368": ["368"] * 3}
    assert CountingEngine.builds == 1


class DoubtfulEngine(PaddleEngine):
    """The shipped engine, but a little less sure of the price's line than it was, and
    optionally seeing it cut short (as a hand over the card's right end makes it)."""

    def __init__(self, price: str, *, cut_short: bool = False, second_read: bool = True) -> None:
        super().__init__()
        self.price = price
        self.second_read = second_read
        self.cut_short = cut_short
        self.reread_lines: list[TextLine] = []

    def read_lines(self, image: Image) -> list[TextLine]:
        lines = super().read_lines(image)
        return [self._doubt(line) if self.price in line.text else line for line in lines]

    def _doubt(self, line: TextLine) -> TextLine:
        short_of = (CONFIRMED_NEED + BARE_NEED) / 2
        glyphs = tuple(replace(g, confidence=min(g.confidence, short_of)) for g in line.glyphs)
        if not self.cut_short:
            return replace(line, glyphs=glyphs)
        (tl, tr, br, bl) = line.corners
        end = tl[0] + 0.6 * (tr[0] - tl[0])
        corners = (tl, (end, tr[1]), (end, br[1]), bl)
        text = line.text.replace(self.price, self.price[:3])
        return replace(line, text=text, glyphs=glyphs[: len(text)], corners=corners)

    def reread(self, image: Image, line: TextLine) -> TextLine | None:
        self.reread_lines.append(line)
        return super().reread(image, line) if self.second_read else None


@pytest.mark.parametrize("price", ["1288", "2540"])
def test_a_bare_price_short_of_sure_is_confirmed_by_a_second_read(price: str) -> None:
    engine = DoubtfulEngine(price)
    reader = CardReader(engine)
    card = paint(["3号", price])
    unconfirmed = CardReader(DoubtfulEngine(price, second_read=False)).read(card)
    assert unconfirmed.price is not None
    assert unconfirmed.price.text == price
    assert unconfirmed.sure_price() is None
    reading = reader.read(card)
    assert text_of(reading.sure_price()) == price
    assert len(engine.reread_lines) == 1
    assert price in engine.reread_lines[0].text


def test_a_price_line_cut_short_is_never_sure() -> None:
    engine = DoubtfulEngine("31888", cut_short=True)
    reading = CardReader(engine).read(paint(["3号", "31888"]))
    assert reading.price is not None
    assert reading.price.text == "318"
    assert reading.sure_price() is None  # the wider second read saw "31888"
    assert text_of(reading.sure_piece()) == "3"
    assert len(engine.reread_lines) == 1


def test_a_reading_s_time_includes_the_second_read() -> None:
    engine = DoubtfulEngine("1288")
    reader = CardReader(engine)
    card = paint(["3号", "1288"])
    began = time.perf_counter()
    reading = reader.read(card)
    spent = (time.perf_counter() - began) * 1000
    assert engine.reread_lines
    assert 0 < reading.elapsed_ms <= spent
