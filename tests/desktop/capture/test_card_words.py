"""The card's words: piece number, price and free text from OCR lines (plain tables)."""

import pytest

from flashbuy_desktop.capture.card_reading import (
    PIECE_MIN_CONFIDENCE,
    PRICE_MIN_CONFIDENCE,
    CardReading,
    Glyph,
    ReadValue,
    TextLine,
)
from flashbuy_desktop.capture.card_words import (
    BARE_NEED,
    CONFIRMABLE,
    CONFIRMED_NEED,
    PRICE_NEED,
    Way,
    reading_of,
)
from flashbuy_desktop.capture.types import Box
from flashbuy_protocol.money import parse_yuan


def lines_of(card: str, confidence: float = 1.0) -> list[TextLine]:
    """One TextLine per "|"-separated line, each character at the line's confidence."""
    return [
        TextLine(text, confidence, Box(10, 10 + 60 * i, 20 * max(1, len(text)), 50))
        for i, text in enumerate(card.split("|"))
    ]


def read(card: str, confidence: float = 1.0) -> CardReading:
    return reading_of(lines_of(card, confidence), engine="table", elapsed_ms=1.0)


def text_of(value: ReadValue | None) -> str | None:
    return None if value is None else value.text


SURE = [
    # card, piece, price
    ("3号 ¥1288", "3", "1288"),
    ("3号|¥1288", "3", "1288"),
    ("#3 1288元", "3", "1288"),
    ("＃３|￥１２８８", "3", "1288"),
    ("No.3|¥1,288", "3", "1288"),
    ("No 3|1288元", "3", "1288"),
    ("NO.3 ¥1288", "3", "1288"),
    ("no.12 ¥99", "12", "99"),
    ("№7 ¥99", "7", "99"),
    ("第3号 ¥1288", "3", "1288"),
    ("件号: 15|价格: 368", "15", "368"),
    ("#12 1,288.50元", "12", "1288.50"),
    ("3号 1288.5元", "3", "1288.50"),
    ("3号 ¥1,288.00", "3", "1288"),
    ("No.7 1.2万", "7", "12000"),
    ("7号 1.25万元", "7", "12500"),
    ("7号 12k", "7", "12000"),
    ("7号 12K", "7", "12000"),
    ("7号 1.5k", "7", "1500"),
    ("3号 1288", "3", "1288"),
    ("3号1288", "3", "1288"),
    ("3号¥1288", "3", "1288"),
    ("03号 ¥1288", "3", "1288"),
    ("3|¥1288", "3", "1288"),
    ("3|1288", "3", "1288"),  # neither marked, on lines apart, read perfectly
    ("3号|1288", "3", "1288"),
    ("3号|88", "3", "88"),
    ("翡翠手镯|5号|¥3,680", "5", "3680"),
    ("S925银项链 ¥199 5号", "5", "199"),
    ("18K金戒指|3号 ¥2999", "3", "2999"),
    ("3号 56mm ¥1288", "3", "1288"),
    ("3号 12.5g 1288元", "3", "1288"),
    ("3号 12:30 ¥99", "3", "99"),
    ("3号 ¥1288/件", "3", "1288"),
    ("3号 秒杀价:1288", "3", "1288"),
    ("3号 ¥0.5", "3", "0.50"),
    ("3号 ¥9,999,999.99", "3", "9999999.99"),
]


@pytest.mark.parametrize(("card", "piece", "price"), SURE)
def test_a_clear_card_gives_a_sure_piece_and_price(card: str, piece: str, price: str) -> None:
    reading = read(card)
    assert (text_of(reading.sure_piece()), text_of(reading.sure_price())) == (piece, price)
    parse_yuan(price)  # what the field gets, the field reads


# Read right, but each holds a way of being wrong (a w for 万, a letter for ¥, neither value
# marked on one line, a ¥ read as a 9): filled only above PRICE_MIN_CONFIDENCE, which these
# stay under even read perfectly.
READ_NOT_SURE = [
    ("7号 ¥1.2w", "7", "12000"),
    ("3 1288", "3", "1288"),
    ("No.5|F1900", "5", "1900"),  # a handwritten ¥ read as a letter
    ("3号|y368", "3", "368"),
    ("3|88", "3", "88"),
    ("3号|99100", "3", "99100"),  # "¥9100" with its ¥ read as a 9 looks the same
    ("3|9800", "3", "9800"),
]


@pytest.mark.parametrize(("card", "piece", "price"), READ_NOT_SURE)
def test_a_price_read_one_doubtful_way_is_read_but_not_filled(
    card: str, piece: str, price: str
) -> None:
    reading = read(card)
    assert (text_of(reading.piece), text_of(reading.price)) == (piece, price)
    assert reading.price is not None
    assert 0.5 < reading.price.confidence < PRICE_MIN_CONFIDENCE
    assert reading.sure_price() is None


NO_SURE_PRICE = [
    # never a wrong price that looks right: each of these leaves the price unsure or absent
    "3号",
    "3号 56mm",
    "3号 12.5g",
    "3号 18k",
    "3号 18K金",
    "3号 18K",
    "3号 ¥1288 原价1588",
    "3号 ¥1288|¥1588",
    "3号 1288 1588",
    "3号 ¥12O8",
    "3号 ¥l288",
    "3号 ¥12,50",
    "3号 ¥1.288",
    "3号 ¥0",
    "3号 ¥0.001",
    "3号 ¥99999999",
    "3号 65W",
    "3号 1.2w",
    "3号 $12",
    "3号 8折",
    "3号 50%",
    "3号 x2",
    "3号 40x56",
    "3号 2024-05-01",
    "3号 13812345678",
    "#121288",
    "iPhone15",
    "S925",
    "AU750",
    "3",
    "12",
    "3号 3",
    "3号 ¥1288 1288.5元",
    "",
    "   ",
    "精品翡翠 冰种",
    "1288",  # a bare number and no piece: "3 1288" read as "31288" looks the same
    "#13198元",  # "#13 198元" read as one number
    "No.2923000元",
    "468|3",  # the piece above is larger than the price below: which is which?
    "3号|圈57",
    "3号|圈口56",
    "3号|1288.",
    "3号 F1900 S",
    "3号 SF1900",
]


@pytest.mark.parametrize("card", NO_SURE_PRICE)
def test_a_doubtful_price_is_never_sure(card: str) -> None:
    assert read(card).sure_price() is None


@pytest.mark.parametrize(
    ("card", "piece"),
    [("#121288", None), ("第12345号", None), ("0号 ¥12", None), ("12号 ¥88", "12"), ("", None)],
)
def test_the_piece_is_a_small_whole_number(card: str, piece: str | None) -> None:
    reading = read(card)
    assert (reading.piece.text if reading.piece else None) == piece


@pytest.mark.parametrize("card", ["3号 #5 ¥1288", "No.1.|16000", "#13198元", "468|3", "15"])
def test_a_doubtful_piece_is_never_sure(card: str) -> None:
    assert read(card).sure_piece() is None


def test_a_marked_price_without_a_piece_is_still_sure() -> None:
    reading = read("¥1288|冰种")
    assert reading.piece is None
    assert text_of(reading.sure_price()) == "1288"


# (card, weakest character's confidence, sure): a marked price beside a piece fills from
# PRICE_MIN_CONFIDENCE; a bare price, or a marked one with no piece read, only at BARE_NEED
# (a digit lost under a hand was read at 0.99992 on the tuning cards).
NEEDS = [
    ("3号|¥1288", PRICE_MIN_CONFIDENCE, True),
    ("3号|¥1288", PRICE_MIN_CONFIDENCE - 0.001, False),
    ("3号|1288元", 0.95, True),
    ("3号|1288", BARE_NEED, True),
    ("3号|1288", 0.99993, False),
    ("3号|1288", 0.95, False),
    ("3|1288", BARE_NEED, True),
    ("3|1288", 0.99, False),
    ("¥1288|冰种", BARE_NEED, True),
    ("¥1288|冰种", 0.99993, False),
    ("3号 1288", BARE_NEED, True),
    ("3号 1288", 0.99993, False),
]


@pytest.mark.parametrize(("card", "confidence", "sure"), NEEDS)
def test_a_price_needs_more_the_riskier_the_way_it_was_found(
    card: str, confidence: float, sure: bool
) -> None:
    reading = read(card, confidence)
    assert reading.price is not None
    assert reading.price.text == "1288"
    assert (reading.sure_price() is not None) is sure


def test_every_way_needs_at_least_what_a_marked_price_needs() -> None:
    assert set(PRICE_NEED) == set(Way)
    assert all(need >= PRICE_MIN_CONFIDENCE for need in PRICE_NEED.values())
    assert BARE_NEED < 1  # a bare price read perfectly fills


@pytest.mark.parametrize(
    ("card", "text"),
    [
        ("3号 ¥1288", ""),
        ("翡翠手镯|3号 ¥1288|冰种 56mm", "翡翠手镯\n冰种 56mm"),
        ("No.7 1.2万 包邮", "包邮"),
        ("精品", "精品"),
    ],
)
def test_what_is_not_piece_or_price_is_free_text(card: str, text: str) -> None:
    assert read(card).text == text


@pytest.mark.parametrize(
    "card",
    [
        "3号 ¥12\u200b88",  # zero-width space
        "3号 ¥1288\u202e",  # right-to-left override
        "3\u0000号 ¥1288",
        "3号\u00ad ¥1288",  # soft hyphen
        "3号 ¥1288\ufeff",
        "3号 ¥1288\u0301",  # a combining accent
    ],
)
def test_invisible_and_control_characters_never_reach_a_field(card: str) -> None:
    reading = read(card)
    for value in (reading.piece, reading.price):
        assert value is not None
        assert all(ch.isprintable() and ch.isascii() for ch in value.text)
    assert all(ch.isprintable() for ch in reading.text.replace("\n", ""))
    assert reading.price is not None
    assert reading.price.text == "1288"


def test_a_value_is_as_sure_as_its_weakest_character() -> None:
    weak_eight = TextLine(
        "¥1288",
        0.97,
        Box(0, 0, 100, 40),
        tuple(
            Glyph(ch, c, Box(20 * i, 0, 20, 40))
            for i, (ch, c) in enumerate(zip("¥1288", (0.6, 0.99, 0.99, 0.55, 0.99), strict=True))
        ),
    )
    reading = reading_of([*lines_of("3号"), weak_eight], engine="t", elapsed_ms=0)
    assert reading.price is not None
    assert reading.price.confidence == pytest.approx(0.55)  # the 8, not the mean, not the ¥
    assert reading.sure_price() is None


def test_the_price_box_covers_the_price_not_the_whole_line() -> None:
    text = "3号 ¥1288"
    line = TextLine(
        text,
        0.99,
        Box(0, 0, 180, 40),
        tuple(Glyph(ch, 0.99, Box(20 * i, 0, 20, 40)) for i, ch in enumerate(text)),
    )
    reading = reading_of([line], engine="t", elapsed_ms=0)
    assert reading.piece is not None
    assert reading.price is not None
    assert reading.piece.box == Box(0, 0, 20, 40)
    assert reading.price.box == Box(80, 0, 80, 40)


def test_a_sure_card_read_with_low_confidence_is_not_sure() -> None:
    reading = read("3号 ¥1288", confidence=0.5)
    assert reading.piece is not None
    assert reading.price is not None
    assert reading.sure_piece() is None
    assert reading.sure_price() is None


def test_thresholds_are_probabilities() -> None:
    assert 0.5 < PIECE_MIN_CONFIDENCE <= 1
    assert 0.5 < PRICE_MIN_CONFIDENCE <= 1


def test_a_reading_keeps_the_lines_engine_and_time() -> None:
    lines = lines_of("3号|¥1288")
    reading = reading_of(lines, engine="table", elapsed_ms=12.5)
    assert reading.lines == tuple(lines)
    assert reading.engine == "table"
    assert reading.elapsed_ms == 12.5


def test_a_value_at_the_edge_of_the_cut_is_never_sure() -> None:
    # The card is cut with a margin: a price touching the image's edge ran past a card box
    # found too small ("31888" half covered by a hand reads "318").
    lines = lines_of("3号|¥318")
    inside = reading_of(lines, engine="test", elapsed_ms=0.0, size=(400, 300))
    assert inside.sure_price() is not None
    assert inside.sure_price().text == "318"  # type: ignore[union-attr]
    price_right = lines[1].box.x + lines[1].box.width
    cut = reading_of(lines, engine="test", elapsed_ms=0.0, size=(price_right + 1, 300))
    assert cut.price is not None
    assert cut.sure_price() is None
    assert cut.sure_piece() is not None  # the piece, well inside, is still sure


def test_a_page_of_text_is_not_a_card() -> None:
    # A phone screen or a window the locator took for a card: its text is printed and reads
    # sure, and its price is not this piece's.
    card = "3号|¥1288"
    assert read(card).sure_price() is not None
    screen = card + "|今日上新|关注主播|点击购买|限时秒杀|包邮到家|七天无理由"
    reading = read(screen)
    assert reading.price is not None  # still read, shown as text, never filled
    assert reading.sure_price() is None
    assert reading.sure_piece() is None
    six = read(card + "|冰种|飘花|手镯|56mm")
    assert six.sure_price() is not None  # six lines is still a card


def glyph_line(text: str, confidences: list[float], y: int = 70) -> TextLine:
    """A line whose characters have these confidences (one each), boxes side by side."""
    glyphs = tuple(
        Glyph(ch, c, Box(10 + 20 * i, y, 20, 40))
        for i, (ch, c) in enumerate(zip(text, confidences, strict=True))
    )
    return TextLine(text, min(confidences), Box(10, y, 20 * len(text), 40), glyphs)


@pytest.mark.parametrize(
    ("text", "confidences", "sure"),
    [
        # a weak comma between groups of three cannot change the value
        ("¥42,888", [1.0, 1.0, 1.0, 0.6, 1.0, 1.0, 1.0], "42888"),
        ("¥1,288.50", [1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], "1288.50"),
        # a weak digit beside it still can
        ("¥42,888", [1.0, 1.0, 1.0, 0.6, 1.0, 0.6, 1.0], None),
        # a weak decimal point can: 1288.50 or 128850
        ("¥1288.50", [1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 1.0, 1.0], None),
        # a comma that does not group thousands is a decimal comma or a lost digit
        ("¥12,50", [1.0, 1.0, 1.0, 0.6, 1.0, 1.0], None),
        ("¥12,50", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], None),
    ],
)
def test_a_grouping_comma_does_not_weaken_a_price(
    text: str, confidences: list[float], sure: str | None
) -> None:
    reading = reading_of(
        [*lines_of("3号"), glyph_line(text, confidences)], engine="t", elapsed_ms=0
    )
    assert text_of(reading.sure_price()) == sure


class Rereads:
    """A second read that answers with a given line (or None), and counts its calls."""

    def __init__(self, answer: TextLine | None) -> None:
        self.answer = answer
        self.asked: list[TextLine] = []

    def __call__(self, line: TextLine) -> TextLine | None:
        self.asked.append(line)
        return self.answer


# Between the need of a confirmed bare price and the need of one read once.
SHORT_OF_BARE = (CONFIRMED_NEED + BARE_NEED) / 2


def bare_card(price: str, confidence: float) -> list[TextLine]:
    return [*lines_of("3号"), glyph_line(price, [confidence] * len(price))]


def test_the_confirmation_need_is_the_lower_one() -> None:
    assert 0.999 < CONFIRMED_NEED < BARE_NEED
    assert {Way.BARE, Way.NO_PIECE} == CONFIRMABLE


def test_a_bare_price_short_of_its_need_is_read_again_and_fills_when_both_agree() -> None:
    lines = bare_card("1288", SHORT_OF_BARE)
    assert reading_of(lines, engine="t", elapsed_ms=0).sure_price() is None
    again = Rereads(glyph_line("1288", [0.99999] * 4))
    reading = reading_of(lines, engine="t", elapsed_ms=0, reread=again)
    assert text_of(reading.sure_price()) == "1288"
    assert again.asked == [lines[1]]  # the price's own line, once
    assert text_of(reading.sure_piece()) == "3"


@pytest.mark.parametrize(
    ("second", "confidence"),
    [
        ("12888", 1.0),  # the wider cut shows a digit the first read lost under a hand
        ("128", 1.0),
        ("1288 5", 1.0),  # another number beside it
        ("1788", 1.0),
        ("¥1288", 1.0),  # same digits: agree, but...
        ("1288", 0.999),  # ...the weaker of the two reads decides
        ("", 1.0),
    ],
)
def test_a_second_read_that_differs_or_is_weaker_never_fills(
    second: str, confidence: float
) -> None:
    lines = bare_card("1288", SHORT_OF_BARE)
    answer = glyph_line(second, [confidence] * len(second)) if second else None
    if second == "¥1288":
        answer = glyph_line(second, [0.5, 1.0, 1.0, 1.0, 0.999])
    reading = reading_of(lines, engine="t", elapsed_ms=0, reread=Rereads(answer))
    assert reading.price is not None
    assert reading.sure_price() is None


@pytest.mark.parametrize(
    "card",
    [
        "3号|¥1288",  # marked beside a piece: sure without asking
        "3号|1288",  # a bare price sure enough by itself
    ],
)
def test_a_price_sure_by_itself_is_not_read_again(card: str) -> None:
    again = Rereads(None)
    reading = reading_of(lines_of(card), engine="t", elapsed_ms=0, reread=again)
    assert text_of(reading.sure_price()) == "1288"
    assert again.asked == []


@pytest.mark.parametrize(
    "lines",
    [
        bare_card("1288", CONFIRMED_NEED - 0.0001),  # too weak to be worth a second read
        [glyph_line("1288", [SHORT_OF_BARE] * 4)],  # bare and alone: piece or price?
        [*lines_of("3号"), glyph_line("91288", [SHORT_OF_BARE] * 5)],  # a ¥ read as 9?
        [*lines_of("3"), glyph_line("88", [SHORT_OF_BARE] * 2)],  # which is the piece?
        [*lines_of("3号"), glyph_line("12O8", [SHORT_OF_BARE] * 4)],  # a letter fixed up
        [*lines_of("3号"), glyph_line("12,50", [SHORT_OF_BARE] * 5)],  # a comma decimal
        [*lines_of("3号"), glyph_line("1288 520", [SHORT_OF_BARE] * 8)],  # two prices
    ],
)
def test_a_second_read_never_lifts_a_doubt(lines: list[TextLine]) -> None:
    sure_again = Rereads(lines[-1])
    reading = reading_of(lines, engine="t", elapsed_ms=0, reread=sure_again)
    assert reading.sure_price() is None
