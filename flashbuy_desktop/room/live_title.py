"""The platform's rules for a live's title, checked before the console asks it to go live.

Qt-free: the go-live window maps each problem to a sentence. The rules are the ones
``flashbuy_protocol.models.LiveStart`` enforces (trimmed, 1 to ``LIVE_TITLE_MAX``
characters, the text rule of ``flashbuy_protocol.limits``), so what passes here is never
refused for its form.
"""

from enum import Enum

from flashbuy_protocol.limits import LIVE_TITLE_MAX, TextProblem, text_problem, trim


class TitleProblem(Enum):
    """Why a title cannot be used."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL = "control"  # a character no title can hold (a pasted control character)
    DIRECTION = "direction"  # a hidden character that changes the text's direction
    BLANK = "blank"  # only characters that show nothing (zero-width spaces, say)


_BY_TEXT_PROBLEM = {
    TextProblem.CONTROL: TitleProblem.CONTROL,
    TextProblem.DIRECTION: TitleProblem.DIRECTION,
    TextProblem.BLANK: TitleProblem.BLANK,
}


def clean_title(text: str) -> str:
    """The title as the platform stores it: without the white space around it."""
    return trim(text)


def title_problem(text: str) -> TitleProblem | None:
    """What is wrong with ``text`` as a live's title, or None when the platform takes it."""
    title = clean_title(text)
    if not title:
        return TitleProblem.EMPTY
    if len(title) > LIVE_TITLE_MAX:
        return TitleProblem.TOO_LONG
    problem = text_problem(title)
    return None if problem is None else _BY_TEXT_PROBLEM[problem]
