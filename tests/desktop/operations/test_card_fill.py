"""The rule of filling 件号 and 价格 from the card, and a read box mapped onto the picture."""

import pytest

from flashbuy_desktop.capture.card_reading import (
    PIECE_MIN_CONFIDENCE,
    PRICE_MIN_CONFIDENCE,
    CardReading,
    ReadValue,
)
from flashbuy_desktop.capture.types import Box
from flashbuy_desktop.operations.card_fill import (
    FieldFill,
    FieldNow,
    Note,
    fill,
    forget,
    picture_box,
)

PIECE_BOX = Box(20, 10, 60, 40)
PRICE_BOX = Box(20, 80, 140, 44)
SURE = 0.99
UNSURE = min(PIECE_MIN_CONFIDENCE, PRICE_MIN_CONFIDENCE) - 0.2


def reading(
    piece: str | None = "3",
    price: str | None = "1288",
    *,
    piece_conf: float = SURE,
    price_conf: float = SURE,
) -> CardReading:
    return CardReading(
        piece=ReadValue(piece, piece_conf, PIECE_BOX) if piece is not None else None,
        price=ReadValue(price, price_conf, PRICE_BOX) if price is not None else None,
        text="",
        lines=(),
        engine="test",
        elapsed_ms=1.0,
    )


EMPTY = FieldNow("")


def typed(text: str) -> FieldNow:
    return FieldNow(text, typed=True)


def carded(text: str, guess: str = "") -> FieldNow:
    return FieldNow(text, from_card=True, guess=guess)


def guessed(text: str) -> FieldNow:
    return FieldNow(text, guess=text)


def dropped(guess: str) -> FieldNow:
    """An earlier card value was emptied back to the guess when the retake started."""
    return FieldNow(guess, guess=guess, dropped=True)


# (reading, piece now, price now) -> (piece, from card?, price, from card?, note)
CASES = [
    pytest.param(reading(), EMPTY, EMPTY, ("3", True, "1288", True, Note.READ), id="both-read"),
    pytest.param(
        reading(price=None),
        EMPTY,
        EMPTY,
        ("3", True, "", False, Note.PIECE_READ_PRICE_UNREAD),
        id="no-price-on-card",
    ),
    pytest.param(
        reading(price_conf=UNSURE),
        EMPTY,
        EMPTY,
        ("3", True, "", False, Note.PIECE_READ_PRICE_UNREAD),
        id="unsure-price-not-filled",
    ),
    pytest.param(
        reading(piece_conf=UNSURE, price_conf=UNSURE),
        EMPTY,
        EMPTY,
        ("", False, "", False, Note.PRICE_UNREAD),
        id="nothing-sure",
    ),
    pytest.param(
        reading(piece=None),
        EMPTY,
        EMPTY,
        ("", False, "1288", True, Note.READ),
        id="price-only",
    ),
    pytest.param(None, EMPTY, EMPTY, ("", False, "", False, Note.FAILED), id="read-failed"),
    pytest.param(
        reading(),
        typed("5"),
        typed("990"),
        ("5", False, "990", False, Note.NONE),
        id="typing-wins-both",
    ),
    pytest.param(
        reading(),
        EMPTY,
        typed("990"),
        ("3", True, "990", False, Note.READ),
        id="typed-price-piece-fills",
    ),
    pytest.param(
        reading(price=None),
        EMPTY,
        typed("990"),
        ("3", True, "990", False, Note.READ),
        id="typed-price-unreadable-price-no-complaint",
    ),
    pytest.param(
        None,
        EMPTY,
        typed("990"),
        ("", False, "990", False, Note.NONE),
        id="failed-but-price-typed",
    ),
    pytest.param(
        reading(),
        guessed("8"),
        EMPTY,
        ("3", True, "1288", True, Note.READ_OVER_GUESS),
        id="card-over-guess",
    ),
    pytest.param(
        reading(piece="8"),
        guessed("8"),
        EMPTY,
        ("8", True, "1288", True, Note.READ),
        id="card-agrees-with-guess",
    ),
    pytest.param(
        reading(piece_conf=UNSURE),
        guessed("8"),
        EMPTY,
        ("8", False, "1288", True, Note.READ),
        id="unsure-piece-keeps-guess",
    ),
    pytest.param(
        reading(piece="4", price="1500"),
        carded("3"),
        carded("1288"),
        ("4", True, "1500", True, Note.READ),
        id="retake-replaces-earlier-read",
    ),
    pytest.param(
        reading(piece_conf=UNSURE, price=None),
        carded("3", guess="8"),
        carded("1288"),
        ("8", False, "", False, Note.PIECE_GUESS_PRICE_UNREAD),
        id="retake-unreadable-empties-old-values",
    ),
    pytest.param(
        reading(piece_conf=UNSURE, price=None),
        dropped("8"),
        EMPTY,
        ("8", False, "", False, Note.PIECE_GUESS_PRICE_UNREAD),
        id="retake-unreadable-piece-back-to-guess-says-so",
    ),
    pytest.param(
        reading(piece=None),
        dropped("8"),
        EMPTY,
        ("8", False, "1288", True, Note.PRICE_READ_PIECE_GUESS),
        id="retake-price-read-piece-back-to-guess",
    ),
    pytest.param(
        None,
        dropped("8"),
        typed("990"),
        ("8", False, "990", False, Note.PIECE_GUESS),
        id="retake-failed-typed-price-piece-back-to-guess",
    ),
    pytest.param(
        reading(),
        dropped("8"),
        EMPTY,
        ("3", True, "1288", True, Note.READ_OVER_GUESS),
        id="retake-read-over-guess-again",
    ),
    pytest.param(
        reading(),
        EMPTY,
        typed(""),
        ("3", True, "", False, Note.READ),
        id="emptied-by-the-seller-stays-empty",
    ),
    pytest.param(
        reading(piece="4", price="1500"),
        typed(""),
        typed(""),
        ("", False, "", False, Note.NONE),
        id="both-emptied-by-the-seller-stay-empty",
    ),
    pytest.param(
        reading(piece="4", price="1500"),
        typed("3"),
        typed("1288"),
        ("3", False, "1288", False, Note.NONE),
        id="retake-never-overwrites-typing",
    ),
]


@pytest.mark.parametrize(("card", "piece", "price", "expected"), CASES)
def test_the_rule_of_filling(
    card: CardReading | None,
    piece: FieldNow,
    price: FieldNow,
    expected: tuple[str, bool, str, bool, Note],
) -> None:
    result = fill(card, piece, price)
    got = (
        result.piece.text,
        result.piece.from_card,
        result.price.text,
        result.price.from_card,
        result.note,
    )
    assert got == expected


def test_only_a_price_from_the_card_is_selected() -> None:
    assert fill(reading(), EMPTY, EMPTY).select_price
    assert not fill(reading(price=None), EMPTY, EMPTY).select_price
    assert not fill(reading(), EMPTY, typed("990")).select_price


def test_a_new_capture_forgets_the_card_values_and_keeps_the_seller_s() -> None:
    assert forget(carded("1288")) == FieldFill("", False)
    assert forget(carded("3", guess="8")) == FieldFill("8", False)
    assert forget(typed("990")) == FieldFill("990", False)
    assert forget(typed("")) == FieldFill("", False)
    assert forget(guessed("8")) == FieldFill("8", False)


def test_an_edited_field_loses_its_outline_and_its_part_of_the_note() -> None:
    both = fill(reading(), EMPTY, EMPTY)
    price_edited = both.edited(price=True)
    assert price_edited.note is Note.READ  # the piece number is still the card's
    assert price_edited.boxes() == [PIECE_BOX]
    assert not price_edited.select_price
    all_edited = price_edited.edited(piece=True)
    assert all_edited.note is Note.NONE
    assert all_edited.boxes() == []


def test_an_edit_updates_the_guess_and_the_missing_price_notes() -> None:
    over = fill(reading(), guessed("8"), EMPTY)
    assert over.edited(price=True).note is Note.READ_OVER_GUESS  # still about the piece
    edited = over.edited(piece=True)
    assert (edited.note, edited.replaced_guess) == (Note.READ, "")
    unread = fill(reading(price=None), EMPTY, EMPTY)
    assert unread.edited(piece=True).note is Note.PRICE_UNREAD
    assert unread.edited(price=True).note is Note.READ
    back = fill(reading(piece=None), dropped("8"), EMPTY)
    assert back.edited(price=True).note is Note.PIECE_GUESS
    assert back.edited(price=True).kept_guess == "8"
    assert back.edited(piece=True).note is Note.READ
    assert fill(None, EMPTY, EMPTY).edited(price=True).note is Note.NONE


def test_the_boxes_are_those_of_the_values_filled() -> None:
    assert fill(reading(), EMPTY, EMPTY).boxes() == [PIECE_BOX, PRICE_BOX]
    assert fill(reading(), typed("5"), EMPTY).boxes() == [PRICE_BOX]
    assert fill(reading(price_conf=UNSURE), EMPTY, EMPTY).boxes() == [PIECE_BOX]
    assert fill(None, EMPTY, EMPTY).boxes() == []


def test_the_replaced_guess_is_named_only_when_the_card_replaced_it() -> None:
    assert fill(reading(), guessed("8"), EMPTY).replaced_guess == "8"
    assert fill(reading(piece="8"), guessed("8"), EMPTY).replaced_guess == ""
    assert fill(reading(), EMPTY, EMPTY).replaced_guess == ""
    # A guess the window already replaced once is no longer what the field shows.
    assert fill(reading(piece="4"), carded("3", guess="8"), EMPTY).replaced_guess == ""


def test_the_read_value_keeps_its_box() -> None:
    assert fill(reading(), EMPTY, EMPTY).price == FieldFill("1288", True, PRICE_BOX)


# --- the read box on the picture ------------------------------------------------------------


def test_a_box_maps_through_the_cut_and_the_crop_at_full_size() -> None:
    # Card image cut at (300, 200) of the frame; the picture shows the frame from (250, 150).
    box = picture_box(
        Box(10, 20, 30, 40), Box(300, 200, 400, 300), Box(250, 150, 600, 400), 600, 400
    )
    assert box == Box(60, 70, 30, 40)


def test_a_box_is_scaled_to_the_jpeg() -> None:
    # The crop (1200x800 of the frame) was scaled down to a 600x400 JPEG: half size.
    box = picture_box(Box(10, 20, 30, 40), Box(300, 200, 400, 300), Box(0, 0, 1200, 800), 600, 400)
    assert box == Box(155, 110, 15, 20)


def test_a_box_partly_off_the_picture_is_clipped_and_one_wholly_off_is_none() -> None:
    cut, crop = Box(0, 0, 400, 300), Box(100, 100, 200, 200)
    assert picture_box(Box(50, 50, 100, 100), cut, crop, 200, 200) == Box(0, 0, 50, 50)
    assert picture_box(Box(250, 250, 100, 100), cut, crop, 200, 200) == Box(150, 150, 50, 50)
    assert picture_box(Box(0, 0, 50, 50), cut, crop, 200, 200) is None
    assert picture_box(Box(0, 0, 50, 50), cut, Box(0, 0, 0, 10), 200, 200) is None
