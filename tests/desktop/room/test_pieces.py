"""Piece numbers read from comments, compared, and counted on: plain rules, no Qt."""

import pytest

from flashbuy_desktop.room.pieces import (
    chinese_number,
    next_piece_number,
    piece_key,
    piece_number_in,
    same_piece,
)


@pytest.mark.parametrize(
    ("comment", "piece"),
    [
        ("3号多少钱", "3"),
        ("3号多少钱？", "3"),
        ("#5", "5"),
        ("# 5 要", "5"),
        ("5号", "5"),
        ("No.5", "5"),
        ("no5 还在吗", "5"),
        ("NO. 12", "12"),
        ("３号", "3"),  # full width
        ("＃７", "7"),
        ("三号多少", "3"),
        ("十二号", "12"),
        ("二十号", "20"),
        ("两号", "2"),
        ("3号 3号要", "3"),  # the same number twice is one number
        ("主播好", None),
        ("要了", None),
        ("3月5号发货吗", None),  # a date, not a piece
        ("3号和5号多少钱", None),  # two pieces: no guess
        ("#12345", None),  # not a piece number, an order number perhaps
        ("0号", None),
        ("", None),
    ],
)
def test_the_piece_number_a_comment_names(comment: str, piece: str | None) -> None:
    assert piece_number_in(comment) == piece


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十三", 13), ("二十", 20), ("九十九", 99), ("两", 2)],
)
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "十十", "一二", "百", "三十十", "零"])
def test_not_chinese_numbers(text: str) -> None:
    assert chinese_number(text) is None


def test_one_piece_however_it_is_written() -> None:
    assert {piece_key(p) for p in ("3", "03", "#3", "3号", "No.3", "no 3", "３", " 3 ")} == {"3"}
    assert piece_key("A3") != piece_key("3")
    assert piece_key("0") == "0"
    assert same_piece("3", ["03", "4", "#3", "13", "A3"]) == ["03", "#3"]
    assert same_piece("", ["", "3"]) == []


@pytest.mark.parametrize(
    ("last", "following"),
    [("3", "4"), ("9", "10"), ("07", "08"), ("A07", "A08"), ("3号", ""), ("", ""), (None, "")],
)
def test_the_next_piece_number_follows_the_last(last: str | None, following: str) -> None:
    assert next_piece_number(last) == following
