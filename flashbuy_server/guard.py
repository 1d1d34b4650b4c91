"""Deciding a request before its body is read: too large, or not signed in.

FastAPI reads and parses a JSON body before it runs a route's dependencies, so without
this an anonymous caller could make the platform read, hold and parse 100 MB to be
told 401. :class:`RequestGuard` (an ASGI middleware) looks the request's route up first
and, before the route runs:

- refuses a body whose ``Content-Length`` is over the route's limit (413), and counts
  the bytes of a chunked body as they are read, refusing it the moment it passes;
- authenticates the caller when the route needs a creator or a viewer (401 or 403),
  and hands the :class:`~flashbuy_server.deps.Principal` to the route's dependency,
  which then does not look the token up again.

A route's limit is :data:`JSON_BODY_MAX` unless it declares its own :class:`BodyLimit`
(pictures, problem reports).
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.db import Database
from flashbuy_server.deps import (
    CREATOR,
    PRINCIPAL_STATE,
    VIEWER,
    authenticate,
    require_creator,
    require_viewer,
)
from flashbuy_server.errors import ApiError

# The largest JSON body any endpoint takes is a shipping template naming every region or a
# flash-buy with 50 targets: about 3 KB even with every character \u-escaped
# (tests/server/test_body_limits.py builds each at its largest).
JSON_BODY_MAX = 16 * 1024


@dataclass(frozen=True)
class BodyLimit:
    """How large a route's body may be, and the error that refuses a larger one."""

    max_bytes: int
    refuse: Callable[[int], ApiError]


def _body_too_large(max_bytes: int) -> Callable[[int], ApiError]:
    def refuse(size: int) -> ApiError:
        return ApiError(
            ErrorCode.BODY_TOO_LARGE,
            f"the request body is larger than {max_bytes} bytes",
            max_bytes=max_bytes,
            size_bytes=size,
        )

    return refuse


JSON_LIMIT = BodyLimit(JSON_BODY_MAX, _body_too_large(JSON_BODY_MAX))


class BodyRefused(HTTPException):
    """Raised from ``receive`` when a body passes its limit while being read.

    An HTTPException, because FastAPI turns any other exception raised while it reads a
    body into its own 400; the app's handler answers with :attr:`error`.
    """

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.status, error.message)
        self.error = error


@dataclass(frozen=True)
class _Rule:
    path: re.Pattern[str]
    methods: frozenset[str]
    limit: BodyLimit
    kind: str | None  # the principal the route needs, if the guard can tell


def _needs(dependant: Dependant) -> str | None:
    """CREATOR or VIEWER when the route (or a dependency of it) requires one."""
    for dep in dependant.dependencies:
        if dep.call is require_creator:
            return CREATOR
        if dep.call is require_viewer:
            return VIEWER
        if (kind := _needs(dep)) is not None:
            return kind
    return None


def rules_of(
    routers: Iterable[APIRouter], limits: Mapping[Callable[..., Any], BodyLimit]
) -> list[_Rule]:
    """One rule per route of ``routers`` (paths as the routers declare them)."""
    return [
        _Rule(
            path=route.path_regex,
            methods=frozenset(route.methods or ()),
            limit=limits.get(route.endpoint, JSON_LIMIT),
            kind=_needs(route.dependant),
        )
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
    ]


class RequestGuard:
    """ASGI middleware: a request's size and caller are checked before its body is read."""

    def __init__(self, app: ASGIApp, *, db: Database, prefix: str, rules: list[_Rule]) -> None:
        self.app = app
        self.db = db
        self.prefix = prefix
        self.rules = rules

    def _rule(self, method: str, path: str) -> _Rule | None:
        if not path.startswith(self.prefix):
            return None
        local = path[len(self.prefix) :]
        for rule in self.rules:
            if method in rule.methods and rule.path.match(local):
                return rule
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = self._rule(scope["method"], scope["path"])
        limit = rule.limit if rule is not None else JSON_LIMIT
        headers = Headers(scope=scope)
        try:
            if rule is not None and rule.kind is not None:
                principal = await run_in_threadpool(
                    authenticate, self.db, headers.get("authorization"), rule.kind
                )
                scope.setdefault("state", {})[PRINCIPAL_STATE] = principal
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit.max_bytes:
                raise limit.refuse(int(declared))
        except ApiError as error:
            # Close the connection after answering: the unread body would follow otherwise.
            response = JSONResponse(error.body(), error.status, headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: BodyLimit) -> Receive:
    """``receive``, refusing the body once more than the limit of it has arrived."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit.max_bytes:
                raise BodyRefused(limit.refuse(seen))
        return message

    return counted
