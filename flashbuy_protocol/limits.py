"""Limits of the platform's rules that both sides check (the console before asking)."""

ID_MAX = 2**63 - 1  # ids are 64-bit signed integers in both databases
# Text a person types: no control characters but tab and line breaks (PostgreSQL cannot
# even store NUL, and none belongs in a title, a name or a comment).
_NOT_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
TEXT_PATTERN = rf"^[^{_NOT_TEXT}]*$"
CONTROL_BUT_LINES = rf"[{_NOT_TEXT}]"  # one character TEXT_PATTERN refuses
CONTROL = r"[\x00-\x1f\x7f]"  # any control character: none belongs in one line or a file name
PICTURE_ID_PATTERN = r"^[0-9a-f]{64}$"

QUOTA_FULL_DEFAULT = 20  # full-mode flash-buys over a product's life (per deployment)
QUOTA_TARGETED_DEFAULT = 100  # targeted-mode flash-buys over a product's life

TITLE_MAX = 60
PIECE_NO_MAX = 20
NOTE_MAX = 200
STOCK_MIN = 1
STOCK_MAX = 9_999
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
