"""What a card says: the piece number, the price in one of the ways sellers write it, and
sometimes other words (the material, a size) that must not be taken for either.

Everything is drawn from a ``numpy`` random generator, so a card's words follow from its seed.
"""

from dataclasses import dataclass

import numpy as np

PIECE_FORMATS = ("{n}号", "#{n}", "No.{n}", "{n}", "第{n}号")
PIECE_WEIGHTS = (0.4, 0.2, 0.12, 0.18, 0.1)
PRICE_FORMATS = ("plain", "yen", "yen_comma", "fullwidth_yen", "yuan", "decimal", "wan", "k")
MATERIALS = (
    "冰种", "飘花", "手镯", "南红", "蜜蜡", "A货", "和田玉", "糯种", "满绿", "平安扣",
    "琥珀", "珍珠", "吊坠", "老坑", "阳绿", "籽料", "红珊瑚", "紫罗兰",
)  # fmt: skip
NO_PRICE_WORDS = ("议价", "私聊", "价格私信", "")
NO_PRICE_SHARE = 0.08
NO_PIECE_SHARE = 0.03
DISTRACTOR_SHARE = 0.35


@dataclass(frozen=True)
class Writing:
    """The lines written on a card and what they mean."""

    piece: str | None  # the piece number's digits
    price_fen: int | None  # the price in fen (1 yuan = 100 fen)
    lines: tuple[str, ...]


def _price_yuan(rng: np.random.Generator) -> int:
    """A price in yuan as jade, pearl and amber sell for: 88 to 98,000, often ending in 8s
    or zeros."""
    while True:
        value = float(np.exp(rng.uniform(np.log(88), np.log(98_000))))
        digits = int(np.floor(np.log10(value)))
        if digits < 2:
            return 88
        lead = int(value // 10 ** (digits - 1))  # two leading digits
        tail = digits - 1
        style = rng.random()
        if style < 0.4:
            yuan = int(str(lead) + "8" * tail) if tail else lead
        elif style < 0.8:
            yuan = lead * 10**tail
        else:  # three significant digits: 1350, 25600, 468
            yuan = int(round(value, 2 - digits))
        if 88 <= yuan <= 98_000:
            return yuan


def _price_text(rng: np.random.Generator, yuan: int) -> tuple[str, int]:
    """The price as written, and its value in fen."""
    formats = ["plain", "yen", "yen_comma", "fullwidth_yen", "yuan"]
    weights = [0.26, 0.2, 0.14, 0.12, 0.14]
    if yuan < 10_000:
        formats.append("decimal")
        weights.append(0.06)
    if yuan >= 1000 and yuan % 100 == 0:
        formats.append("k")
        weights.append(0.07)
    if yuan >= 10_000 and yuan % 1000 == 0:
        formats.append("wan")
        weights.append(0.12)
    p = np.array(weights) / sum(weights)
    kind = str(rng.choice(formats, p=p))
    fen = yuan * 100
    if kind == "plain":
        return str(yuan), fen
    if kind == "yen":
        return f"¥{yuan}", fen
    if kind == "yen_comma":
        return f"¥{yuan:,}", fen
    if kind == "fullwidth_yen":
        return f"￥{yuan}", fen
    if kind == "yuan":
        return f"{yuan}元", fen
    if kind == "decimal":
        cents = int(rng.choice([0, 50, 80, 90, 99]))
        return f"{yuan}.{cents:02d}", fen + cents
    if kind == "k":
        k = yuan / 1000
        return (f"{k:g}k" if rng.random() < 0.7 else f"{k:g}K"), fen
    wan = yuan / 10_000
    return f"{wan:g}万", fen


def _distractor(rng: np.random.Generator) -> str:
    """Other words a seller writes: the material, a size or a weight."""
    roll = rng.random()
    if roll < 0.5:
        count = 1 + int(rng.random() < 0.6)
        return "".join(str(w) for w in rng.choice(MATERIALS, size=count, replace=False))
    if roll < 0.7:
        return (
            f"{int(rng.integers(50, 62))}mm"
            if rng.random() < 0.5
            else f"圈口{rng.integers(52, 62)}"
        )
    if roll < 0.85:
        return f"{rng.integers(2, 40)}.{rng.integers(0, 10)}g"
    return f"{rng.integers(6, 12)}-{rng.integers(8, 14)}mm"


def writing(rng: np.random.Generator) -> Writing:
    """The words of one card."""
    has_piece = rng.random() >= NO_PIECE_SHARE
    has_price = rng.random() >= NO_PRICE_SHARE or not has_piece
    piece = str(int(rng.integers(1, 60) if rng.random() < 0.8 else rng.integers(60, 300)))
    piece_text = str(rng.choice(PIECE_FORMATS, p=PIECE_WEIGHTS)).format(n=piece)
    price_fen: int | None = None
    price_text = str(rng.choice(NO_PRICE_WORDS))
    if has_price:
        price_text, price_fen = _price_text(rng, _price_yuan(rng))
    lines: list[str] = []
    if not has_piece:
        lines = [price_text]
    elif not price_text:
        lines = [piece_text]
    elif rng.random() < 0.25 and piece_text != piece:  # "3 1288" on one line: nobody could tell
        lines = [f"{piece_text} {price_text}"]
    elif rng.random() < 0.05:
        lines = [price_text, piece_text]
    else:
        lines = [piece_text, price_text]
    if rng.random() < DISTRACTOR_SHARE:
        # a bare number above the piece number would be read as it: sellers write it below
        at = len(lines) if rng.random() < 0.75 or piece_text == piece else 0
        lines.insert(at, _distractor(rng))
    return Writing(piece if has_piece else None, price_fen, tuple(lines))
