"""Which product a new flash-buy may use, and which one the window preselects (no Qt).

A product can be flash-bought in a mode when it is eligible and that mode's quota is not used
up. The window preselects the product used last, never another one in its place: a silent
swap would publish this piece's picture under another product's name. The window words the
reasons (``ui/new_flashbuy``); the rules are here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from flashbuy_desktop.room.pieces import same_piece
from flashbuy_protocol.enums import FlashBuyStatus, Mode
from flashbuy_protocol.models import FlashBuy, Product


class Unusable(Enum):
    """Why a product cannot be flash-bought in a mode."""

    NOT_ELIGIBLE = "not eligible"  # the product's own reason says why (ineligible_reason)
    FULL_USED_UP = "full used up"
    TARGETED_USED_UP = "targeted used up"


def unusable(product: Product, mode: Mode) -> Unusable | None:
    """Why ``product`` cannot be flash-bought in ``mode`` (None: it can)."""
    if not product.eligible:
        return Unusable.NOT_ELIGIBLE
    if mode is Mode.FULL and product.quota.full_left <= 0:
        return Unusable.FULL_USED_UP
    if mode is Mode.TARGETED and product.quota.targeted_left <= 0:
        return Unusable.TARGETED_USED_UP
    return None


@dataclass(frozen=True)
class Preselection:
    """The row to preselect (-1: none), and why the last product is not it, if it is not."""

    row: int
    last_unusable: Product | None = None  # the last product, which cannot be used now
    last_gone: bool = False  # the last product is no longer offered


def preselect(products: Sequence[Product], last_id: int | None, mode: Mode) -> Preselection:
    """The last product used if it can still be used; nothing when it cannot.

    Only when the seller has used no product yet is the first usable one preselected.
    """
    if last_id is not None:
        for row, product in enumerate(products):
            if product.id == last_id:
                if unusable(product, mode) is None:
                    return Preselection(row)
                return Preselection(-1, last_unusable=product)
        return Preselection(-1, last_gone=True)
    for row, product in enumerate(products):
        if unusable(product, mode) is None:
            return Preselection(row)
    return Preselection(-1)


def repeated_pieces(piece: str, flashbuys: Sequence[FlashBuy]) -> list[FlashBuy]:
    """The active or sold flash-buys of ``flashbuys`` whose piece number is ``piece``'s."""
    live = [fb for fb in flashbuys if fb.status in (FlashBuyStatus.ACTIVE, FlashBuyStatus.SOLD_OUT)]
    same = set(same_piece(piece, [fb.piece_no for fb in live]))
    return [fb for fb in live if fb.piece_no in same]
