"""The Qt-free rules of how rows are worded: piece numbers once, buyers, nickname widths."""

import pytest

from flashbuy_desktop.room.listing import buyers_brief, nickname_width, title_names_piece


@pytest.mark.parametrize(
    ("title", "piece", "names"),
    [
        ("3号 冰种翡翠手镯", "3", True),
        ("3号冰种翡翠手镯", "3", True),
        ("3 号 冰种", "3", True),
        ("#3 冰种翡翠手镯", "3", True),
        ("＃３ 冰种", "3", True),
        ("３号 冰种", "3", True),
        ("No.3 南红", "3", True),
        ("no 3 南红", "3", True),
        ("第3号 和田玉", "3", True),
        ("A12 Akoya 珍珠项链", "A12", True),
        ("a12 珍珠", "A12", True),
        ("A12珍珠", "A12", True),
        ("3", "3", True),
        ("NO5 南红", "NO5", True),
        ("No.NO5 南红", "NO5", True),
        ("30cm 手镯", "3", False),
        ("13号 冰种", "3", False),
        ("冰种翡翠手镯 3号", "3", False),
        ("Akoya 珍珠项链", "A12", False),
        ("A123 珍珠", "A12", False),
        ("Nobody 3", "3", False),
        ("冰种翡翠手镯", "", False),
    ],
)
def test_a_title_names_its_piece_only_when_it_starts_with_it(
    title: str, piece: str, names: bool
) -> None:
    assert title_names_piece(title, piece) is names


def test_buyers_in_brief() -> None:
    assert buyers_brief([]) == ""
    assert buyers_brief(["小王"]) == "小王"
    assert buyers_brief(["小王", "小李"]) == "小王 +1"
    assert buyers_brief(["小王", "小李", "Rose Lee 2024"]) == "小王 +2"


def test_a_nickname_is_whole_when_it_fits() -> None:
    # Within half the row: whole, whatever the text.
    assert nickname_width(60, 900, 300) == 60
    assert nickname_width(150, 900, 300) == 150
    # Longer than half, but the text is short: both whole.
    assert nickname_width(200, 80, 300) == 200
    assert nickname_width(220, 80, 300) == 220
    # Both long: the nickname gets half, the text the rest.
    assert nickname_width(260, 200, 300) == 150
    assert nickname_width(400, 10, 300) == 290  # a tiny text keeps its room
    # No room at all.
    assert nickname_width(60, 10, 0) == 0
    assert nickname_width(60, 10, -5) == 0
