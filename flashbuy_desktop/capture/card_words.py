"""From the lines an OCR engine read on a card to its piece number, price and other text.

Qt-free and pure. The rule is strictness: a wrong price that looks right is far worse than
no price (the seller then types it), so every doubt lowers a value's confidence below what
fills a field: two different prices on one card, a digit fixed up from a letter ("12O8"), a
comma where a decimal point may have been, a number whose unit is not money (56mm, 12.5g,
18K gold, 8折) or that is part of a code (S925, iPhone15) is never a price.

A value is only as sure as its weakest character (the engine's per-character confidence,
see :class:`~flashbuy_desktop.capture.card_reading.Glyph`). A price found a riskier way than
marked (¥1288, 1288元) needs more of its weakest character to fill the field: each way has
its own need (:data:`PRICE_NEED`), measured on the card set's tuning half, and the price's
confidence is scaled so that it reaches ``PRICE_MIN_CONFIDENCE`` exactly at its way's need.
A bare price a little short of its need may be confirmed by a second, independent read of
its line (:data:`CONFIRMED_NEED`); a second read that sees other numbers makes it never sure.
A piece found by its place on the card rather than marked (3号, #3, No.3) is a little less sure.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import reduce

from flashbuy_desktop.capture.card_reading import (
    PRICE_MIN_CONFIDENCE,
    CardReading,
    Glyph,
    ReadValue,
    TextLine,
)
from flashbuy_desktop.capture.types import Box, union
from flashbuy_protocol.money import MoneyError, parse_yuan

PIECE_MAX = 9999  # a piece number is 1..9999

LAYOUT_PIECE = 0.97  # a bare small number taken as the piece by its place on the card


class Way(Enum):
    """A way a price was found that makes it riskier than a marked price beside a piece."""

    BARE = "bare"  # a bare amount beside the piece: "3号|1288", "3|1288" (lines apart)
    NO_PIECE = "no piece"  # no piece read: a line lost, a hand over it, "3 ¥1288" merged
    WHOLE_MULTIPLE = "whole multiple"  # "25万": was it "2.5万" with the small point lost?
    W_UNIT = "w unit"  # "1.2w": sellers write it, but a w is also a letter
    YEN_LOOKALIKE = "yen lookalike"  # "F1900": a handwritten ¥ the engine read as a letter
    LEADING_NINE = "leading nine"  # a bare "99100": a ¥ read as a 9 ("¥9100") looks the same
    SHORT_BARE = "short bare"  # "3" above "88", neither marked: which is the piece?
    ONE_LINE_UNMARKED = "one line unmarked"  # "3 1288": one number "31288" read with a space?


NEVER = 1.05  # a need above any confidence: read and shown, never filled
# The weakest character's confidence a price found each way needs to fill the field (a marked
# price beside a piece needs PRICE_MIN_CONFIDENCE). Set on the card set's TUNE half by the
# rule of the thresholds (the lowest need at which at most 0.25 % of the cards found that
# way get a sure and wrong price), only for ways seen on enough cards: the bare price and the
# price without a piece, pooled (184 tuning cards; both fail the same way, a digit lost
# under a hand, "No.46 31888" read "No.46 318" at 0.99992), need 0.99994. Rare ways (a few
# cards each) keep the need they had before (0.9999), or never fill.
BARE_NEED = 0.99994
# A bare price (or one without a piece) that falls short of its need is read a second time,
# on its own line cut wider than the detector found it (the engine's ``reread``). When both
# reads see the same numbers on that line, the price needs CONFIRMED_NEED of the weaker of
# its two reads instead; when they disagree it is never sure. Set by the same rule on the
# tuning half's 196 bare and piece-less prices: both that fail there (a hand over "31888"
# read "318" twice, a lost "1" of "19888元") are less sure on the wider read (0.99942,
# 0.99907), and 18 right prices (13 handwritten) fill.
CONFIRMED_NEED = 0.99946
CONFIRMABLE = frozenset({Way.BARE, Way.NO_PIECE})
PRICE_NEED: dict[Way, float] = {
    Way.BARE: BARE_NEED,
    Way.NO_PIECE: BARE_NEED,
    Way.WHOLE_MULTIPLE: 0.9999,
    Way.W_UNIT: NEVER,
    Way.YEN_LOOKALIKE: NEVER,
    Way.LEADING_NINE: NEVER,
    Way.SHORT_BARE: NEVER,
    Way.ONE_LINE_UNMARKED: NEVER,
}
DOUBT = 0.5  # at most this sure: two different candidates, or a fixed-up character
EDGE_PX = 2  # a value this close to the image's edge may run past it: cut short, not sure
# An order card says a few lines (the card set's are read as 1 to 3). Many more is a page of
# text the locator took for a card (a phone screen, a window, a price list): never sure.
MAX_CARD_LINES = 6

# Characters an engine reads for a digit: only ever a doubtful fix-up.
_FIXUPS = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1"}
_FIXABLE = "".join(_FIXUPS)

# One number: digits (or fixable letters among at least two digits), grouped or not, with
# a decimal part. The run is found loosely and judged afterwards.
_RUN = re.compile(rf"[0-9{re.escape(_FIXABLE)}]+(?:[.,][0-9{re.escape(_FIXABLE)}]+)*")

_PRICE_BEFORE = re.compile(
    r"(?:¥|RMB|rmb|CNY|cny|(?:售|现|秒杀|到手|直播|活动|特|团购|优惠)?价(?:格)?)\s*[:]?\s*$"
)
_OTHER_PRICE_BEFORE = re.compile(r"(?:原|划线|市场|吊牌|专柜|官方|零售|参考)价(?:格)?\s*[:]?\s*$")
_PIECE_BEFORE = re.compile(r"(?:#|(?<![A-Za-z])[Nn][Oo]\.?|第|(?:件|编|款|序)号\s*[:]?)\s*$")
_PRICE_AFTER = re.compile(r"^\s*(?:元|块|圆|RMB|rmb)")
_PIECE_AFTER = re.compile(r"^\s*号")
_MULTIPLIER_AFTER = re.compile(r"^\s*(?:(?P<wan>万)|(?P<unit>[wWkK])(?=$|\s|元|块|[!?,.:;/)]))")
_GOLD_AFTER = re.compile(r"^\s*[kK]\s*(?:金|白|黄|玫|红|gold|GOLD|Gold|[Aa][Uu])")
# What a number is when it is not money: sizes, weights, counts, shares, dates, times.
_NOT_MONEY_AFTER = re.compile(
    r"^\s*(?:mm|cm|dm|km|m(?![A-Za-z])|米|厘米|毫米|公分|寸|码|kg|g(?![A-Za-z])|克|斤|两|ct|克拉"
    r"|ml|mL|毫升|[lL](?![A-Za-z])|%|‰|折|岁|个|件|颗|只|条|支|根|粒|套|天|年|月|日|点|时|分(?!钱)"
    r"|秒|min|h(?![A-Za-z])|层|张|包|盒|瓶|袋|双|对|人|次|期|楼|cc|V(?![A-Za-z])|mAh)"
)
# A measure named before the number: 圈口56 is a ring size, 重12 a weight.
_NOT_MONEY_BEFORE = re.compile(
    r"(?:圈口|圈|口|手围|尺寸|直径|口径|内径|外径|长|宽|高|厚|重|克重|净重|毛重|尺码|周长|年份|电话|手机|微信|"
    r"库存|数量|编码|条码)\s*[:]?\s*$"
)
# A handwritten ¥ the engine read as a Latin letter, when it is all that stands before the
# number at the start of a line.
_YEN_LOOKALIKE_BEFORE = re.compile(r"^\s*[FfYy]$")
_KARATS = frozenset({"8", "9", "10", "14", "18", "22", "24"})
_PUNCT_EDGES = " :：,，.。;；-—_/|·、"


class _Kind(Enum):
    PRICE = "price"  # marked as money: ¥, 元, 价, 万, k
    OTHER_PRICE = "other price"  # 原价, 划线价: a price, not this one
    PIECE = "piece"  # marked as the piece: 号, #, No., 第
    BARE = "bare"  # a number with no mark
    NOT_MONEY = "not money"  # a size, weight, code, date...
    CONFLICT = "conflict"  # marked as both ("#13198元": the space between was lost)


@dataclass(frozen=True)
class _Char:
    char: str
    confidence: float
    box: Box


@dataclass
class _Number:
    """One number on a line, what marks it, and the characters it spans."""

    line: int
    start: int  # of the digits in the line's normalised characters
    end: int
    mark_start: int  # of the digits with their marks (¥, 元, 号...), for the free text
    mark_end: int
    digits: str  # fixed-up text of the number ("1,288.50")
    kind: _Kind
    confidence: float  # of its weakest character
    box: Box
    fixed: bool = False  # a letter was read as a digit
    multiplier: int = 1
    ways: set[Way] = field(default_factory=set)  # what makes it riskier than marked
    alone: bool = False  # the only thing on its line
    first: bool = False  # the first thing on its line
    notes: list[str] = field(default_factory=list)


def _normalised(line: TextLine) -> list[_Char]:
    """The line's characters after NFKC, blanks made spaces, invisible ones dropped."""
    glyphs = line.glyphs or tuple(Glyph(ch, line.confidence, line.box) for ch in line.text)
    out: list[_Char] = []
    for glyph in glyphs:
        for char in unicodedata.normalize("NFKC", glyph.char):
            category = unicodedata.category(char)
            if category in ("Zs", "Zl", "Zp") or char in "\t\n\r\v\f":
                char = " "
            elif category[0] == "C" or category in ("Mn", "Me"):
                continue  # control, format (zero-width), private, unassigned, combining
            if char == " " and (not out or out[-1].char == " "):
                continue
            out.append(_Char(char, glyph.confidence, glyph.box))
    while out and out[-1].char == " ":
        out.pop()
    return out


# Thousands grouped by commas: 1,288 or 42,888.50, every group after the first of three.
_GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")


def _weakest(chars: list[_Char], digits: str) -> float:
    """The confidence of a number's weakest character, its grouping commas left out.

    A comma between groups of three is the smallest mark on the card and often the least
    sure, but it cannot change the value: read as nothing it is the same amount, read as a
    point ("42.888") the amount has three decimals and is never sure anyway.
    """
    if _GROUPED.match(digits):
        return min(c.confidence for c in chars if c.char != ",")
    return min(c.confidence for c in chars)


def _numbers(index: int, chars: list[_Char]) -> list[_Number]:
    """Every number on one line, classified by what stands before and after it."""
    text = "".join(c.char for c in chars)
    found: list[_Number] = []
    for match in _RUN.finditer(text):
        start, end = match.span()
        raw = match.group()
        # Letters only count as digits among digits: "No" or "Iphone" are words.
        while raw and (raw[0] in _FIXABLE or raw[0] in ".,"):
            raw, start = raw[1:], start + 1
        while raw and (raw[-1] in _FIXABLE or raw[-1] in ".,"):
            raw, end = raw[:-1], end - 1
        if sum(ch.isdigit() for ch in raw) == 0:
            continue
        fixed = any(ch in _FIXUPS for ch in raw)
        if fixed and sum(ch.isdigit() for ch in raw) < 2:
            continue
        digits = "".join(_FIXUPS.get(ch, ch) for ch in raw)
        before, after = text[:start], text[end:]
        number = _Number(
            line=index,
            start=start,
            end=end,
            mark_start=start,
            mark_end=end,
            digits=digits,
            kind=_Kind.BARE,
            confidence=_weakest(chars[start:end], digits),
            box=reduce(union, (c.box for c in chars[start:end])),
            fixed=fixed,
        )
        _classify(number, before, after, chars)
        found.append(number)
    for position, number in enumerate(found):
        outside = (text[: number.mark_start] + text[number.mark_end :]).strip(_PUNCT_EDGES)
        number.alone = not outside
        number.first = position == 0 and not text[: number.mark_start].strip(_PUNCT_EDGES)
    return found


def _classify(number: _Number, before: str, after: str, chars: list[_Char]) -> None:
    """Decide what ``number`` is from its neighbours; extend its span over its marks."""
    tight_before = before[-1:] if before else ""
    tight_after = after[:1]
    if _YEN_LOOKALIKE_BEFORE.match(before) and not after.strip():
        number.kind = _Kind.PRICE
        number.ways.add(Way.YEN_LOOKALIKE)
        number.notes.append("marked")
        number.mark_start = 0
        return
    code_or_range = tight_before.isascii() and tight_before.isalpha()
    code_or_range = code_or_range or tight_before in ("×", "*", "-", "/", "~", "～", ":")
    marked = _PIECE_BEFORE.search(before) or _PRICE_BEFORE.search(before)
    if (code_or_range and not marked) or _NOT_MONEY_BEFORE.search(before):
        # Part of a code (S925, Au750), a dimension (40x56), a range, a date or a time.
        number.kind = _Kind.NOT_MONEY
        return
    if tight_after in ("×", "*", "x", "X", "/", "-", "~", "～", ":") and after[1:2].isdigit():
        number.kind = _Kind.NOT_MONEY
        return
    if tight_before in ("$", "€", "£", "₩", "₽"):
        number.kind = _Kind.NOT_MONEY  # another currency
        return
    if tight_after in (".", ",") and after[1:2].isdigit():
        number.kind = _Kind.NOT_MONEY  # a run the scanner cut: never a clean amount
        return

    end = number.end
    if _GOLD_AFTER.match(after) and number.digits in _KARATS:
        number.kind = _Kind.NOT_MONEY
        return
    multiplier = _MULTIPLIER_AFTER.match(after)
    if multiplier is not None:
        unit = multiplier.group("wan") or multiplier.group("unit")
        if unit in "kK" and number.digits in _KARATS and not _PRICE_BEFORE.search(before):
            number.kind = _Kind.NOT_MONEY  # 18K is gold, not 18000 yuan
            return
        number.multiplier = 10_000 if unit in ("万", "w", "W") else 1_000
        if "." not in number.digits and len(number.digits) >= 2:
            number.ways.add(Way.WHOLE_MULTIPLE)
        if unit in "wW":
            number.ways.add(Way.W_UNIT)
            # 65W is a charger's power as much as 650000 yuan: only money when marked.
            number.notes.append("w")
        unit_at = end + multiplier.end() - 1
        number.confidence = min(number.confidence, chars[unit_at].confidence)
        number.box = union(number.box, chars[unit_at].box)
        end = unit_at + 1
        after = after[multiplier.end() :]
        number.kind = _Kind.PRICE
    elif _NOT_MONEY_AFTER.match(after):
        number.kind = _Kind.NOT_MONEY
        return
    elif tight_after.isascii() and tight_after.isalpha():
        number.kind = _Kind.NOT_MONEY  # 925S, 15Pro
        return
    if tight_after in (".", ","):
        number.fixed = True  # "No.1." or "1288,": a digit after it may be lost

    price_after = _PRICE_AFTER.match(after)
    if price_after is not None:
        number.kind = _Kind.PRICE
        number.notes.append("marked")
        end += price_after.end()
    number.mark_end = end

    if (other := _OTHER_PRICE_BEFORE.search(before)) is not None:
        number.kind = _Kind.OTHER_PRICE
        number.mark_start = other.start()
    elif (price := _PRICE_BEFORE.search(before)) is not None:
        number.kind = _Kind.PRICE
        number.notes.append("marked")
        number.mark_start = price.start()
    elif number.kind is _Kind.PRICE and _PIECE_BEFORE.search(before):
        number.kind = _Kind.CONFLICT  # #13 198元 read as one number: where did it split?
    elif number.kind is _Kind.BARE:
        piece_before = _PIECE_BEFORE.search(before)
        piece_after = _PIECE_AFTER.match(after)
        if piece_before is not None or piece_after is not None:
            number.kind = _Kind.PIECE
            if piece_before is not None:
                number.mark_start = piece_before.start()
            if piece_after is not None:
                number.mark_end = end + piece_after.end()


def _piece_text(number: _Number) -> str | None:
    """The piece number as the field gets it (digits, no leading zeros), if it is one."""
    if not number.digits.isdigit():
        return None
    value = int(number.digits)
    return str(value) if 1 <= value <= PIECE_MAX else None


def _price_text(number: _Number) -> str | None:
    """The price in plain yuan ("1288", "1288.50", "12000"), if the number is one."""
    digits = number.digits
    if number.multiplier != 1:
        try:
            amount = Decimal(digits) * number.multiplier  # 1.2万: no float on the way
        except InvalidOperation:
            return None
        if amount != amount.quantize(Decimal("0.01")):
            return None
        digits = f"{amount.quantize(Decimal('0.01')):f}"
    try:
        fen = parse_yuan(digits)  # within a price's bounds, or MoneyError
    except MoneyError:
        return None
    whole, part = divmod(fen, 100)
    return str(whole) if part == 0 else f"{whole}.{part:02d}"


def _amount(number: _Number) -> Decimal | None:
    """The number's value in yuan, if it is an amount."""
    text = _price_text(number)
    return None if text is None else Decimal(text)


def _doubtful_amount(number: _Number) -> bool:
    """A comma where a point may have been (12,50), or a point with 3 decimals (1.288)."""
    digits = number.digits
    if "," in digits and "." not in digits:
        return any(len(group) != 3 for group in digits.split(",")[1:])
    return "." in digits and len(digits.rsplit(".", 1)[1]) > 2 and number.multiplier == 1


@dataclass
class _Choice:
    text: str
    confidence: float
    box: Box
    numbers: list[_Number]
    ways: set[Way] = field(default_factory=set)  # what makes it riskier than marked


def _choose(candidates: list[tuple[_Number, str]], factor: float = 1.0) -> _Choice | None:
    """The value most candidates agree on; unsure when they disagree or one is doubtful."""
    if not candidates:
        return None
    values = {text for _, text in candidates}
    first_text = candidates[0][1]
    agreeing = [number for number, text in candidates if text == first_text]
    best = max(agreeing, key=lambda n: n.confidence)
    confidence = best.confidence * factor
    if len(values) > 1 or any(number.fixed for number, _ in candidates):
        confidence = min(confidence, DOUBT)
    if "w" in best.notes and "marked" not in best.notes:
        confidence = min(confidence, DOUBT)
    return _Choice(first_text, confidence, best.box, agreeing, set(best.ways))


def _need(ways: set[Way]) -> float:
    """What a price found these ways needs of its weakest character to fill the field."""
    return max([PRICE_MIN_CONFIDENCE, *(PRICE_NEED[way] for way in ways)])


def _read(
    numbers: list[_Number], confirm: Callable[[_Choice], float] | None = None
) -> tuple[_Choice | None, _Choice | None]:
    """The piece number and the price among a card's numbers.

    ``confirm`` reads a bare price a second time when it falls short of its need (see
    :data:`CONFIRMED_NEED`): the second read's confidence in the same value, 0 if it differs.
    """
    pieces = [(n, t) for n in numbers if n.kind is _Kind.PIECE if (t := _piece_text(n))]
    marked = [n for n in numbers if n.kind in (_Kind.PRICE, _Kind.OTHER_PRICE)]
    prices = [(n, t) for n in marked if (t := _price_text(n))]
    doubt = any(_price_text(n) is None or _doubtful_amount(n) for n in marked)
    # An "original price" beside the price is a second price: the card is not clear.
    if any(n.kind is _Kind.OTHER_PRICE for n in marked):
        doubt = True
    conflict = any(n.kind is _Kind.CONFLICT for n in numbers)
    doubt = doubt or conflict
    bare = [n for n in numbers if n.kind is _Kind.BARE]
    layout_piece = False
    swapped = False
    if not pieces:
        # A bare small whole number alone (or first) on its line, with a price elsewhere
        # on the card: the layout makes it the piece ("3" above "¥1288", "3 1288").
        small = [n for n in bare if n.digits.isdigit() and _piece_text(n) and len(n.digits) <= 3]
        placed = [n for n in small if n.alone or n.first]
        if placed and (prices or len(bare) >= 2):
            head = placed[0]
            others = [n for n in bare if n is not head]
            if prices or others:
                pieces = [(head, _piece_text(head) or "")]
                layout_piece = True
                bare = others
                # "468" above "3": which is the piece? A piece number is smaller than
                # the price beside it; when it is not, the layout tells nothing.
                amounts = [n for n, _ in prices] or others
                values = [a for n in amounts if (a := _amount(n)) is not None]
                swapped = any(value <= int(head.digits) for value in values)
    if not prices:
        piece_values = {t for _, t in pieces}
        leftover = [
            n for n in bare if not (n.digits.isdigit() and str(int(n.digits)) in piece_values)
        ]
        prices = [(n, t) for n in leftover if (t := _price_text(n))]
        doubt = doubt or any(_price_text(n) is None or _doubtful_amount(n) for n in leftover)
        price = _choose(prices)
        if price is not None:
            price.ways.add(Way.BARE)
            head_number = price.numbers[0]
            if price.text[:1] == "9" and head_number.digits[:1] == "9":
                price.ways.add(Way.LEADING_NINE)
            short = head_number.digits.isdigit() and len(head_number.digits) <= 2
            if layout_piece and short:
                price.ways.add(Way.SHORT_BARE)
            if layout_piece and any(n.line == head_number.line for n, _ in pieces):
                price.ways.add(Way.ONE_LINE_UNMARKED)
        if price is not None and len(leftover) == 1 and not pieces:
            lone = leftover[0]
            if lone.digits.isdigit() and len(lone.digits) <= 2:
                price.confidence = min(price.confidence, DOUBT)  # "3" alone: piece or price?
    else:
        price = _choose(prices)
    if price is not None and (doubt or any(_doubtful_amount(n) for n in price.numbers)):
        price.confidence = min(price.confidence, DOUBT)
    if price is not None and not pieces:
        # No piece number read: the card was not read whole (a line lost, a hand over
        # it), or "3 1288" was read as "31288". The price alone is not trusted.
        if price.numbers[0].kind is _Kind.BARE:
            price.confidence = min(price.confidence, DOUBT)
        price.ways.add(Way.NO_PIECE)
    if price is not None:
        need = _need(price.ways)
        confirmable = bool(price.ways) and price.ways <= CONFIRMABLE
        if confirm is not None and confirmable and CONFIRMED_NEED <= price.confidence < need:
            second = confirm(price)
            price.confidence = min(price.confidence, second) if second > 0 else DOUBT
            need = CONFIRMED_NEED
        # scaled so that it reaches PRICE_MIN_CONFIDENCE exactly at its way's need
        price.confidence *= PRICE_MIN_CONFIDENCE / need
    piece = _choose(pieces, LAYOUT_PIECE if layout_piece else 1.0)
    if piece is not None and (conflict or (layout_piece and (price is None or doubt))):
        # the layout only tells the piece on a card whose price is clear
        piece.confidence = min(piece.confidence, DOUBT)
    if swapped:
        for choice in (piece, price):
            if choice is not None:
                choice.confidence = min(choice.confidence, DOUBT)
    return piece, price


def _at_edge(box: Box, size: tuple[int, int] | None) -> bool:
    """Whether ``box`` touches the edge of an image of ``size`` (width, height)."""
    if size is None:
        return False
    width, height = size
    return (
        box.x <= EDGE_PX
        or box.y <= EDGE_PX
        or box.x + box.width >= width - EDGE_PX
        or box.y + box.height >= height - EDGE_PX
    )


def _confirmer(
    lines: list[TextLine],
    numbers: list[_Number],
    reread: Callable[[TextLine], TextLine | None],
) -> Callable[[_Choice], float]:
    """How sure a second read of a price's line is of the same value (0: it differs).

    The second read must see the very numbers the first saw on that line, in order: one
    more digit, one less, or another number beside it means the line is not what it seemed.
    """

    def confirm(price: _Choice) -> float:
        index = price.numbers[0].line
        again = reread(lines[index])
        if again is None:
            return 0.0
        first = [n.digits for n in numbers if n.line == index]
        second = _numbers(index, _normalised(again))
        if [n.digits for n in second] != first:
            return 0.0
        same = [n for n in second if n.digits == price.numbers[0].digits]
        return min(n.confidence for n in same)

    return confirm


def reading_of(
    lines: list[TextLine],
    *,
    engine: str,
    elapsed_ms: float,
    size: tuple[int, int] | None = None,
    reread: Callable[[TextLine], TextLine | None] | None = None,
) -> CardReading:
    """The card's piece number, price and other text, from the lines an engine read.

    ``size`` is the read image's (width, height): the card is cut with a margin, so a value
    that touches the image's edge was most likely cut short by a card box found too small
    ("31888" half covered reads "318"); it is never sure. Neither is anything on an image
    with more than :data:`MAX_CARD_LINES` lines of text: that is not an order card.
    ``reread`` reads one line again, independently (the engine's second opinion): a bare
    price short of its need is confirmed by it or never sure (:data:`CONFIRMED_NEED`).
    """
    normalised = [_normalised(line) for line in lines]
    written = sum(1 for chars in normalised if any(not c.char.isspace() for c in chars))
    not_a_card = written > MAX_CARD_LINES
    numbers = [n for i, chars in enumerate(normalised) for n in _numbers(i, chars)]
    confirm = None if reread is None else _confirmer(lines, numbers, reread)
    piece, price = _read(numbers, confirm)

    used: dict[int, list[tuple[int, int]]] = {}
    for choice in (piece, price):
        if choice is not None:
            for number in choice.numbers:
                used.setdefault(number.line, []).append((number.mark_start, number.mark_end))
    rest: list[str] = []
    for i, chars in enumerate(normalised):
        kept = [
            c.char
            for j, c in enumerate(chars)
            if not any(start <= j < end for start, end in used.get(i, []))
        ]
        words = " ".join("".join(kept).split()).strip(_PUNCT_EDGES)
        if words:
            rest.append(words)

    def value(choice: _Choice | None) -> ReadValue | None:
        if choice is None:
            return None
        confidence = max(0.0, min(1.0, choice.confidence))
        if not_a_card or _at_edge(choice.box, size):
            confidence = min(confidence, DOUBT)
        return ReadValue(choice.text, round(confidence, 5), choice.box)

    return CardReading(
        piece=value(piece),
        price=value(price),
        text="\n".join(rest),
        lines=tuple(lines),
        engine=engine,
        elapsed_ms=elapsed_ms,
    )
