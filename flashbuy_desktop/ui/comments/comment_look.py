"""How a comment row is painted: fonts, metrics and colours, and where each part goes.

Made once per font and palette and kept between rows, not per row: in a flood every row
painted costs GUI time. The colours come from the console's palette
(:func:`flashbuy_desktop.ui.theme.colour`), the warm ones in a light and a dark form.
"""

import math
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QPalette

from flashbuy_desktop.room.comment_rows import INTENT, NICKNAME, TEXT, Row
from flashbuy_desktop.room.listing import nickname_width
from flashbuy_desktop.ui import theme

PAD = 4  # pixels between the parts of a row and around it
_CACHE_MAX = 4096  # nickname widths and colours remembered


def nickname_color(viewer_id: int, dark: bool = False) -> QColor:
    """A stable, readable colour per viewer (hues spread by the golden angle)."""
    return QColor.fromHsl((viewer_id * 137) % 360, 170, 175 if dark else 80)


class Look:
    """Fonts, metrics and colours for one font and palette: made once, not per row."""

    def __init__(self, font: QFont, palette: QPalette) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.plain_metrics = QFontMetrics(self.font)
        self.bold_metrics = QFontMetrics(self.bold)
        self.bold_metrics_f = QFontMetricsF(self.bold)
        self.time_width = self.plain_metrics.horizontalAdvance("00:00:00")
        self.palette_key = palette.cacheKey()
        self.dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        self.text = palette.color(QPalette.ColorRole.Text)
        self.highlighted = palette.color(QPalette.ColorRole.HighlightedText)
        self.warm = theme.colour("warm_background_dark" if self.dark else "warm_background")
        self.intent = theme.colour("intent_dark" if self.dark else "intent")
        self.time = theme.colour("comment_time")
        # How a nickname leads its comment ("{nickname}：" in Chinese), looked up once.
        self.nick_format = QCoreApplication.translate("Comments", "{nickname}:")
        self.nick_widths: dict[str, int] = {}
        self.nick_colors: dict[int, QColor] = {}

    def nick_width(self, nickname: str) -> int:
        """The whole pixels ``nickname`` needs in bold, rounded up.

        QFontMetrics.horizontalAdvance rounds to the nearest pixel, while elidedText
        elides whatever is wider than the width given, fractions included: a name
        measured 64.6 -> 65 fits, one measured 102.4 -> 102 lost its last character.
        """
        width = self.nick_widths.get(nickname)
        if width is None:
            if len(self.nick_widths) > _CACHE_MAX:
                self.nick_widths.clear()
            advance = self.bold_metrics_f.horizontalAdvance(nickname)
            width = self.nick_widths[nickname] = math.ceil(advance)
        return width

    def fit_nickname(self, nickname: str, text: str, intent: bool, space: int) -> tuple[str, int]:
        """The nickname as painted (whole, or elided) and its width, out of ``space``."""
        need = self.nick_width(nickname)
        if need <= space // 2:  # the usual case: no need to measure the text
            return nickname, need
        metrics = self.bold_metrics if intent else self.plain_metrics
        width = nickname_width(need, metrics.horizontalAdvance(text), space)
        if width >= need:
            return nickname, width
        return self.bold_metrics.elidedText(nickname, Qt.TextElideMode.ElideRight, width), width

    def nick_color(self, viewer_id: int) -> QColor:
        """The colour of a viewer's nickname (cached: one per viewer)."""
        color = self.nick_colors.get(viewer_id)
        if color is None:
            if len(self.nick_colors) > _CACHE_MAX:
                self.nick_colors.clear()
            color = self.nick_colors[viewer_id] = nickname_color(viewer_id, self.dark)
        return color


class Parts(NamedTuple):
    """Where the parts of one painted row go."""

    button: QRect  # the "+" button
    time_left: int  # x where the time starts
    nickname: str  # the nickname as painted: whole, or elided to nick_width
    nick_width: int
    text_left: int  # x where the comment's text starts
    badges_left: int = 0  # x where the viewer's badges start (right after the nickname)
    hand_over: QRect = QRect()  # the "hand over" button left of "+" (empty: not shown)


def button_rect(row: QRect) -> QRect:
    """Where the "+" button of a row at ``row`` (the item's rect in the viewport) is."""
    side = max(12, row.height() - 2 * (PAD - 1))
    return QRect(row.right() - PAD - side + 1, row.top() + (row.height() - side) // 2, side, side)


def parts(
    look: Look, rect: QRect, row: Row, *, badges_width: int = 0, hand_over_width: int = 0
) -> Parts:
    """Where each part of ``row`` goes when painted in ``rect``.

    ``badges_width``: what the viewer's badges need after the nickname (0: none);
    ``hand_over_width``: the "hand over" button's width left of "+" (0: not shown).
    """
    left, top, width, height = rect.x(), rect.y(), rect.width(), rect.height()
    side = max(12, height - 2 * (PAD - 1))
    button = QRect(left + width - PAD - side, top + (height - side) // 2, side, side)
    hand_over = QRect()
    right = button.x()
    if hand_over_width:
        hand_over = QRect(right - PAD - hand_over_width, button.y(), hand_over_width, side)
        right = hand_over.x()
    time_left = right - PAD - look.time_width
    # What the nickname and the text share: from the left padding to the time's padding,
    # less the small gap between them (and the badges, which are never cut).
    space = max(0, time_left - PAD - (left + PAD) - PAD // 2 - badges_width)
    nickname = look.nick_format.format(nickname=row[NICKNAME])
    shown, nick_width = look.fit_nickname(nickname, row[TEXT], row[INTENT], space)
    badges_left = left + PAD + nick_width + PAD // 2
    return Parts(
        button, time_left, shown, nick_width, badges_left + badges_width, badges_left, hand_over
    )
