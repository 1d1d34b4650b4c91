"""The platform's FastAPI application: routers, the one error shape, and start-up."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from flashbuy_protocol.errors import ErrorCode, ErrorResponse
from flashbuy_protocol.limits import FACT_PATTERN, FILLED_TEXT_PATTERN, TEXT_PATTERN
from flashbuy_server import (
    accounts,
    catalog,
    flashbuys,
    idempotency,
    images,
    jobs,
    migrate,
    orders,
    payments,
    rooms,
    settlement,
    shipping,
    streams,
    support,
    throttle,
    viewer_records,
)
from flashbuy_server.config import Settings
from flashbuy_server.db import Database
from flashbuy_server.deps import API_PREFIX as API_PREFIX  # re-exported: tests name it here
from flashbuy_server.errors import ApiError
from flashbuy_server.guard import BodyRefused, RequestGuard, rules_of

log = logging.getLogger(__name__)

VERSION = "0.1.0"

# Declaring 4XX keeps FastAPI from advertising its own validation-error shape,
# which this platform never sends.
_ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorResponse, "description": "The request was refused; nothing changed."},
    "5XX": {"model": ErrorResponse, "description": "The platform failed; nothing changed."},
}


def create_app(
    settings: Settings, db: Database | None = None, *, extra_jobs: Sequence[jobs.DueJob] = ()
) -> FastAPI:
    """The platform as an ASGI app; migrates the database to the newest schema first.

    ``extra_jobs``: kinds of due job this process runs besides the platform's own.
    """
    database = db or Database(settings.database_url)
    migrate.upgrade(database)

    hub = streams.Hub(database, settings.heartbeat_seconds)
    # The sandbox payment provider's callbacks, delivered from threads of its own.
    notifier = payments.sandbox.Notifier(settings.payment_secret, settings.clock)
    runner = jobs.JobRunner(
        database,
        clock=settings.clock,
        due=[settlement.expire_job(settings.clock), *extra_jobs],
        periodic=[idempotency.PURGE_JOB],
        poll_seconds=settings.jobs_poll_seconds,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What exists now (modules, routes, models) lives as long as the process: keep it
        # out of the garbage collector's full passes, which otherwise stall every stream.
        gc.freeze()
        await hub.start()
        # What came due while the platform was down runs before it serves; then the
        # runner's thread goes on until the stop (flashbuy_server.jobs).
        await asyncio.to_thread(runner.start)
        try:
            yield
        finally:
            await asyncio.to_thread(runner.stop)
            await asyncio.to_thread(notifier.stop)
            await hub.stop()
            if db is None:
                database.dispose()

    app = FastAPI(
        title="flashbuy platform",
        version=VERSION,
        description="Flash-buys for live-stream sellers of unique pieces.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.hub = hub
    app.state.jobs = runner
    app.state.sandbox_notifier = notifier

    api = APIRouter(prefix=API_PREFIX, responses=_ERRORS)
    modules = (
        accounts,
        catalog,
        shipping,
        rooms,
        images,
        flashbuys,
        orders,
        payments,
        viewer_records,
        streams,
        support,
    )
    for module in modules:
        api.include_router(module.router)
    # Bodies and callers are decided before a route reads its body (flashbuy_server.guard).
    app.add_middleware(
        RequestGuard,
        db=database,
        prefix=API_PREFIX,
        rules=rules_of(
            (module.router for module in modules),
            {
                images.upload: images.BODY_LIMIT,
                support.post_report: support.BODY_LIMIT,
                **payments.BODY_LIMITS,
            },
        ),
    )

    @api.get("/health", tags=["platform"])
    def health() -> dict[str, str]:
        """Liveness and the schema revision the platform runs on."""
        return {"status": "ok", "version": VERSION, "schema": migrate.head_revision()}

    app.include_router(api)
    _install_error_handlers(app)
    return app


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this request's path (asked of the routes as they
    are nested: a router included in another is one entry of its parent's list)."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


_TEXT_PATTERNS = (FILLED_TEXT_PATTERN, TEXT_PATTERN, FACT_PATTERN)
_TEXT_RULE = (
    "holds a control character, a character that changes the text's direction, or nothing to read"
)


def _problem_message(problem: Any) -> str:
    """One field's problem in a sentence (the text rule's patterns are 700 characters long:
    the message says what they mean instead)."""
    ctx = problem.get("ctx") or {}
    if problem.get("type") == "string_pattern_mismatch" and ctx.get("pattern") in _TEXT_PATTERNS:
        return _TEXT_RULE
    return str(problem.get("msg", "invalid")).removeprefix("Value error, ")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        # A 429 says when to come back in the header too, for clients that read only that.
        return JSONResponse(exc.body(), exc.status, headers=throttle.retry_after_header(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = exc.errors()
        if any(p.get("type") == "json_invalid" for p in problems):
            error = ApiError(ErrorCode.MALFORMED_JSON, "the request body is not valid JSON")
            return JSONResponse(error.body(), error.status)
        fields = [
            {
                "field": ".".join(str(part) for part in p.get("loc", ())[1:]) or "body",
                "in": str(p.get("loc", ("body",))[0]),
                "message": _problem_message(p),
            }
            for p in problems
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        error = ApiError(ErrorCode.VALIDATION_FAILED, summary or "invalid request", errors=fields)
        return JSONResponse(error.body(), error.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if isinstance(exc, BodyRefused):
            error = exc.error
            headers["Connection"] = "close"  # the rest of the body is not read
        elif exc.status_code == 405:
            error = ApiError(ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed here")
            # Starlette's Allow names the methods of the first route on the path only; the
            # path may have several (GET and POST /rooms are two routes).
            headers["Allow"] = ", ".join(_allowed_methods(request))
        elif exc.status_code == 404:
            error = ApiError(ErrorCode.NOT_FOUND, "no such endpoint")
        elif exc.status_code == 400:
            # FastAPI's own refusal of a body it cannot decode (e.g. GBK instead of UTF-8).
            error = ApiError(ErrorCode.MALFORMED_JSON, "the request body is not UTF-8 JSON")
        else:
            error = ApiError(ErrorCode.VALIDATION_FAILED, str(exc.detail))
        # The code decides the status, so the two can never disagree; the exception's own
        # headers stay (a 405 names the methods that are allowed in Allow, RFC 9110).
        return JSONResponse(error.body(), error.status, headers=headers)

    @app.exception_handler(Exception)
    async def crashed(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        error = ApiError(ErrorCode.INTERNAL_ERROR, "the platform failed; nothing was changed")
        return JSONResponse(error.body(), error.status)
