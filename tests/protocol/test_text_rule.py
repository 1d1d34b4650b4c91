"""The text rule (flashbuy_protocol.limits): one rule, read alike by every engine that applies it.

The console applies it with Python's re (``text_problem``), the platform with pydantic's
Rust regex, a fuzzer with the ECMA-262 pattern of the OpenAPI schema (jsonschema_rs here).
"""

import itertools
import json
import re
from typing import Annotated

import jsonschema_rs
import pytest
from pydantic import StringConstraints, TypeAdapter, ValidationError

from flashbuy_protocol.limits import (
    FACT_PATTERN,
    FILLED_TEXT_PATTERN,
    LIVE_TITLE_MAX,
    NOTE_MAX,
    TEXT_PATTERN,
    WHITE_SPACE,
    TextProblem,
    text_problem,
    trim,
)
from flashbuy_protocol.models import CommentIn, FlashBuyCreate, LiveStart

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji: three joined by U+200D
PATTERNS = {"filled": FILLED_TEXT_PATTERN, "text": TEXT_PATTERN, "fact": FACT_PATTERN}
BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]  # no lone surrogates


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("翡翠专场", None),
        ("", None),  # whether a field may be empty is the field's rule
        (f"{FAMILY} 翡翠", None),
        ("要3号\u2764\ufe0f", None),
        ("第一行\n\t第二行\r\n", None),
        ("翡\u200b翠", None),  # invisible inside visible text stays
        ("Jade 翡翠 No.3", None),
        *((f"翡翠{chr(c)}", TextProblem.CONTROL) for c in [*range(0x09), 0x0B, 0x0C]),
        *((f"翡翠{chr(c)}", TextProblem.CONTROL) for c in range(0x0E, 0x20)),
        *((f"翡翠{chr(c)}", TextProblem.CONTROL) for c in range(0x7F, 0xA0)),  # DEL, C1, NEL
        ("翡翠\u2028专场", TextProblem.CONTROL),
        ("翡翠\u2029专场", TextProblem.CONTROL),
        *((f"翡翠{chr(c)}", TextProblem.DIRECTION) for c in range(0x202A, 0x202F)),
        *((f"翡翠{chr(c)}", TextProblem.DIRECTION) for c in range(0x2066, 0x206A)),
        ("\u200e翡翠", TextProblem.DIRECTION),
        ("翡翠\u200f", TextProblem.DIRECTION),
        ("翡翠\u061c", TextProblem.DIRECTION),
        (" ", TextProblem.BLANK),
        ("\t\n", TextProblem.BLANK),
        ("\u3000", TextProblem.BLANK),
        ("\u200b\u200c\u200d", TextProblem.BLANK),
        ("\u2060\ufeff", TextProblem.BLANK),
        ("\ufe0f", TextProblem.BLANK),
        ("\u2800\u3164\u115f\u00ad", TextProblem.BLANK),
    ],
)
def test_text_problem_names_what_the_rule_refuses(text: str, problem: TextProblem | None) -> None:
    assert text_problem(text) is problem
    assert (re.fullmatch(FACT_PATTERN, text) is not None) is (problem is None)


def test_trim_removes_what_the_platform_strips_around_a_field() -> None:
    stripped = TypeAdapter(Annotated[str, StringConstraints(strip_whitespace=True)])
    kept = [c for c in BMP if stripped.validate_python(f"{c}a{c}") == f"{c}a{c}"]
    assert set(kept) == set(BMP) - set(WHITE_SPACE)
    assert {"\x85", "\u3000", "\u2028", "\xa0"} <= set(WHITE_SPACE)
    assert "\u200b" not in WHITE_SPACE
    assert "\x1f" not in WHITE_SPACE  # unlike str.strip
    assert trim("\u3000 翡翠\x85\t") == "翡翠"
    assert trim("\x1f翡翠") == "\x1f翡翠"


@pytest.mark.parametrize("name", list(PATTERNS))
def test_python_and_pydantic_read_the_patterns_alike(name: str) -> None:
    """Every BMP character alone, inside text, leading and after a space: one answer."""
    pattern = PATTERNS[name]
    compiled = re.compile(pattern)
    rust = TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)])
    differ = []
    for char in BMP:
        for text in (char, f"a{char}b", f"{char}a", f" {char}", f"a{char}"):
            python = compiled.fullmatch(text) is not None
            try:
                rust.validate_python(text)
            except ValidationError:
                pydantic = False
            else:
                pydantic = True
            if python != pydantic:
                differ.append(text)
    assert not differ, [ascii(t) for t in differ[:10]]


SAMPLES = [
    "",
    " ",
    "翡翠",
    " 翡翠 ",
    "\u3000翡翠\x85",
    "\x85",
    "\u200b",
    "\u3000",
    "a\x85b",
    "a\x9bb",
    "a\u202eb",
    "a\u2066b",
    "a\x00",
    "\ufeff",
    "a\u2028b",
    f"{FAMILY} 翡翠",
    "a\nb\tc\r\n",
    "\n",
    "翡翠\n",
]


@pytest.mark.parametrize("name", list(PATTERNS))
def test_the_schema_pattern_reads_alike_in_ecma_262(name: str) -> None:
    """What a fuzzer's validator of the OpenAPI schema says is what the platform says."""
    pattern = PATTERNS[name]
    validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    for text in SAMPLES:
        assert validator.is_valid(text) is (re.fullmatch(pattern, text) is not None), ascii(text)


# Every text of up to four of these: white space trimmed or refused, invisible, visible, bad.
ALPHABET = [
    " ",
    "\t",
    "\n",
    "\x0b",
    "\x85",
    "\u3000",
    "\u200b",
    "\u200d",
    "a",
    "翡",
    "\x00",
    "\u202e",
]
SMALL_TEXTS = [""] + [
    "".join(combo) for n in range(1, 5) for combo in itertools.product(ALPHABET, repeat=n)
]


def test_the_patterns_say_of_text_as_sent_what_the_rule_says_of_it_trimmed() -> None:
    """The schema's patterns see the text before the platform trims it, yet say the same."""
    filled, text, fact = (re.compile(p) for p in PATTERNS.values())
    differ = []
    for sent in SMALL_TEXTS:
        stored = trim(sent)
        allowed = text_problem(stored) is None
        if (
            (filled.fullmatch(sent) is not None) is not (allowed and stored != "")
            or (text.fullmatch(sent) is not None) is not allowed
            or (fact.fullmatch(sent) is not None) is not (text_problem(sent) is None)
        ):
            differ.append(sent)
    assert not differ, [ascii(t) for t in differ[:10]]


@pytest.mark.parametrize("sent", [*SAMPLES, "a\x1fb", "\u200b翡翠\u200b", "\u2800", "\t翡翠\x0b"])
def test_the_models_take_exactly_what_the_rule_allows(sent: str) -> None:
    """A required field: something to read once trimmed; an optional one may be empty."""
    stored = trim(sent)
    required_ok = bool(stored) and text_problem(stored) is None and len(stored) <= LIVE_TITLE_MAX
    try:
        title = LiveStart(title=sent).title
    except ValidationError:
        assert not required_ok
    else:
        assert required_ok
        assert title == stored
    try:
        comment = CommentIn(text=sent).text
    except ValidationError:
        assert not required_ok
    else:
        assert required_ok
        assert comment == stored
    note_ok = text_problem(stored) is None and len(stored) <= NOTE_MAX
    body = {
        "product_id": 1,
        "mode": "full",
        "title": "翡翠",
        "price_fen": 100,
        "stock": 1,
        "picture_id": "0" * 64,
        "template_id": 1,
    }
    try:
        note = FlashBuyCreate.model_validate({**body, "note": sent}).note
    except ValidationError:
        assert not note_ok
    else:
        assert note_ok
        assert note == stored


def test_the_openapi_schema_carries_the_patterns() -> None:
    schema = json.loads(json.dumps(LiveStart.model_json_schema()))
    assert schema["properties"]["title"]["pattern"] == FILLED_TEXT_PATTERN
    note = FlashBuyCreate.model_json_schema()["properties"]["note"]
    assert note["pattern"] == TEXT_PATTERN
