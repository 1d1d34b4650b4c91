"""``POST /support/reports``: the zip arrives as the raw body, is checked in one of a few
slots per process (:data:`INSPECTIONS_AT_ONCE`), and stored once per Idempotency-Key."""

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import REPORT_MAX_BYTES, REPORT_TYPE
from flashbuy_protocol.models import SupportReceipt
from flashbuy_server.db import Database
from flashbuy_server.deps import CreatorDep, DbDep, OnceDep
from flashbuy_server.errors import ApiError
from flashbuy_server.guard import BodyLimit
from flashbuy_server.slots import Slots, slots_of
from flashbuy_server.support.store import rate_limited, store
from flashbuy_server.support.zipcheck import inspect_report, too_large
from flashbuy_server.tables import idempotency_keys

router = APIRouter(tags=["support"])

INSPECTIONS_AT_ONCE = 2  # reports unpacked at the same time (each holds its zip in memory)
BODY_LIMIT = BodyLimit(REPORT_MAX_BYTES, too_large)


class _Fingerprint(BaseModel):
    """What a report request asks for, for the idempotency check: its exact bytes."""

    sha256: str


def report_gate(app: Any) -> Slots:
    """The slots in which this process unpacks reports: :data:`INSPECTIONS_AT_ONCE`.

    Unpacking is the costly part (a zip of 10 MiB in memory, up to 64 MiB inflated and
    checked on a worker thread); the others wait their turn, holding only their zip.
    """
    return slots_of(app, "report_slots", INSPECTIONS_AT_ONCE)


# --- the endpoint -------------------------------------------------------------------------


async def _read_body(request: Request) -> bytes:
    """The zip: at most :data:`BODY_LIMIT`, which the guard enforces as it arrives."""
    return await request.body()


def _bearer(request: Request) -> str:
    """The raw token the caller signed this request with (authentication checked it)."""
    return request.headers.get("authorization", "").partition(" ")[2].strip()


def _precheck_rate(db: Database, principal: str, creator_id: int, key: str | None) -> None:
    """Refuse a rate-limited creator before the body is read (``store`` checks again).

    A retry of a report already stored under ``key`` is let through: it is answered
    from the idempotency record, not stored again.
    """
    with db.read() as conn:
        if key is not None:
            known = conn.execute(
                sa.select(idempotency_keys.c.key).where(
                    idempotency_keys.c.principal == principal, idempotency_keys.c.key == key
                )
            ).first()
            if known is not None:
                return
        refusal = rate_limited(conn, creator_id)
    if refusal is not None:
        raise refusal


@router.post(
    "/support/reports",
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
    once: OnceDep,
    content_type: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Send a problem report: a zip (raw body, at most 10 MiB) with a ``report.json``."""
    if (content_type or "").split(";")[0].strip().lower() != REPORT_TYPE:
        raise ApiError(
            ErrorCode.REPORT_NOT_ZIP,
            f"send the report as the raw body with Content-Type {REPORT_TYPE}",
        )
    await run_in_threadpool(_precheck_rate, db, me.key, me.id, once.key)
    data = await _read_body(request)
    report = await report_gate(request.app).run(inspect_report, data, [_bearer(request)])
    return await run_in_threadpool(
        once,
        me.key,
        _Fingerprint(sha256=report.sha256),
        lambda conn: store(conn, me.id, report, data),
    )
