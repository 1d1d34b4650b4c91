"""Which badges a viewer's record earns beside their comments (no Qt).

A badge says something worth knowing before a piece goes to this viewer: they were blocked,
they left orders unpaid until the pay window ran out (跑单), or they came back and paid again
(回头客). A viewer with none of these gets no badge: most viewers, most of the time, so the
comment list stays quiet and a badge stands out.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from flashbuy_protocol.models import ViewerRecord

UNPAID_MIN: Final = 1  # one expired order is already worth a look
REGULAR_MIN: Final = 2  # paid twice: came back and paid again


class BadgeKind(StrEnum):
    """What a badge says; the console words and colours each one."""

    BLOCKED = "blocked"  # 已拉黑
    UNPAID = "unpaid"  # 跑单 N: orders left unpaid until they expired
    REGULAR = "regular"  # 回头客 N: pieces paid


@dataclass(frozen=True)
class Badge:
    """One badge: its kind and the number it shows (0 for one without a number)."""

    kind: BadgeKind
    count: int = 0


def badges(record: ViewerRecord | None) -> tuple[Badge, ...]:
    """The badges ``record`` earns, the most pressing first; none without a record."""
    if record is None:
        return ()
    earned: list[Badge] = []
    if record.blocked:
        earned.append(Badge(BadgeKind.BLOCKED))
    if record.expired_count >= UNPAID_MIN:
        earned.append(Badge(BadgeKind.UNPAID, record.expired_count))
    if record.paid_count >= REGULAR_MIN:
        earned.append(Badge(BadgeKind.REGULAR, record.paid_count))
    return tuple(earned)


def worth_knowing(record: ViewerRecord | None) -> bool:
    """Whether ``record`` says anything beyond "a viewer": a badge, a note, any order."""
    if record is None:
        return False
    return bool(
        badges(record)
        or record.note
        or record.paid_count
        or record.expired_count
        or record.cancelled_count
    )
