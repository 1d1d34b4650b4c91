"""Shops, creators and their sign-in; the admin operations that set them up.

In the order of every domain module: statements, queries, service, router (see orders.py).
"""

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from sqlalchemy.engine import Connection

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.models import Creator, Shop, SignIn, SignInResult
from flashbuy_server import signin_guard
from flashbuy_server.config import Settings
from flashbuy_server.db import Database, insert_id
from flashbuy_server.deps import CREATOR, CreatorDep, DbDep, SettingsDep
from flashbuy_server.errors import ApiError, not_found
from flashbuy_server.security import (
    dummy_hash,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import creator_shops, creators, shops, tokens
from flashbuy_server.throttle import client_address

router = APIRouter(tags=["accounts"])

# --- statements ---------------------------------------------------------------------------

_CREATOR = sa.select(creators).where(creators.c.id == sa.bindparam("creator"))
_SHOPS_OF = (
    sa.select(shops)
    .join(creator_shops, creator_shops.c.shop_id == shops.c.id)
    .where(creator_shops.c.creator_id == sa.bindparam("creator"))
    .order_by(shops.c.id)
)
_PASSWORD_OF = sa.select(creators.c.id, creators.c.password_hash).where(
    creators.c.username == sa.bindparam("username")
)

# --- queries ------------------------------------------------------------------------------


def creator_profile(conn: Connection, creator_id: int) -> Creator:
    """The creator and the shops it is bound to."""
    row = conn.execute(_CREATOR, {"creator": creator_id}).first()
    if row is None:
        raise not_found("creator", creator_id)
    shop_rows = conn.execute(_SHOPS_OF, {"creator": creator_id}).all()
    return Creator.model_validate(
        {**row._mapping, "shops": [Shop.model_validate(s, from_attributes=True) for s in shop_rows]}
    )


# --- service: the admin operations (the admin command line and the demo seed) -------------


def create_shop(conn: Connection, name: str, *, qualified: bool = False) -> int:
    """Add a shop and return its id."""
    return insert_id(conn, shops, name=name, qualified=qualified, created_at=utcnow())


def create_creator(
    conn: Connection, username: str, password: str, *, display_name: str = "", invited: bool = False
) -> int:
    """Add a creator account and return its id."""
    return insert_id(
        conn,
        creators,
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        invited=invited,
        created_at=utcnow(),
    )


def bind_shop(conn: Connection, creator_id: int, shop_id: int) -> None:
    """Let a creator sell a shop's products (no-op if already bound)."""
    exists = conn.execute(
        sa.select(creator_shops).where(
            creator_shops.c.creator_id == creator_id, creator_shops.c.shop_id == shop_id
        )
    ).first()
    if exists is None:
        conn.execute(creator_shops.insert().values(creator_id=creator_id, shop_id=shop_id))


def set_invited(conn: Connection, creator_id: int, invited: bool) -> None:
    """Invite a creator to flash-buy, or withdraw the invitation."""
    if (
        conn.execute(
            creators.update().where(creators.c.id == creator_id).values(invited=invited)
        ).rowcount
        != 1
    ):
        raise not_found("creator", creator_id)


def set_qualified(conn: Connection, shop_id: int, qualified: bool) -> None:
    """Mark a shop as qualified for flash-buy, or not."""
    if (
        conn.execute(
            shops.update().where(shops.c.id == shop_id).values(qualified=qualified)
        ).rowcount
        != 1
    ):
        raise not_found("shop", shop_id)


# --- service: sign-in ----------------------------------------------------------------------


def issue_token(conn: Connection, kind: str, subject_id: int, ttl: Any) -> tuple[str, Any]:
    """Store a new token's hash for ``subject_id``; return the token and its expiry."""
    token = new_token()
    now = utcnow()
    expires_at = now + ttl
    conn.execute(
        tokens.insert().values(
            token_hash=token_hash(token),
            kind=kind,
            subject_id=subject_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return token, expires_at


def sign_in_creator(db: Database, settings: Settings, body: SignIn, address: str) -> SignInResult:
    """Exchange a creator's username and password for a bearer token.

    Three short transactions of its own, not the caller's: the attempt is counted (and
    committed) before the password is checked, and the costly hash runs outside any.
    """
    # Counted before the password is checked, so guesses sent at once cannot all get in
    # before the count; refused here, an attempt costs no hash and says nothing.
    attempt = signin_guard.charge(db, settings, body.username, address)
    with db.read() as conn:
        row = conn.execute(_PASSWORD_OF, {"username": body.username}).first()
    # Hash even for an unknown name, so timing does not tell which names exist.
    ok = verify_password(body.password, row.password_hash if row else dummy_hash())
    if row is None or not ok:
        raise ApiError(ErrorCode.INVALID_CREDENTIALS, "wrong username or password")
    with db.write() as conn:
        signin_guard.settle(conn, settings, attempt)
        token, expires_at = issue_token(conn, CREATOR, row.id, settings.creator_token_ttl)
        return SignInResult(
            token=token, expires_at=expires_at, creator=creator_profile(conn, row.id)
        )


def revoke(conn: Connection, digest: str) -> None:
    """Sign a token out (its SHA-256 ``digest``); harmless if it already was."""
    conn.execute(
        tokens.update()
        .where(tokens.c.token_hash == digest, tokens.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


# --- router -------------------------------------------------------------------------------


@router.post("/auth/sign-in", response_model=SignInResult)
def sign_in(body: SignIn, request: Request, db: DbDep, settings: SettingsDep) -> SignInResult:
    """Exchange a creator's username and password for a bearer token.

    Failures are counted per account, per address and per both, across every process:
    past a few, sign-in answers ``TOO_MANY_ATTEMPTS`` for a while (signin_guard).
    """
    return sign_in_creator(db, settings, body, client_address(request))


@router.post("/auth/sign-out", status_code=204)
def sign_out(me: CreatorDep, db: DbDep) -> None:
    """Revoke the token this request carries."""
    with db.write() as conn:
        revoke(conn, me.token_hash)


@router.get("/me", response_model=Creator)
def me(me: CreatorDep, db: DbDep) -> Creator:
    """The signed-in creator, its invitation and its shops."""
    with db.read() as conn:
        return creator_profile(conn, me.id)
