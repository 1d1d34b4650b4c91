"""redact(): known secrets in every written form, and credential-shaped values, are masked."""

import base64
import json
import random
from urllib.parse import quote, quote_plus

import pytest

from flashbuy_desktop.diagnostics.redact import MASK, redact

TOKEN = "kq3V_x-8Zr2nT0pLw9yHc4bFgA7sEeMdUj1oNiQvXtY"
PASSWORD = 'Jade翡翠 "pw" 4ever'


def test_known_secrets_are_masked_wherever_they_appear() -> None:
    text = f"signed in with {PASSWORD} and got {TOKEN}; again {TOKEN}"
    assert redact(text, [TOKEN, PASSWORD]) == f"signed in with {MASK} and got {MASK}; again {MASK}"


@pytest.mark.parametrize(
    "written",
    [
        json.dumps({"password": PASSWORD}),  # ASCII-escaped JSON: \u7fe1, \"
        json.dumps({"password": PASSWORD}, ensure_ascii=False),
        repr({"password": PASSWORD}),
        f"username=demo&password={quote_plus(PASSWORD)}",
        f"GET /x?p={quote(PASSWORD, safe='')}",
    ],
)
def test_a_password_is_masked_in_the_forms_code_writes_it(written: str) -> None:
    masked = redact(written, [PASSWORD])
    for form in (PASSWORD, json.dumps(PASSWORD)[1:-1], quote_plus(PASSWORD), quote(PASSWORD)):
        assert form not in masked, (written, masked)
    assert MASK in masked


def test_a_password_with_spaces_is_masked_whole_even_after_a_label() -> None:
    # The label rule alone would stop at the first space; the known secret goes first.
    password = "correct horse battery"
    masked = redact("password=correct horse battery user=demo", [password])
    assert masked == f"password={MASK} user=demo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Authorization: Bearer {TOKEN}", f"Authorization: {MASK}"),
        (
            f"headers={{'Authorization': 'Bearer {TOKEN}'}}",
            f"headers={{'Authorization': '{MASK}'}}",
        ),
        (f'{{"token": "{TOKEN}", "n": 1}}', f'{{"token": "{MASK}", "n": 1}}'),
        ('{"password": "a \\"quoted\\" one"} end', f'{{"password": "{MASK}"}} end'),
        (f"GET /me?access_token={TOKEN}&page=2", f"GET /me?access_token={MASK}&page=2"),
        ("client_secret=abc123 X-Api-Key: qwe123", f"client_secret={MASK} X-Api-Key: {MASK}"),
        ("Authorization: Basic ZGVtbzpwdw==", f"Authorization: {MASK}"),
        ("Cookie: sessionid=abcd1234; theme=dark", f"Cookie: {MASK}; theme=dark"),
        ("https://demo:s3cret@example.test/api", f"https://demo:{MASK}@example.test/api"),
        (f"sent Bearer {TOKEN} to the platform", f"sent Bearer {MASK} to the platform"),
    ],
)
def test_credential_shaped_values_are_masked_without_being_told(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the token is not known; sign in again",
        "tokens: 5, password_hash: kept on the platform",
        "GET /api/v1/rooms/3/comments?limit=200 200",
        "Basic settings saved",
        "https://example.test/api/v1/me",
    ],
)
def test_ordinary_log_lines_are_left_alone(text: str) -> None:
    assert redact(text, ["abc"]) == text  # "abc" is too short to be taken for a secret


def test_masking_twice_changes_nothing_more() -> None:
    once = redact(f"Authorization: Bearer {TOKEN} password={PASSWORD}", [TOKEN, PASSWORD])
    assert redact(once, [TOKEN, PASSWORD]) == once
    assert redact("token=[hidden] Authorization: Bearer [hidden]") == (
        f"token={MASK} Authorization: {MASK}"
    )


def test_empty_and_missing_secrets_are_ignored() -> None:
    assert redact("nothing to hide", [None, "", "ab"]) == "nothing to hide"


MEGABYTE = 1024 * 1024

# Texts on which the old patterns backtracked over the whole run from every position before
# it: 8 KB of "x-x-x-" took seconds, so each of these would have taken hours.
LONG_RUNS = {
    "dashed words": "x-" * (MEGABYTE // 2),
    "url-safe base64": base64.urlsafe_b64encode(random.Random(7).randbytes(MEGABYTE * 3 // 4))
    .decode()
    .rstrip("="),
    "dotted words": "a." * (MEGABYTE // 2),
    "labels that are not followed by a value": "x-token-" * (MEGABYTE // 8),
    "one long word": "k" * MEGABYTE,
    "blanks after a label": "token" + " " * MEGABYTE,
    "blanks after a separator": "token:" + " " * MEGABYTE,
    "colons after a url's user": "https://demo" + ":" * MEGABYTE,
    "blanks after Bearer": "Bearer" + " " * MEGABYTE,
}


@pytest.mark.parametrize("shape", sorted(LONG_RUNS))
def test_a_megabyte_of_any_shape_is_masked_in_linear_time(shape: str) -> None:
    text = LONG_RUNS[shape]
    assert len(text) >= MEGABYTE - 8
    # Nothing in it is a credential, and what follows it is still found.
    assert redact(text) == text
    tail = ";\nsigned in: password=hunter22 https://demo:s3cret@example.test/ Bearer abc.def"
    expected = f";\nsigned in: password={MASK} https://demo:{MASK}@example.test/ Bearer {MASK}"
    assert redact(text + tail) == text + expected
    # And a credential right at its end is masked whole.
    assert redact(text + ";X-Api-Key:qwerty123") == text + f";X-Api-Key:{MASK}"
