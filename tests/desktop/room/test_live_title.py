"""A live's title checked by the platform's rules before the console asks (no Qt)."""

import pytest
from pydantic import ValidationError

from flashbuy_desktop.room.live_title import TitleProblem, clean_title, title_problem
from flashbuy_protocol.models import LiveStart


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("翡翠专场", None),
        ("  和田玉专场  ", None),
        ("长" * 60, None),
        ("", TitleProblem.EMPTY),
        ("   ", TitleProblem.EMPTY),
        ("长" * 61, TitleProblem.TOO_LONG),
        (" " + "长" * 60 + " ", None),  # the spaces around it are not the title's
        ("翡翠\x00专场", TitleProblem.CONTROL),
        ("翡翠\x1b专场", TitleProblem.CONTROL),
        ("翡翠\x9b专场", TitleProblem.CONTROL),  # C1
        ("翡翠\x85专场", TitleProblem.CONTROL),  # NEL: no line break a title keeps
        ("翡翠\x1f", TitleProblem.CONTROL),  # the platform trims white space only
        ("\u3000翡翠专场\x85 ", None),  # white space around it, NEL too, is trimmed
        ("翡翠\u202e专场", TitleProblem.DIRECTION),
        ("\u2066翡翠\u2069", TitleProblem.DIRECTION),
        ("\u200b", TitleProblem.BLANK),
        ("\u3000\u200d\ufeff", TitleProblem.BLANK),
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467 翡翠", None),
    ],
)
def test_a_title_is_refused_exactly_when_the_platform_would(
    text: str, problem: TitleProblem | None
) -> None:
    assert title_problem(text) is problem
    try:
        started = LiveStart(title=text)
    except ValidationError:
        assert problem is not None
    else:
        assert problem is None
        assert started.title == clean_title(text)
