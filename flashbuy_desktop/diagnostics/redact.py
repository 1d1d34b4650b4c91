"""Masks secrets (session tokens, passwords) in text the console writes or sends.

One function serves the log file and the problem report, so what the log never holds
the report cannot leak either. It masks the secrets it is told about wherever they
appear, also as they look once written into JSON, a Python repr or a URL; and anything
that looks like a credential by its shape: a bearer token, the password in a URL, or a
value labelled token, password, secret, authorization, API key, cookie or session id
(in JSON, a Python dict, HTTP headers, a query string or ``key=value`` form).
"""

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "[hidden]"

_MASKED = re.escape(MASK)
# A label (any word ending in one of these, e.g. access_token, X-Api-Key, client_secret),
# its separator, then the value: a quoted string whole, or a bare word up to a delimiter.
# The match starts at the keyword, not at the start of its word: what comes before it is
# kept as it is anyway, and a pattern that first ran over the word (``[\w-]*?keyword``) took
# time quadratic in the length of any long run of word characters and dashes (a base64
# blob, "x-x-x-…"), in the log filter on whichever thread logs. Every piece that follows
# the keyword either stops at a fixed character or is consumed by the match, so the work
# is linear in the text. The lookahead on the keywords' first letters only saves time: most
# positions are ruled out by one test instead of one per keyword.
_LABELLED = re.compile(
    rf"""(?ix)
    (?P<label>(?=[tpsac])(?:token|passw(?:or)?d|pwd|secret|authorization|api[_-]?key|
        cookie|session[_-]?id|credentials?)\b["']?)
    (?P<sep>\s*[:=]\s*)
    (?P<value>
        "(?:[^"\\\n]|\\.)*"?
      | '(?:[^'\\\n]|\\.)*'?
      | (?:(?:Bearer|Basic|Token|Digest)\s+)?(?:{_MASKED}|[^\s"',;&}}\]]+)
    )
    """
)
_BEARER = re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*")
# scheme://user:password@host: the password part. Found from its "://" (a scheme character
# just before it), never by running over a scheme from every position before it: that took
# quadratic time in a long run of scheme characters ("a.a.a.…", "x-x-x-…").
_URL_PASSWORD = re.compile(r"(?i)(?<=[a-z0-9+.\-])(://[^/\s:@]+:)[^/\s@]+@")

# Shorter "secrets" would mask ordinary words; a real token or password is longer.
_MIN_SECRET = 4


def _forms(secret: str) -> set[str]:
    """The ways a secret shows up in text: as is, and escaped for JSON, repr or a URL."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        quote(secret, safe=""),
        quote_plus(secret),
    }


def _mask_value(match: re.Match[str]) -> str:
    value = match.group("value")
    if value[:1] in ("'", '"'):
        quote_char = value[0]
        masked = f"{quote_char}{MASK}{quote_char}"
    else:
        masked = MASK
    return f"{match.group('label')}{match.group('sep')}{masked}"


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every given secret and every credential-shaped value masked."""
    # Known secrets first and whole: a password with spaces would otherwise be masked
    # only up to its first space by the shape rules below, and never found again.
    known = {
        form
        for secret in secrets
        if secret and len(secret) >= _MIN_SECRET
        for form in _forms(secret)
        if len(form) >= _MIN_SECRET
    }
    for form in sorted(known, key=len, reverse=True):  # longest first: masked whole
        text = text.replace(form, MASK)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}@", text)
    text = _LABELLED.sub(_mask_value, text)
    return _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
