"""Limits of the platform's rules that both sides check (the console before asking)."""

ID_MAX = 2**63 - 1  # ids are 64-bit signed integers in both databases
# Text a person types: no control characters but tab and newline (PostgreSQL cannot
# even store NUL, and none belongs in a title, a name or a comment).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
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

# Provincial-level divisions of mainland China, the regions a shipping template names.
REGIONS: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
    "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
    "新疆", "香港", "澳门", "台湾",
)  # fmt: skip
