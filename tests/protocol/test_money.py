"""Prices typed by a person become whole fen, or a reason they cannot."""

import pytest

from flashbuy_protocol.money import MAX_PRICE_FEN, MoneyError, format_fen, parse_yuan


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
    ],
)
def test_valid_prices_parse_to_exact_fen(text: str, fen: int) -> None:
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
        ("１２", "数字"),  # full-width digits are refused rather than guessed
    ],
)
def test_invalid_prices_say_why(text: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        parse_yuan(text)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(1, "0.01"), (128_850, "1,288.50"), (MAX_PRICE_FEN, "9,999,999.99"), (0, "0.00")],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text
    if fen:
        assert parse_yuan(text) == fen
