"""Problem reports in the database: stored under the creator that sent them, within the
creator's rate; listed and exported for support (the admin command line)."""

import logging
import math
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import REPORT_RATE_MAX, REPORT_RATE_WINDOW_SECONDS
from flashbuy_protocol.models import SupportReceipt
from flashbuy_server.db import insert_id, lock_rows
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.support.zipcheck import CheckedReport
from flashbuy_server.tables import creator_shops, creators, support_reports

log = logging.getLogger("flashbuy_server.support")

# --- how many, how often ------------------------------------------------------------------


def rate_limited(conn: Connection, creator_id: int) -> ApiError | None:
    """The refusal for a creator who stored ``REPORT_RATE_MAX`` reports this window, or None."""
    now = utcnow()
    window = timedelta(seconds=REPORT_RATE_WINDOW_SECONDS)
    count, oldest = conn.execute(
        sa.select(sa.func.count(), sa.func.min(support_reports.c.received_at)).where(
            support_reports.c.creator_id == creator_id,
            support_reports.c.received_at > now - window,
        )
    ).one()
    if count < REPORT_RATE_MAX:
        return None
    wait = max(1, math.ceil((oldest + window - now).total_seconds()))
    return ApiError(
        ErrorCode.REPORT_RATE_LIMITED,
        f"at most {REPORT_RATE_MAX} problem reports per creator every "
        f"{REPORT_RATE_WINDOW_SECONDS // 60} minutes; the next one is taken in "
        f"{math.ceil(wait / 60)} minutes",
        max_reports=REPORT_RATE_MAX,
        window_seconds=REPORT_RATE_WINDOW_SECONDS,
        retry_after_seconds=wait,
    )


def store(conn: Connection, creator_id: int, report: CheckedReport, data: bytes) -> SupportReceipt:
    """Keep a checked report under the creator that sent it, within the creator's rate."""
    # Hold the creator's row so that two reports at once (two processes) count in turn.
    conn.execute(lock_rows(conn, sa.select(creators.c.id).where(creators.c.id == creator_id)))
    refusal = rate_limited(conn, creator_id)
    if refusal is not None:
        raise refusal
    shop_ids = list(
        conn.execute(
            sa.select(creator_shops.c.shop_id)
            .where(creator_shops.c.creator_id == creator_id)
            .order_by(creator_shops.c.shop_id)
        ).scalars()
    )
    now = utcnow()
    manifest = report.manifest
    report_id = insert_id(
        conn,
        support_reports,
        creator_id=creator_id,
        shop_ids=shop_ids,
        received_at=now,
        size_bytes=report.size_bytes,
        sha256=report.sha256,
        reported_at=manifest.created_at,
        app_version=manifest.app_version,
        os=manifest.os,
        qt_version=manifest.qt_version,
        python_version=manifest.python_version,
        description=manifest.description,
        members=report.members,
        data=data,
    )
    log.info(
        "problem report %s from creator %s (%d bytes)", report_id, creator_id, report.size_bytes
    )
    return SupportReceipt(
        id=report_id, received_at=now, size_bytes=report.size_bytes, sha256=report.sha256
    )


# --- support's side (the admin command line) -------------------------------------------


def list_reports(conn: Connection, creator_id: int | None = None) -> list[dict[str, Any]]:
    """Every report (or one creator's), newest first, without the zips themselves."""
    query = sa.select(*(c for c in support_reports.c if c.name != "data")).order_by(
        support_reports.c.id.desc()
    )
    if creator_id is not None:
        query = query.where(support_reports.c.creator_id == creator_id)
    return [dict(row._mapping) for row in conn.execute(query)]


def report_zip(conn: Connection, report_id: int) -> bytes:
    """The zip of a report, exactly as the console sent it."""
    data = conn.execute(
        sa.select(support_reports.c.data).where(support_reports.c.id == report_id)
    ).scalar_one_or_none()
    if data is None:
        raise not_found("report", report_id)
    return bytes(data)
