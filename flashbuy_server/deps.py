"""FastAPI dependencies: the platform's state, and who is calling.

Routes declare what they need with the typed aliases at the bottom
(``DbDep``, ``CreatorDep``, ``ViewerDep``, ``OnceDep``...).
"""

from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Header, Path, Query, Request
from fastapi.routing import APIRoute

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import ID_MAX
from flashbuy_server.config import Settings
from flashbuy_server.db import Database
from flashbuy_server.errors import ApiError
from flashbuy_server.idempotency import KEY_SCHEMA, Once, check_key
from flashbuy_server.security import token_hash
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import tokens

API_PREFIX = "/api/v1"  # every route of the API is under it
CREATOR = "creator"
VIEWER = "viewer"
# Where flashbuy_server.guard leaves the principal it authenticated before the body was read.
PRINCIPAL_STATE = "principal"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a creator or a viewer, and the token they used."""

    kind: str
    id: int
    token_hash: str

    @property
    def key(self) -> str:
        """A stable name for idempotency scopes, e.g. ``creator:7``."""
        return f"{self.kind}:{self.id}"


def get_db(request: Request) -> Database:
    """The platform's database."""
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    """The platform's settings."""
    settings: Settings = request.app.state.settings
    return settings


def authenticate(db: Database, authorization: str | None, kind: str) -> Principal:
    """The principal a bearer token names, or the reason it cannot be used."""
    if not authorization:
        raise ApiError(ErrorCode.UNAUTHENTICATED, "sign in first: no Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            ErrorCode.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'"
        )
    digest = token_hash(token.strip())
    with db.read() as conn:
        row = conn.execute(sa.select(tokens).where(tokens.c.token_hash == digest)).first()
    if row is None:
        raise ApiError(ErrorCode.UNAUTHENTICATED, "the token is not known; sign in again")
    if row.revoked_at is not None:
        raise ApiError(ErrorCode.TOKEN_REVOKED, "the token was signed out; sign in again")
    if row.expires_at <= utcnow():
        raise ApiError(ErrorCode.TOKEN_EXPIRED, "the token has expired; sign in again")
    if row.kind != kind:
        raise ApiError(ErrorCode.FORBIDDEN, f"this needs a {kind}'s token, not a {row.kind}'s")
    return Principal(kind=row.kind, id=row.subject_id, token_hash=digest)


def _principal(request: Request, authorization: str | None, kind: str) -> Principal:
    """The caller as the guard already found it, else as the token says now."""
    known = request.scope.get("state", {}).get(PRINCIPAL_STATE)
    if isinstance(known, Principal) and known.kind == kind:
        return known
    return authenticate(get_db(request), authorization, kind)


def require_creator(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The signed-in creator."""
    return _principal(request, authorization, CREATOR)


def require_viewer(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    """The viewer whose token this is."""
    return _principal(request, authorization, VIEWER)


def idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            description="Makes a retry safe: a replay returns the first response.",
            json_schema_extra=KEY_SCHEMA,  # check_key refuses the rest as idempotency_key_invalid
        ),
    ] = None,
) -> str | None:
    """The request's Idempotency-Key, validated."""
    return check_key(idempotency_key)


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CreatorDep = Annotated[Principal, Depends(require_creator)]
ViewerDep = Annotated[Principal, Depends(require_viewer)]
IdemKeyDep = Annotated[str | None, Depends(idempotency_key)]
PathId = Annotated[int, Path(ge=1, le=ID_MAX)]
QueryId = Annotated[int, Query(ge=1, le=ID_MAX)]


def _as_validated(value: Any) -> Any:
    """A path parameter as its route validated it: ids are numbers (``007`` is ``7``)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def once(request: Request, db: DbDep, key: IdemKeyDep) -> Once:
    """The retry guard of a creating route, named by the route's own path and status."""
    route = request.scope["route"]
    assert isinstance(route, APIRoute)
    params = {name: _as_validated(value) for name, value in request.path_params.items()}
    path = route.path_format.format(**params).removeprefix(API_PREFIX)
    return Once(db, key, request.method, path, route.status_code or 200)


OnceDep = Annotated[Once, Depends(once)]
