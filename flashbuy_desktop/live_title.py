"""The platform's rules for a live's title, checked before the console asks it to go live.

Qt-free: the go-live window maps each problem to a sentence. The rules are the ones
``flashbuy_protocol.models.LiveStart`` enforces (trimmed, 1 to ``LIVE_TITLE_MAX``
characters, no control characters), so what passes here is never refused for its form.
"""

import re
from enum import Enum

from flashbuy_protocol.limits import CONTROL_BUT_LINES, LIVE_TITLE_MAX

_CONTROL = re.compile(CONTROL_BUT_LINES)


class TitleProblem(Enum):
    """Why a title cannot be used."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL = "control"  # a character no title can hold (a pasted control character)


def clean_title(text: str) -> str:
    """The title as the platform stores it: without the spaces around it."""
    return text.strip()


def title_problem(text: str) -> TitleProblem | None:
    """What is wrong with ``text`` as a live's title, or None when the platform takes it."""
    title = clean_title(text)
    if not title:
        return TitleProblem.EMPTY
    if len(title) > LIVE_TITLE_MAX:
        return TitleProblem.TOO_LONG
    if _CONTROL.search(title):
        return TitleProblem.CONTROL
    return None
