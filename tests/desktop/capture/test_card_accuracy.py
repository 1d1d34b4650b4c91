"""The shipped card reader on real-looking cards: it reads most of them right, and never fills
in a wrong value with confidence.

A fixed sample of the card set's TUNE part (clean and handwriting-style cards; the held-out
part is for the benchmark only), each found in its frame and cut as the console does, read by
the default reader (PP-OCR). The floors sit a little below what the reader measured on this
sample (benchmarks/read_card.py measures the held-out part).
"""

import pytest

from flashbuy_desktop.capture.card_reading import CardReader, CardReading, cut_card
from flashbuy_desktop.capture.locate import find_card
from tests.cards.card_set import card, indices
from tests.cards.scoring import piece_read, price_fen_of, price_read

PER_KIND = 30
# The share read right (at any confidence), measured on this sample when it was written:
# clean 0.97 piece, 0.97 price; handwriting 0.97 piece, 0.93 price.
FLOORS = {
    ("clean", "piece"): 0.9,
    ("clean", "price"): 0.9,
    ("handwriting", "piece"): 0.85,
    ("handwriting", "price"): 0.85,
}


@pytest.fixture(scope="module")
def reader() -> CardReader:
    reader = CardReader()
    reader.load()
    return reader


@pytest.mark.parametrize("kind", ["clean", "handwriting"])
def test_the_reader_gets_most_cards_right_and_never_a_confident_wrong_value(
    reader: CardReader, kind: str
) -> None:
    right = {"piece": 0, "price": 0}
    wrong: list[str] = []
    sample = indices(split="tune", kinds=(kind,))[:PER_KIND]
    for index in sample:
        c = card(index)
        box = find_card(c.frame)
        reading: CardReading | None = None
        if box is not None:
            reading = reader.read(cut_card(c.frame, box)[0])
        piece, price = piece_read(reading, c.piece), price_read(reading, c.price_fen)
        right["piece"] += piece.correct or (piece.truth_empty and piece.value is None)
        right["price"] += price.correct or (price.truth_empty and price.value is None)
        if reading is None:
            continue
        sure_piece, sure_price = reading.sure_piece(), reading.sure_price()
        if sure_piece is not None and sure_piece.text != c.piece:
            wrong.append(f"card {index} {c.written}: piece {sure_piece}")
        if sure_price is not None and price_fen_of(sure_price) != c.price_fen:
            wrong.append(f"card {index} {c.written}: price {sure_price}")
    measured = {field: count / len(sample) for field, count in right.items()}
    assert not wrong, "confident and wrong:\n" + "\n".join(wrong)
    for field, rate in measured.items():
        assert rate >= FLOORS[(kind, field)], f"{kind} {field}: {rate:.2f} right ({measured})"
