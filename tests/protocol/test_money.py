"""Prices typed by a person become whole fen, or a reason they cannot."""

import pytest

from flashbuy_protocol.money import (
    MAX_PRICE_FEN,
    MoneyError,
    MoneyProblem,
    format_fen,
    normalize_amount,
    parse_yuan,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("0.01", 1),
        ("1", 100),
        ("1288", 128_800),
        ("1288.5", 128_850),
        ("1,288.50", 128_850),
        ("¥99.9", 9_990),
        (" ￥ 3.10 ", 310),
        ("0.1", 10),  # 0.1 has no exact float: it must still be 10 fen
        ("9999999.99", MAX_PRICE_FEN),
        ("12.", 1_200),
        # what a Chinese input method types in 全角 mode, read as the seller meant it
        ("１８８８", 188_800),
        ("１２８８．５", 128_850),
        ("１，２８８．５０", 128_850),
        ("1288。5", 128_850),  # 中文标点 mode types 。for .
        ("￥１２８８元", 128_800),
        ("1288元", 128_800),
        ("\u3000１２\u3000", 1_200),  # ideographic spaces
        ("12,345,678.9", None),  # over the maximum: see below
    ],
)
def test_valid_prices_parse_to_exact_fen(text: str, fen: int | None) -> None:
    if fen is None:
        with pytest.raises(MoneyError):
            parse_yuan(text)
        assert parse_yuan(text, maximum=10**12) == 1_234_567_890
        return
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "请输入价格"),
        ("   ", "请输入价格"),
        ("-5", "负数"),
        ("0", "至少 0.01"),
        ("0.00", "至少 0.01"),
        ("12.345", "两位小数"),
        ("10000000", "最多 9,999,999.99"),
        ("1e3", "数字"),
        ("12.3.4", "数字"),
        ("abc", "数字"),
        (".5", "数字"),
        ("12,88", "数字"),  # commas that do not group thousands: 12.88 or 1288? refused
        ("1,2888", "数字"),
        ("１２ａ", "数字"),  # full-width letters stay letters
        ("3号", "数字"),
        ("\u200b12", "数字"),  # an invisible character is not ignored
        ("１２\u0085", "数字"),
        ("$12", "数字"),
        ("－５", "负数"),  # a full-width minus is still a minus
    ],
)
def test_invalid_prices_say_why(text: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        parse_yuan(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", MoneyProblem.EMPTY),
        ("-1", MoneyProblem.NEGATIVE),
        ("a", MoneyProblem.NOT_AN_AMOUNT),
        ("1.234", MoneyProblem.TOO_MANY_DECIMALS),
        ("0", MoneyProblem.TOO_LOW),
        ("10000000", MoneyProblem.TOO_HIGH),
    ],
)
def test_each_refusal_carries_its_problem_and_the_bounds(text: str, problem: MoneyProblem) -> None:
    with pytest.raises(MoneyError) as raised:
        parse_yuan(text)
    assert raised.value.problem is problem
    assert (raised.value.minimum, raised.value.maximum) == (1, MAX_PRICE_FEN)


def test_bounds_are_the_callers() -> None:
    assert parse_yuan("0", minimum=0, maximum=100) == 0  # a free postage
    with pytest.raises(MoneyError, match=r"最多 1\.00") as raised:
        parse_yuan("1.01", minimum=0, maximum=100)
    assert raised.value.problem is MoneyProblem.TOO_HIGH


def test_normalize_amount_leaves_what_it_does_not_know() -> None:
    assert normalize_amount("￥１２８８．５元") == "1288.5"
    assert normalize_amount("abc") == "abc"


@pytest.mark.parametrize(
    ("fen", "text"),
    [(1, "0.01"), (128_850, "1,288.50"), (MAX_PRICE_FEN, "9,999,999.99"), (0, "0.00")],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text
    if fen:
        assert parse_yuan(text) == fen
