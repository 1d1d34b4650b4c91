"""Enumerations shared by the console and the platform."""

from enum import StrEnum


class Mode(StrEnum):
    """Who receives a flash-buy's invitation."""

    FULL = "full"  # every viewer in the live room (全量)
    TARGETED = "targeted"  # only the named viewers (定向)


class FlashBuyStatus(StrEnum):
    """Life cycle of a flash-buy; only ``active`` ones can be bought."""

    ACTIVE = "active"
    SOLD_OUT = "sold_out"
    ENDED = "ended"


class LiveStatus(StrEnum):
    """Whether a live room is broadcasting."""

    LIVE = "live"
    ENDED = "ended"


class TemplateKind(StrEnum):
    """How a shipping template charges postage."""

    FREE = "free"
    FLAT = "flat"
    BY_REGION = "by_region"


class OrderStatus(StrEnum):
    """Life cycle of an order (issue 14's table in docs/platform.md).

    ``held``: placed, the piece is the buyer's while the pay window runs; then ``paid``,
    ``expired`` (the window ran out) or ``cancelled`` (by the buyer, or by the seller with a
    reason). Only ``held`` changes; the other three are final.
    """

    HELD = "held"  # 待付款
    PAID = "paid"  # 已付款
    EXPIRED = "expired"  # 已超时
    CANCELLED = "cancelled"  # 已取消


class CancelledBy(StrEnum):
    """Who cancelled a held order."""

    BUYER = "buyer"
    SELLER = "seller"


class OrderSource(StrEnum):
    """How an order came to be: bought from the offer, given to the queue's next viewer when
    the piece came back, or handed to a viewer the seller chose."""

    OFFER = "offer"
    QUEUE = "queue"
    SELLER = "seller"
