"""How a viewer's record reads: the badges' words and colours, and the one-line summary.

One place, so the comment list, the targeted window and the viewer's card say the same
thing the same way. Which badges a record earns is :mod:`flashbuy_desktop.room.viewer_badges`
(no Qt); this module only words and colours them.
"""

from typing import NamedTuple

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from flashbuy_desktop.room.viewer_badges import REGULAR_MIN, Badge, BadgeKind
from flashbuy_desktop.ui import theme
from flashbuy_protocol.models import ViewerRecord

# The palette's colours of each badge: (background, text).
_COLOURS: dict[BadgeKind, tuple[str, str]] = {
    BadgeKind.BLOCKED: ("muted", "on_colour"),
    BadgeKind.UNPAID: ("error_background", "error"),
    BadgeKind.REGULAR: ("chip_background", "success"),
}


class BadgeLook(NamedTuple):
    """A badge as painted: its words and colours."""

    text: str
    background: QColor
    foreground: QColor


def badge_text(badge: Badge) -> str:
    """A badge's words ("跑单 2", "回头客 5", "已拉黑")."""
    match badge.kind:
        case BadgeKind.BLOCKED:
            return QCoreApplication.translate("ViewerWords", "Blocked")
        case BadgeKind.UNPAID:
            return QCoreApplication.translate("ViewerWords", "Unpaid {count}").format(
                count=badge.count
            )
        case BadgeKind.REGULAR:
            return QCoreApplication.translate("ViewerWords", "Regular {count}").format(
                count=badge.count
            )


def badge_look(badge: Badge) -> BadgeLook:
    """A badge's words and the palette's colours for it."""
    background, foreground = _COLOURS[badge.kind]
    return BadgeLook(badge_text(badge), theme.colour(background), theme.colour(foreground))


def summary(record: ViewerRecord | None) -> str:
    """The record in a few words, for beside a targeted viewer ("回头客 5 · 跑单 1")."""
    words: list[str] = []
    if record is not None:
        if record.blocked:
            words.append(badge_text(Badge(BadgeKind.BLOCKED)))
        if record.paid_count >= REGULAR_MIN:
            words.append(badge_text(Badge(BadgeKind.REGULAR, record.paid_count)))
        elif record.paid_count:
            words.append(
                QCoreApplication.translate("ViewerWords", "Paid {count}").format(
                    count=record.paid_count
                )
            )
        if record.expired_count or record.paid_count:
            # "跑单 0" beside a buyer who paid is the good news, said as plainly as the bad.
            words.append(badge_text(Badge(BadgeKind.UNPAID, record.expired_count)))
    if not words:
        return QCoreApplication.translate("ViewerWords", "No orders yet")
    return QCoreApplication.translate("ViewerWords", " · ").join(words)
