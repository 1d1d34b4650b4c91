"""Limits of the platform's rules that both sides check (the console before asking)."""

import re
from enum import Enum

ID_MAX = 2**63 - 1  # ids are 64-bit signed integers in both databases

# --- text a person types (titles, notes, names, comments, a report's facts) ----------------
# One rule for both sides, written so that Python's re, pydantic's Rust regex and ECMA-262
# (the OpenAPI schema's dialect, which a fuzzer reads) read it alike: no lookaround, only
# \xHH and \uHHHH escapes, characters of the Basic Multilingual Plane. Match with
# re.fullmatch in Python: its $ also matches before a final line break.
#
# Refused anywhere: control characters but tab, CR and LF (C0, DEL and C1: PostgreSQL cannot
# even store NUL). The line breaks text keeps are CR and LF only, so NEL (U+0085) and the
# line and paragraph separators (U+2028, U+2029) are refused too.
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
# Refused anywhere: every character that changes the direction text is shown in (Unicode's
# Bidi_Control): embeddings, overrides and isolates make a title read otherwise than it is
# stored, and a seller typing Chinese or Latin, with emoji, never types one.
_DIRECTION_CHARS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_REFUSED = _CONTROL_CHARS + _DIRECTION_CHARS
# Characters that show nothing: spaces (U+3000 too), zero-width spaces and joiners, the word
# joiner, the byte-order mark, variation selectors, fillers that render blank. Text made only
# of them is blank; inside visible text they stay (U+200D joins the emoji of a family into
# one, U+FE0F asks for an emoji's colour form).
_INVISIBLE = (
    r"\t\n\r \xa0\xad\u034f\u115f\u1160\u1680\u17b4\u17b5\u180e\u2000-\u200d\u202f\u205f"
    r"\u2060-\u2064\u206a-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
# What the platform trims around a field before the rule (pydantic's strip_whitespace:
# Unicode White_Space). Around the text as sent it may be anything of these, even NEL.
_TRIMMED = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
WHITE_SPACE = "".join(c for c in map(chr, range(0x3001)) if re.fullmatch(f"[{_TRIMMED}]", c))
_REFUSED_WHITE_SPACE = r"\x0b\x0c\x85\u2028\u2029"  # trimmed around text, refused inside it
# Something to read and nothing refused. Each part ends where the next begins (the invisible
# lead-in before the first visible character, the refused white space that starts what is
# trimmed after), so even a backtracking engine takes about linear time on it.
_FILLED = rf"[{_INVISIBLE}]*[^{_REFUSED}{_INVISIBLE}][^{_REFUSED}]*"
_BEFORE = rf"(?:[{_TRIMMED}]*[{_REFUSED_WHITE_SPACE}])?"
_AFTER = rf"(?:[{_REFUSED_WHITE_SPACE}][{_TRIMMED}]*)?"
# A trimmed field as sent, that must not be empty: something to read once trimmed.
FILLED_TEXT_PATTERN = rf"^{_BEFORE}{_FILLED}{_AFTER}$"
# A trimmed field as sent that may be empty: empty once trimmed, or something to read.
TEXT_PATTERN = rf"^(?:{_BEFORE}{_FILLED}{_AFTER}|[{_TRIMMED}]*)$"
# Text taken as it is, not trimmed (a report's facts): empty, or something to read.
FACT_PATTERN = rf"^(?:{_FILLED})?$"
REFUSED_CHARACTER = rf"[{_REFUSED}]"  # one character the rule refuses anywhere
CONTROL_CHARACTER = rf"[{_CONTROL_CHARS}]"  # one control character the rule refuses
DIRECTION_CHARACTER = rf"[{_DIRECTION_CHARS}]"  # one direction character the rule refuses
CONTROL = r"[\x00-\x1f\x7f-\x9f]"  # any control character: none belongs in one line or a file name

_CONTROL_RE = re.compile(CONTROL_CHARACTER)
_DIRECTION_RE = re.compile(DIRECTION_CHARACTER)
_FACT_RE = re.compile(FACT_PATTERN)


class TextProblem(Enum):
    """Why the text rule refuses a text."""

    CONTROL = "control"  # a control character, or a line break other than CR and LF
    DIRECTION = "direction"  # a character that changes the direction text is shown in
    BLANK = "blank"  # not empty, yet only characters that show nothing


def trim(text: str) -> str:
    """``text`` as the platform keeps a trimmed field: without the white space around it."""
    return text.strip(WHITE_SPACE)


def text_problem(text: str) -> TextProblem | None:
    """What the text rule refuses in ``text`` as it will be stored, or None.

    Empty text is no problem here: whether a field may be empty is the field's own rule.
    Pass a trimmed field through ``trim`` first, as the platform does.
    """
    if _CONTROL_RE.search(text):
        return TextProblem.CONTROL
    if _DIRECTION_RE.search(text):
        return TextProblem.DIRECTION
    if not _FACT_RE.fullmatch(text):
        return TextProblem.BLANK
    return None


PICTURE_ID_PATTERN = r"^[0-9a-f]{64}$"

QUOTA_FULL_DEFAULT = 20  # full-mode flash-buys over a product's life (per deployment)
QUOTA_TARGETED_DEFAULT = 100  # targeted-mode flash-buys over a product's life

TITLE_MAX = 60
PIECE_NO_MAX = 20
NOTE_MAX = 200
STOCK_MIN = 1
STOCK_MAX = 9_999
# How long a buyer has to pay a held order (issue 14): per flash-buy, in whole minutes.
PAY_MINUTES_MIN = 1
PAY_MINUTES_MAX = 30
PAY_MINUTES_DEFAULT = 5
# The seller's reason for cancelling an order, and the note kept on a viewer.
CANCEL_REASON_MAX = 60
VIEWER_NOTE_MAX = 200
# How far apart a payment provider's signed timestamp and the platform's clock may be.
CALLBACK_TOLERANCE_SECONDS = 300
# A viewer with this many expired orders may be held back from full offers (when the seller
# turns the rule on): the setting's bounds.
HOLD_BACK_MIN = 1
HOLD_BACK_MAX = 20
NICKNAME_MAX = 30
COMMENT_MAX = 200
LIVE_TITLE_MAX = 60
TEMPLATE_NAME_MAX = 30
TARGETS_MAX = 50
PICTURE_MAX_BYTES = 5 * 1024 * 1024
PICTURE_MAX_SIDE = 4096
PICTURE_TYPES = ("image/jpeg", "image/png")
FEE_MAX_FEN = 99_999_99  # 99,999.99 yuan of postage is already absurd

# Problem reports: a zip the console gathers for support (report.json, log, screenshots).
REPORT_MAX_BYTES = 10 * 1024 * 1024  # the zip as sent
REPORT_MAX_UNCOMPRESSED = 64 * 1024 * 1024  # all members unpacked: a zip bomb stops here
REPORT_MAX_MEMBERS = 20
REPORT_MEMBER_NAME_MAX = 100
REPORT_MANIFEST_MAX_BYTES = 256 * 1024  # report.json itself
REPORT_DESCRIPTION_MAX = 4000  # what the seller writes about the problem
REPORT_TYPE = "application/zip"
# The facts report.json states, each one line of at most so many characters.
REPORT_NAME_MAX = 60  # the creator's display name, and each shop's name
REPORT_SHOPS_MAX = 50
REPORT_URL_MAX = 300  # the platform's address as the console knows it
REPORT_OS_MAX = 200
REPORT_VERSION_MAX = 40  # the app's, Qt's, PySide's and Python's versions
# The files a report may hold, and nothing else: support unpacks and opens them, so an
# executable, a web page or a link to elsewhere on the desk has no way in.
REPORT_MANIFEST = "report.json"
REPORT_LOG = "console.log"
REPORT_CONSOLE_SCREENSHOT = "console.png"
REPORT_FRAME_SCREENSHOT = "capture-frame.png"
REPORT_SCREENSHOTS = (REPORT_CONSOLE_SCREENSHOT, REPORT_FRAME_SCREENSHOT)  # PNG pictures
REPORT_MEMBERS = (REPORT_MANIFEST, REPORT_LOG, *REPORT_SCREENSHOTS)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# How many reports one creator may send in a rolling window (a retry of one is no new one).
REPORT_RATE_MAX = 20
REPORT_RATE_WINDOW_SECONDS = 60 * 60

# Provincial-level divisions of mainland China, the regions a shipping template names.
REGIONS: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
    "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
    "新疆", "香港", "澳门", "台湾",
)  # fmt: skip


def report_member_problem(name: str) -> str | None:
    """Why a problem report may not hold a file called ``name``, or None when it may.

    The one rule both sides apply: the console builds no other file, the platform
    stores no other. The reason never repeats ``name`` (it may be anyone's text).
    """
    if name not in REPORT_MEMBERS:
        return "a report holds only the files " + ", ".join(REPORT_MEMBERS)
    return None
