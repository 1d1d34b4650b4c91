"""Problem reports: the zip a console gathers for support, checked, kept whole, listed, exported.

The platform stores the zip exactly as it came, so support reads what the seller saw
in the console's preview. Before storing it proves the zip safe to open on a support
desk: nothing but the zip (no bytes before, between or after its records), only the
files a console writes (``flashbuy_protocol.limits.REPORT_MEMBERS``, each a plain file,
the pictures real PNGs), no zip bomb, no encrypted or exotic member, every member's
checksum right, no copy of the sender's own token, and a ``report.json`` that is one.
Who sent it is taken from the token: the file's own ids are the console's word only.

Only a few reports are unpacked at once, each member read block by block and dropped
(but ``report.json``), and at most ``REPORT_RATE_MAX`` reports are stored per creator
per rolling window, so no creator fills the platform's memory or disk with reports.

Three parts: :mod:`.zipcheck` (the zip's checks: pure functions over bytes, free of the
database and the web framework), :mod:`.store` (the database: storing within the rate,
listing, exporting) and :mod:`.endpoint` (the HTTP route).
"""

from flashbuy_server.support.endpoint import (
    BODY_LIMIT,
    INSPECTIONS_AT_ONCE,
    post_report,
    report_gate,
    router,
)
from flashbuy_server.support.store import list_reports, rate_limited, report_zip, store
from flashbuy_server.support.zipcheck import (
    MANIFEST,
    CheckedReport,
    folded,
    inspect_report,
    not_a_plain_file,
    shown,
    unsafe_name,
)

__all__ = [
    "BODY_LIMIT",
    "INSPECTIONS_AT_ONCE",
    "MANIFEST",
    "CheckedReport",
    "folded",
    "inspect_report",
    "list_reports",
    "not_a_plain_file",
    "post_report",
    "rate_limited",
    "report_gate",
    "report_zip",
    "router",
    "shown",
    "store",
    "unsafe_name",
]
