"""Purchase intent: whether a live comment asks to buy or asks a price.

The comment list marks such comments (a warm background) and can show only them. A
highlight, not a decision: a false positive only colours a line, so the rule errs on the
side of what sellers read as "someone wants it" ("3号多少钱", "要了", "#5", "拍了").
"""

import re
import unicodedata

from flashbuy_desktop.room.pieces import PIECE_NUMBER

# Matched on the NFKC form of the text, so full-width ＃３ and Ｎｏ．３ read as #3 and No.3.
_INTENT_PATTERN = re.compile(
    r"""
      多少钱 | 价格 | 价钱 | 什么价 | 怎么卖 | 链接 | 下单    # asking the price, or how to buy
    | 我要 | 我也要 | 想要 | (?<!不)要了                    # 我要, 要了; not 不要了
    | ^\W*要+[\W\d]*$                                       # the whole comment is 要 (要! 要要要)
    | 我拍 | 已拍 | (?<!不)拍了 | ^\W*拍+\W*$               # 拍了, or just 拍; not 拍照
    |"""  # a piece number (3号, 三号, #3, No.3), as the new flash-buy window reads it
    + PIECE_NUMBER,
    re.IGNORECASE | re.VERBOSE,
)


def is_purchase_intent(text: str) -> bool:
    """Whether a live comment asks to buy or asks a price ("3号多少钱", "要了", "#5", "拍了").

    Small talk ("主播好", "好漂亮", "号称...") is not intent.
    """
    return _INTENT_PATTERN.search(unicodedata.normalize("NFKC", text)) is not None
