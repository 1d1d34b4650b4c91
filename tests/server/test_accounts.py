"""Signing in and out, and what a bearer token can and cannot do, over real HTTP."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server import accounts
from flashbuy_server.security import token_hash, verify_password
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import creators, tokens
from tests.support import (
    PASSWORD,
    Api,
    Platform,
    World,
    expect_error,
    jpeg_bytes,
    make_world,
    snapshot,
    unique,
)


@pytest.fixture(scope="module")
def shared(platform: Platform) -> Iterator[World]:
    """A creator live with two viewers, for the checks that change nothing."""
    w = make_world(platform)
    yield w
    w.close()


def sign_in(world: World, username: str | None = None, password: str = PASSWORD) -> Any:
    anon = world.platform.client()
    try:
        return anon.post(
            "/auth/sign-in", json={"username": username or world.username, "password": password}
        )
    finally:
        anon.close()


def new_token(world: World) -> str:
    resp = sign_in(world)
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["token"]
    return token


def with_header(world: World, method: str, path: str, header: str | None, **kwargs: Any) -> Any:
    """A request whose Authorization header is exactly ``header`` (absent when None)."""
    headers = {"Authorization": header} if header is not None else {}
    return requests.request(
        method, world.platform.api_url + path, headers=headers, timeout=60, **kwargs
    )


def set_expiry(world: World, token: str, expires_at: datetime) -> None:
    with world.platform.db.write() as conn:
        changed = conn.execute(
            tokens.update()
            .where(tokens.c.token_hash == token_hash(token))
            .values(expires_at=expires_at)
        ).rowcount
    assert changed == 1


def token_row(world: World, token: str) -> Any:
    with world.platform.db.read() as conn:
        return conn.execute(sa.select(tokens).where(tokens.c.token_hash == token_hash(token))).one()


# --- signing in ---------------------------------------------------------------------------


def test_sign_in_returns_a_token_that_works_on_me(world: World) -> None:
    before = utcnow()
    resp = sign_in(world)
    assert resp.status_code == 200, resp.text
    result = resp.json()
    assert result["creator"]["id"] == world.creator_id
    assert result["creator"]["username"] == world.username
    assert [s["id"] for s in result["creator"]["shops"]] == [world.shop_id]
    expires_at = datetime.fromisoformat(result["expires_at"])
    assert before + timedelta(days=29) < expires_at <= utcnow() + timedelta(days=30)
    token = result["token"]
    assert len(token) >= 40
    assert token != world.creator.token  # every sign-in is a session of its own

    me = Api(world.platform.api_url, token)
    try:
        profile = me.ok("GET", "/me")
    finally:
        me.close()
    assert profile == result["creator"]
    assert (profile["id"], profile["invited"]) == (world.creator_id, True)
    assert [(s["id"], s["qualified"]) for s in profile["shops"]] == [(world.shop_id, True)]
    row = token_row(world, token)
    assert (row.kind, row.subject_id, row.revoked_at) == ("creator", world.creator_id, None)


def test_sign_in_trims_the_username_but_not_the_password(world: World) -> None:
    assert sign_in(world, username=f"  {world.username} ").status_code == 200
    expect_error(sign_in(world, password=f" {PASSWORD}"), ErrorCode.INVALID_CREDENTIALS)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        pytest.param(None, "wrong password", id="wrong-password"),
        pytest.param(None, PASSWORD.upper(), id="password-in-other-case"),
        pytest.param(None, PASSWORD[:-1], id="password-missing-a-char"),
        pytest.param("nobody-here", PASSWORD, id="unknown-user"),
        pytest.param("UPPER", PASSWORD, id="username-in-other-case"),
    ],
)
def test_bad_credentials_are_refused_alike(
    shared: World, username: str | None, password: str
) -> None:
    if username == "UPPER":
        username = shared.username.upper()
    before = snapshot(shared.platform.db)
    resp = sign_in(shared, username, password)
    expect_error(resp, ErrorCode.INVALID_CREDENTIALS)
    after = snapshot(shared.platform.db)
    # No token was issued: only the failure was counted, against guessing (signin_guard).
    assert after.pop("sign_in_failures") != before.pop("sign_in_failures")
    assert after == before
    # Word for word what a name that does not exist gets: the answer tells nothing.
    ghost = sign_in(shared, unique("ghost"), PASSWORD)
    expect_error(ghost, ErrorCode.INVALID_CREDENTIALS)
    assert resp.json() == ghost.json()


# --- tokens that cannot be used -----------------------------------------------------------

CREATOR_ENDPOINTS = [
    pytest.param("GET", "/me", None, id="me"),
    pytest.param("GET", "/products", None, id="products"),
    pytest.param("GET", "/flash-buys", None, id="list-flash-buys"),
    pytest.param("POST", "/rooms/{room}/flash-buys", "flashbuy", id="create-flash-buy"),
    pytest.param("POST", "/shipping-templates", {"name": "包邮", "kind": "free"}, id="template"),
    pytest.param("POST", "/rooms/{room}/end", None, id="end-live"),
    pytest.param("POST", "/auth/sign-out", None, id="sign-out"),
]


def call(world: World, method: str, path: str, body: Any, header: str | None) -> Any:
    if body == "flashbuy":
        body = world.flashbuy_body()
    return with_header(world, method, path.format(room=world.room_id), header, json=body)


BAD_HEADERS = [
    ("no-header", None),
    ("empty-header", ""),
    ("bearer-without-token", "Bearer"),
    ("bearer-and-spaces", "Bearer    "),
    ("token-without-scheme", "{token}"),
    ("basic-scheme", "Basic {token}"),
    ("token-scheme", "Token {token}"),
    ("unknown-token", "Bearer {token}x"),
    ("made-up-token", "Bearer not-a-token-at-all"),
]
# Every bad header on a read and on a write; the commonest two on every creator endpoint.
UNAUTHENTICATED = [
    *(
        pytest.param(header, *endpoint.values, id=f"{endpoint.id}-{what}")
        for what, header in BAD_HEADERS
        for endpoint in CREATOR_ENDPOINTS
        if endpoint.id in {"me", "create-flash-buy"} or what in {"no-header", "unknown-token"}
    ),
]


@pytest.mark.parametrize(("header", "method", "path", "body"), UNAUTHENTICATED)
def test_without_a_usable_bearer_token_it_is_unauthenticated(
    shared: World, header: str | None, method: str, path: str, body: Any
) -> None:
    if header is not None:
        header = header.format(token=shared.creator.token)
    before = snapshot(shared.platform.db)
    expect_error(call(shared, method, path, body, header), ErrorCode.UNAUTHENTICATED)
    assert snapshot(shared.platform.db) == before
    shared.creator.ok("GET", "/me")  # the real token was never harmed


def test_the_scheme_is_case_insensitive(shared: World) -> None:
    resp = with_header(shared, "GET", "/me", f"bearer {shared.creator.token}")
    assert resp.status_code == 200, resp.text


def test_an_expired_token_is_refused_with_token_expired(world: World) -> None:
    token = new_token(world)
    with_token = Api(world.platform.api_url, token)
    try:
        assert with_token.ok("GET", "/me")["id"] == world.creator_id
        set_expiry(world, token, utcnow() - timedelta(seconds=1))
        before = snapshot(world.platform.db)
        expect_error(with_token.get("/me"), ErrorCode.TOKEN_EXPIRED)
        resp = with_token.post(f"/rooms/{world.room_id}/flash-buys", json=world.flashbuy_body())
        expect_error(resp, ErrorCode.TOKEN_EXPIRED)
        expect_error(with_token.post("/auth/sign-out"), ErrorCode.TOKEN_EXPIRED)
        assert snapshot(world.platform.db) == before
        # Expiry is what refused it: the same token an hour from expiring works again.
        set_expiry(world, token, utcnow() + timedelta(hours=1))
        assert with_token.ok("GET", "/me")["id"] == world.creator_id
    finally:
        with_token.close()
    world.creator.ok("GET", "/me")  # the creator's other session is untouched
    assert new_token(world) != token  # signing in again gives a fresh token


def test_an_expired_viewer_token_is_refused_with_token_expired(world: World) -> None:
    viewer = world.viewers[0]
    assert viewer.token is not None
    viewer.ok("GET", f"/rooms/{world.room_id}/offers")
    set_expiry(world, viewer.token, datetime.now(UTC) - timedelta(minutes=5))
    before = snapshot(world.platform.db)
    expect_error(viewer.get(f"/rooms/{world.room_id}/offers"), ErrorCode.TOKEN_EXPIRED)
    resp = viewer.post(f"/rooms/{world.room_id}/comments", json={"text": "3号多少钱"})
    expect_error(resp, ErrorCode.TOKEN_EXPIRED)
    assert snapshot(world.platform.db) == before


def test_sign_out_revokes_only_that_token(world: World) -> None:
    first, second = new_token(world), new_token(world)
    leaving = Api(world.platform.api_url, first)
    staying = Api(world.platform.api_url, second)
    try:
        leaving.ok("POST", "/auth/sign-out", 204)
        expect_error(leaving.get("/me"), ErrorCode.TOKEN_REVOKED)
        before = snapshot(world.platform.db)
        resp = leaving.post(f"/rooms/{world.room_id}/flash-buys", json=world.flashbuy_body())
        expect_error(resp, ErrorCode.TOKEN_REVOKED)
        expect_error(leaving.post("/auth/sign-out"), ErrorCode.TOKEN_REVOKED)
        assert snapshot(world.platform.db) == before
        # The creator's other sessions still work, and can still create.
        assert staying.ok("GET", "/me")["id"] == world.creator_id
        assert world.creator.ok("GET", "/me")["id"] == world.creator_id
        world.create_flashbuy()
    finally:
        leaving.close()
        staying.close()
    assert token_row(world, first).revoked_at is not None
    assert token_row(world, second).revoked_at is None
    assert world.creator.token is not None
    assert token_row(world, world.creator.token).revoked_at is None


def test_a_revoked_token_stays_revoked_after_it_expires(world: World) -> None:
    token = new_token(world)
    signed_out = Api(world.platform.api_url, token)
    try:
        signed_out.ok("POST", "/auth/sign-out", 204)
        set_expiry(world, token, utcnow() - timedelta(days=1))
        expect_error(signed_out.get("/me"), ErrorCode.TOKEN_REVOKED)
    finally:
        signed_out.close()


# --- the wrong kind of token --------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), CREATOR_ENDPOINTS)
def test_a_viewer_token_on_a_creator_endpoint_is_forbidden(
    shared: World, method: str, path: str, body: Any
) -> None:
    viewer = shared.viewers[0]
    before = snapshot(shared.platform.db)
    resp = call(shared, method, path, body, f"Bearer {viewer.token}")
    expect_error(resp, ErrorCode.FORBIDDEN)
    assert snapshot(shared.platform.db) == before
    viewer.ok("GET", f"/rooms/{shared.room_id}/offers")  # still a good viewer token


def test_a_viewer_token_cannot_upload_a_picture(shared: World) -> None:
    before = snapshot(shared.platform.db)
    resp = shared.viewers[0].post(
        "/pictures", data=jpeg_bytes(color="red"), headers={"Content-Type": "image/jpeg"}
    )
    expect_error(resp, ErrorCode.FORBIDDEN)
    assert snapshot(shared.platform.db) == before


def test_a_creator_token_on_a_viewer_endpoint_is_forbidden(world: World) -> None:
    fb = world.create_flashbuy()
    before = snapshot(world.platform.db)
    expect_error(world.creator.post(f"/flash-buys/{fb['id']}/orders", json={}), ErrorCode.FORBIDDEN)
    resp = world.creator.post(f"/rooms/{world.room_id}/comments", json={"text": "欢迎"})
    expect_error(resp, ErrorCode.FORBIDDEN)
    assert snapshot(world.platform.db) == before


# --- secrets at rest ----------------------------------------------------------------------


def test_the_database_never_stores_a_plain_token_or_password(world: World) -> None:
    username, password = unique("secretive"), unique("pw-翡翠-")
    with world.platform.db.write() as conn:
        creator_id = accounts.create_creator(conn, username, password, invited=True)
    resp = sign_in(world, username, password)
    assert resp.status_code == 200, resp.text
    token = resp.json()["token"]
    secrets = [token, world.creator.token, world.viewers[0].token, password, PASSWORD]
    assert all(secrets)

    with world.platform.db.read() as conn:
        creator_rows = conn.execute(sa.select(creators)).all()
        token_rows = conn.execute(sa.select(tokens)).all()
    # The tokens table holds each token's SHA-256, never the token.
    assert {token_hash(t) for t in secrets[:3]} <= {r.token_hash for r in token_rows}
    for row in [*creator_rows, *token_rows]:
        stored = [repr(value) for value in row]
        for secret in secrets:
            assert all(secret not in value for value in stored), (secret, row)
    # The password is kept as a salted scrypt hash that still verifies.
    (mine,) = [r for r in creator_rows if r.id == creator_id]
    assert mine.password_hash.startswith("scrypt$")
    assert verify_password(password, mine.password_hash)
    assert not verify_password(PASSWORD, mine.password_hash)
    # And no other table picked one up either (event payloads, stored responses...).
    everything = repr(snapshot(world.platform.db))
    for secret in secrets:
        assert secret not in everything
