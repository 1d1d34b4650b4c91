"""What a host writes on the order card for one flash-buy: a piece number and a price.

Qt-free. :func:`host_cards` gives, from a fixed seed, one card per flash-buy: the two lines
as written ("37号" / "¥1,288"), and what the platform must get from them (the piece number
"37", the price in fen), so that each published flash-buy can be checked against its card.
The forms are the ones a host uses (issue 15): 3号, #3, No.3; ¥1288, ¥1,288, 1288元, 1288.50.
Piece numbers mostly follow each other, and now and then skip one (a piece not offered), so a
number the window guesses (the one after the last) is not always the card's.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass

SEED = 15  # the number: the same cards in every run

PIECE_FORMS = ("{n}号", "{n}号", "#{n}", "No.{n}")
PRICE_FORMS = ("¥{whole}", "¥{grouped}", "{whole}元", "¥{whole}")
INKS = ("black", "blue", "red")


@dataclass(frozen=True)
class HostCard:
    """One card: the lines as written, the ink, and what they mean."""

    piece_line: str
    price_line: str
    ink: str  # one of INKS
    piece: str  # the piece number's digits
    price_fen: int

    @property
    def lines(self) -> tuple[str, str]:
        """The card's lines, top to bottom."""
        return self.piece_line, self.price_line


def _price(rng: random.Random) -> tuple[int, str, str]:
    """A price in fen, with its whole-yuan text plain and grouped ("1288", "1,288")."""
    band = rng.random()
    if band < 0.3:
        yuan = rng.randint(88, 999)
    elif band < 0.85:
        yuan = rng.randint(1000, 9999)
    else:
        yuan = rng.randint(10000, 39999)
    cents = 50 if rng.random() < 0.1 else 0
    whole = str(yuan) if not cents else f"{yuan}.{cents:02d}"
    grouped = f"{yuan:,}" if not cents else f"{yuan:,}.{cents:02d}"
    return yuan * 100 + cents, whole, grouped


def host_cards(first_piece: int, seed: int = SEED) -> Iterator[HostCard]:
    """Cards for flash-buys in order, numbered from ``first_piece`` (an endless stream)."""
    rng = random.Random(seed)
    piece = first_piece
    for k in range(10**9):
        fen, whole, grouped = _price(rng)
        piece_form = PIECE_FORMS[k % len(PIECE_FORMS)]
        price_form = PRICE_FORMS[(k // len(PIECE_FORMS) + k) % len(PRICE_FORMS)]
        yield HostCard(
            piece_line=piece_form.format(n=piece),
            price_line=price_form.format(whole=whole, grouped=grouped),
            ink=INKS[k % len(INKS)],
            piece=str(piece),
            price_fen=fen,
        )
        piece += 2 if rng.random() < 0.2 else 1
