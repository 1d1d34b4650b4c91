"""Piece numbers (件号): read from a comment, compared, and the next one after the last.

A host numbers the pieces of a live (3号, #3, No.3) and viewers ask by number ("3号多少钱").
The new flash-buy window prefills the number a comment names and, in full mode, the one
after the last flash-buy's; it warns when a number already has a flash-buy in this live.
Text is read in its NFKC form, so full-width ＃３ and Ｎｏ．３ read as #3 and No.3.
"""

import re
import unicodedata
from collections.abc import Iterable

# One number a comment names, in any of the ways viewers write it; never a date (3月5号)
# nor part of a longer number. A verbose, case-blind pattern on NFKC text: the comment
# list's purchase-intent highlight includes it as it is.
PIECE_NUMBER = r"""
      (?<![月0-9])(?P<digits>[0-9]{1,4})\s*号
    | (?P<chinese>[零一二两三四五六七八九十]{1,3})号
    | \#\s*(?P<hash>[0-9]{1,4})(?![0-9])
    | (?<![a-z])no\.?\s*(?P<no>[0-9]{1,4})(?![0-9])
"""
_NAMED = re.compile(PIECE_NUMBER, re.IGNORECASE | re.VERBOSE)
_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_TRAILING_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<number>[0-9]+)$")
_DECORATION = re.compile(r"^(?:#|no\.?|第)\s*|\s*号$", re.IGNORECASE)


def chinese_number(text: str) -> int | None:
    """``text`` (一 to 九十九, 两, 十三...) as a number; None if it is not one."""
    if not text or any(c not in _DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return (_DIGITS[text] or None) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    value = (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    return value or None


def piece_number_in(comment: str) -> str | None:
    """The one piece number ``comment`` names ("3号多少钱" → "3"), or None.

    None as well when the comment names two different numbers ("3号和5号"): a guess could
    prefill the wrong piece, and the seller types the right one faster than they notice.
    """
    found: set[int] = set()
    for match in _NAMED.finditer(unicodedata.normalize("NFKC", comment)):
        chinese = match.group("chinese")
        value = chinese_number(chinese) if chinese else None
        if not chinese:
            value = int(match.group("digits") or match.group("hash") or match.group("no"))
        if value is not None and value > 0:
            found.add(value)
    return str(found.pop()) if len(found) == 1 else None


def piece_key(piece_no: str) -> str:
    """What makes two piece numbers the same piece: "3", "03", "#3", "3号", "No.3" all → "3"."""
    text = unicodedata.normalize("NFKC", piece_no).strip().casefold()
    text = _DECORATION.sub("", text).strip()
    return text.lstrip("0") or text if text.isdigit() else text


def next_piece_number(last: str | None) -> str:
    """The piece number after ``last`` ("3" → "4", "A07" → "A08"); empty when there is none."""
    if not last:
        return ""
    match = _TRAILING_NUMBER.match(unicodedata.normalize("NFKC", last).strip())
    if match is None:
        return ""
    number = match.group("number")
    return match.group("prefix") + str(int(number) + 1).zfill(len(number))


def same_piece(piece_no: str, others: Iterable[str]) -> list[str]:
    """Those of ``others`` that name the same piece as ``piece_no`` (none for an empty one)."""
    key = piece_key(piece_no)
    if not key:
        return []
    return [other for other in others if piece_key(other) == key]
