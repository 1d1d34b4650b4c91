"""How the console's lists word a row: piece numbers once, buyers in brief, nicknames whole.

Qt-free rules the comment list and the flash-buy table follow, so they are tested plainly:

* :func:`title_names_piece`: whether a title already starts with its piece number ("3号 冰种
  手镯" for piece 3), so the table does not say it twice ("#3 · 3号 …").
* :func:`buyers_brief`: the first buyer and how many more ("小王 +2").
* :func:`nickname_width`: how much of a comment row a nickname may take: all it needs when
  the row has room for it and the comment, otherwise half the row at least.
"""

import re
import unicodedata
from collections.abc import Sequence

# What may stand before a piece number at the start of a title: "#3", "No.3", "第3", "3号".
_PIECE_PREFIX = re.compile(r"\s*(?:#\s*|no\.?\s*|第\s*)?", re.IGNORECASE)


def _normal(text: str) -> str:
    """Full-width forms as ASCII (＃３ → #3), any case as lower case."""
    return unicodedata.normalize("NFKC", text).casefold()


def title_names_piece(title: str, piece_no: str) -> bool:
    """Whether ``title`` starts with the piece number ``piece_no`` (any usual way of writing it).

    "3号 冰种翡翠手镯", "#3 冰种", "No.3 南红", "３号", "A12 珍珠" (piece A12) name their piece;
    "30cm 手镯" and "13号" do not name piece 3, nor does "冰种 3号" (not at the start).
    """
    piece = _normal(piece_no).strip()
    if not piece:
        return False
    text = _normal(title).lstrip()
    prefix = _PIECE_PREFIX.match(text)
    for rest in (text, text[prefix.end() if prefix else 0 :]):
        if rest.startswith(piece):
            after = rest[len(piece) : len(piece) + 1]
            # The piece number ends there: not "30" for piece 3, nor "a12b" for piece a12.
            if not (after.isascii() and after.isalnum()):
                return True
    return False


def buyers_brief(names: Sequence[str]) -> str:
    """The buyers of a row in a few characters: "", "小王", "小王 +2"."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{names[0]} +{len(names) - 1}"


def nickname_width(nickname: int, text: int, space: int) -> int:
    """The pixels a comment's nickname gets, out of ``space`` shared with its text.

    ``nickname`` and ``text`` are the widths each needs to show whole. The nickname is
    whole whenever it fits in half the space, or when both fit side by side; otherwise
    it gets half (and the text the rest), so neither crowds the other out.
    """
    if space <= 0:
        return 0
    return max(0, min(nickname, max(space // 2, space - text)))
