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
