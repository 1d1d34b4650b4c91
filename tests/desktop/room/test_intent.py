"""Purchase intent: which live comments ask to buy or ask a price (no Qt)."""

import pytest

from flashbuy_desktop.room.intent import is_purchase_intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("3号多少钱", True),
        ("要了", True),
        ("要", True),
        ("要！", True),
        ("我要", True),
        ("3号我也要", True),
        ("#5", True),
        ("＃3", True),
        ("# 12 还有吗", True),
        ("No.3", True),
        ("no3", True),
        ("Ｎｏ．７", True),
        ("拍了", True),
        ("拍", True),
        ("多少钱", True),
        ("价格多少", True),
        ("3号", True),
        ("12 号", True),
        ("三号", True),
        ("上链接", True),
        ("主播好", False),
        ("好漂亮", False),
        ("号称冰种", False),
        ("晚上好", False),
        ("主播要加油", False),
        ("要不要", False),
        ("不要了", False),
        ("拍照好看", False),
        ("3月5号开播吗", False),
        ("Nobody 3", False),
        ("", False),
    ],
)
def test_purchase_intent(text: str, intent: bool) -> None:
    assert is_purchase_intent(text) is intent
