"""Problem reports: the zip a console gathers for support, checked, kept whole, listed, exported.

The platform stores the zip exactly as it came, so support reads what the seller saw
in the console's preview. Before storing it proves the zip safe to open on a support
desk (no path that leaves the folder it is unpacked into, no zip bomb, no encrypted or
exotic member, every member's checksum right) and that its ``report.json`` is one.
Who sent it is taken from the token: the file's own ids are the console's word only.
"""

import hashlib
import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Connection

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import (
    REPORT_MANIFEST_MAX_BYTES,
    REPORT_MAX_BYTES,
    REPORT_MAX_MEMBERS,
    REPORT_MAX_UNCOMPRESSED,
    REPORT_MEMBER_NAME_MAX,
    REPORT_TYPE,
)
from flashbuy_protocol.models import ProblemReport, SupportReceipt
from flashbuy_server import idempotency
from flashbuy_server.db import insert_id
from flashbuy_server.deps import CreatorDep, DbDep, IdemKeyDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import creator_shops, support_reports

log = logging.getLogger(__name__)

router = APIRouter(tags=["support"])

MANIFEST = "report.json"
_PATH = "/support/reports"
_READ_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedReport:
    """A zip proven safe and well formed, with its ``report.json`` read."""

    manifest: ProblemReport
    members: list[str]
    size_bytes: int
    sha256: str


class _Fingerprint(BaseModel):
    """What a report request asks for, for the idempotency check: its exact bytes."""

    sha256: str


def _invalid(reason: str, message: str, **details: Any) -> ApiError:
    return ApiError(ErrorCode.REPORT_INVALID, message, reason=reason, **details)


def _too_large(size: int) -> ApiError:
    return ApiError(
        ErrorCode.REPORT_TOO_LARGE,
        f"the report is larger than {REPORT_MAX_BYTES // (1024 * 1024)} MiB",
        reason="size",
        max_bytes=REPORT_MAX_BYTES,
        size_bytes=size,
    )


def unsafe_name(name: str) -> str | None:
    """Why a member's name could write outside the folder it is unpacked into, or None."""
    if not name:
        return "an empty name"
    if len(name) > REPORT_MEMBER_NAME_MAX:
        return f"a name longer than {REPORT_MEMBER_NAME_MAX} characters"
    if _CONTROL.search(name):
        return "a control character in the name"
    if "\\" in name:
        return "a backslash (Windows reads it as a folder separator)"
    if name.startswith("/") or _DRIVE.match(name):
        return "an absolute path"
    parts = name.removesuffix("/").split("/")  # a trailing "/" marks a folder entry
    if any(part in ("", ".", "..") for part in parts):
        return "an empty, '.' or '..' path part"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, at most its declared size; its checksum is verified at the end."""
    out = bytearray()
    try:
        with archive.open(info) as member:
            # zipfile stops at the declared size, so a lying header cannot inflate past it.
            while chunk := member.read(_READ_CHUNK):
                out.extend(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _invalid(
            "corrupt", f"the member {info.filename!r} cannot be read: {exc}", member=info.filename
        ) from exc
    return bytes(out)


def inspect_report(data: bytes) -> CheckedReport:
    """Prove ``data`` a safe, complete problem report; raise the reason it is not."""
    if len(data) > REPORT_MAX_BYTES:
        raise _too_large(len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ApiError(ErrorCode.REPORT_NOT_ZIP, "the body is not a zip archive") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > REPORT_MAX_MEMBERS:
            raise _invalid(
                "too_many_members",
                f"a report holds at most {REPORT_MAX_MEMBERS} files, not {len(infos)}",
                max_members=REPORT_MAX_MEMBERS,
            )
        seen: set[str] = set()
        declared = 0
        for info in infos:
            name = info.filename
            why = unsafe_name(name) or unsafe_name(info.orig_filename)
            if why is not None:
                raise _invalid("unsafe_name", f"the member {name!r} has {why}", member=name)
            if name in seen:
                raise _invalid("duplicate_name", f"the member {name!r} is there twice", member=name)
            seen.add(name)
            if info.flag_bits & 0x1:
                raise _invalid("encrypted", f"the member {name!r} is encrypted", member=name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _invalid(
                    "compression",
                    f"the member {name!r} is neither stored nor deflated",
                    member=name,
                )
            declared += info.file_size
        if declared > REPORT_MAX_UNCOMPRESSED:
            raise ApiError(
                ErrorCode.REPORT_TOO_LARGE,
                f"the report unpacks to {declared} bytes; at most {REPORT_MAX_UNCOMPRESSED}",
                reason="uncompressed",
                max_uncompressed_bytes=REPORT_MAX_UNCOMPRESSED,
                uncompressed_bytes=declared,
            )
        manifest_info = next((i for i in infos if i.filename == MANIFEST), None)
        if manifest_info is None:
            raise _invalid("manifest_missing", f"the report has no {MANIFEST}")
        if manifest_info.file_size > REPORT_MANIFEST_MAX_BYTES:
            raise _invalid(
                "manifest_invalid",
                f"{MANIFEST} is larger than {REPORT_MANIFEST_MAX_BYTES} bytes",
            )
        manifest_bytes = b""
        for info in infos:  # every member, so a corrupt one is refused now, not at support
            content = _read_member(archive, info)
            if info is manifest_info:
                manifest_bytes = content
    try:
        manifest = ProblemReport.model_validate_json(manifest_bytes)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'report'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise _invalid("manifest_invalid", f"{MANIFEST} is not a valid report: {problems}") from exc
    return CheckedReport(
        manifest=manifest,
        members=[i.filename for i in infos],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def store(conn: Connection, creator_id: int, report: CheckedReport, data: bytes) -> SupportReceipt:
    """Keep a checked report under the creator that sent it."""
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


# --- the endpoint -------------------------------------------------------------------------


async def _read_body(request: Request) -> bytes:
    """The body, refused as soon as it is known to be too large (before reading it all)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > REPORT_MAX_BYTES:
        raise _too_large(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > REPORT_MAX_BYTES:
            raise _too_large(len(body))
    return bytes(body)


@router.post(
    _PATH,
    response_model=SupportReceipt,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {REPORT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def post_report(
    request: Request,
    me: CreatorDep,
    db: DbDep,
    key: IdemKeyDep,
    content_type: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Send a problem report: a zip (raw body, at most 10 MiB) with a ``report.json``."""
    if (content_type or "").split(";")[0].strip().lower() != REPORT_TYPE:
        raise ApiError(
            ErrorCode.REPORT_NOT_ZIP,
            f"send the report as the raw body with Content-Type {REPORT_TYPE}",
        )
    data = await _read_body(request)
    report = await run_in_threadpool(inspect_report, data)
    return await run_in_threadpool(
        idempotency.run_once,
        db,
        me.key,
        key,
        idempotency.fingerprint("POST", _PATH, _Fingerprint(sha256=report.sha256)),
        201,
        lambda conn: store(conn, me.id, report, data),
    )
