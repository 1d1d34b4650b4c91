"""Every endpoint refuses bad input with a clear 4xx in the one error shape, and changes nothing.

Each refused request is sent between two snapshots of every table, which must be equal.
The matrices share one arranged world per database (a refused request leaves it as it
was); the tests that must change something make their own.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import FEE_MAX_FEN
from flashbuy_server import accounts, catalog
from tests.support import (
    PASSWORD,
    Api,
    Platform,
    World,
    expect_error,
    jpeg_bytes,
    make_world,
    png_bytes,
    snapshot,
    unique,
)

MISSING: Any = object()  # an override that removes the field from the body
TOO_BIG = 2**63  # one past the largest id either database can hold
NOWHERE = 999_999_999  # an id no row has


# --- the shared world ---------------------------------------------------------------------


@dataclass
class Ctx:
    """A creator live in a room, with everything the refusals below point at."""

    world: World
    other: World  # another creator, live in its own room with one viewer
    anon: Api
    ended_room_id: int  # the creator's earlier room, whose live has ended
    unbound_product_id: int  # a product of a shop the creator is not bound to
    deleted_template_id: int
    left_viewer: Api  # joined the creator's room, then left
    left_viewer_id: int
    flashbuy_id: int  # an active full flash-buy in the creator's room

    @property
    def platform(self) -> Platform:
        return self.world.platform

    def client(self, who: str) -> Api:
        return {
            "anon": self.anon,
            "creator": self.world.creator,
            "viewer": self.world.viewers[0],
            "left_viewer": self.left_viewer,
            "other_viewer": self.other.viewers[0],
        }[who]

    def body(self, **overrides: Any) -> dict[str, Any]:
        """A valid full-mode flash-buy body, changed by ``overrides`` (MISSING removes)."""
        return without_missing(self.world.flashbuy_body(**overrides))


def without_missing(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not MISSING}


@pytest.fixture(scope="module")
def ctx(module_platform: Platform) -> Iterator[Ctx]:
    platform = module_platform
    world = make_world(platform, viewers=0)
    creator = world.creator
    # The creator's first live ends; a second one is live with two viewers present.
    ended_room_id = world.room_id
    creator.ok("POST", f"/rooms/{ended_room_id}/end")
    world.room_id = creator.ok("POST", "/rooms", 201, json={"title": "第二场"})["id"]
    world.join()
    world.join()
    left_viewer, left_viewer_id = world.join()
    left_viewer.ok("POST", f"/rooms/{world.room_id}/leave", 204)
    world.viewers.remove(left_viewer)
    world.viewer_ids.remove(left_viewer_id)
    with platform.db.write() as conn:
        shop_id = accounts.create_shop(conn, unique("别家店"), qualified=True)
        unbound_product_id = catalog.create_product(conn, shop_id, world.category_id, "和田玉")
    deleted_template_id = creator.ok(
        "POST", "/shipping-templates", 201, json={"name": "旧模板", "kind": "free"}
    )["id"]
    creator.ok("DELETE", f"/shipping-templates/{deleted_template_id}", 204)
    flashbuy_id = world.create_flashbuy()["id"]
    other = make_world(platform, viewers=1)
    c = Ctx(
        world=world,
        other=other,
        anon=platform.client(),
        ended_room_id=ended_room_id,
        unbound_product_id=unbound_product_id,
        deleted_template_id=deleted_template_id,
        left_viewer=left_viewer,
        left_viewer_id=left_viewer_id,
        flashbuy_id=flashbuy_id,
    )
    yield c
    world.close()
    other.close()
    left_viewer.close()
    c.anon.close()


# --- checking a refusal -------------------------------------------------------------------


def names(error: dict[str, Any], field_: str, where: str, says: str | None) -> bool:
    """Whether one entry of details["errors"] is about ``field_`` (in ``where``)."""
    about = error["field"] == field_ or error["field"].startswith(field_ + ".")
    return about and error["in"] == where and (says is None or says in error["message"])


def refused(
    platform: Platform,
    send: Callable[[], requests.Response],
    code: ErrorCode,
    field_: str | None = None,
    *,
    where: str = "body",
    says: str | None = None,
) -> dict[str, Any]:
    """Send a request that must be refused with ``code`` and must change nothing."""
    before = snapshot(platform.db)
    resp = send()
    if resp.status_code >= 500:
        settle(platform)
    details = expect_error(resp, code)
    if code is ErrorCode.VALIDATION_FAILED:
        assert field_ is not None
        errors = details["errors"]
        assert errors, details
        # Only the field at fault is named: the rest of the request was valid.
        assert all(names(e, field_, where, says) for e in errors), errors
        assert all(e["message"] for e in errors), errors
    assert snapshot(platform.db) == before
    return details


def settle(platform: Platform) -> None:
    """Wait until the server has logged a crash it answered with a 500.

    uvicorn logs the traceback after the response has gone out; on Python 3.11 that
    formatting races pytest's own (a global counter in the ast module) and can take
    the test run down with it. A second request is only served once the log is done.
    """
    with requests.get(platform.api_url + "/health", timeout=60) as resp:
        assert resp.status_code == 200


# --- every endpoint that takes a JSON body ------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[Ctx], str]
    who: str
    body: Callable[[Ctx], dict[str, Any]]


ENDPOINTS = {
    "sign-in": Endpoint(
        "POST",
        lambda c: "/auth/sign-in",
        "anon",
        lambda c: {"username": c.world.username, "password": PASSWORD},
    ),
    "start-live": Endpoint("POST", lambda c: "/rooms", "creator", lambda c: {"title": "新专场"}),
    "create-flash-buy": Endpoint(
        "POST", lambda c: f"/rooms/{c.world.room_id}/flash-buys", "creator", lambda c: c.body()
    ),
    "create-template": Endpoint(
        "POST",
        lambda c: "/shipping-templates",
        "creator",
        lambda c: {"name": "顺丰", "kind": "flat", "flat_fee_fen": 1200},
    ),
    "replace-template": Endpoint(
        "PUT",
        lambda c: f"/shipping-templates/{c.world.template_id}",
        "creator",
        lambda c: {"name": "顺丰", "kind": "flat", "flat_fee_fen": 1200},
    ),
    "quote": Endpoint(
        "POST",
        lambda c: f"/shipping-templates/{c.world.template_id}/quote",
        "creator",
        lambda c: {"region": "浙江"},
    ),
    "join": Endpoint(
        "POST",
        lambda c: f"/rooms/{c.world.room_id}/join",
        "anon",
        lambda c: {"nickname": "小明", "region": "浙江"},
    ),
    "comment": Endpoint(
        "POST",
        lambda c: f"/rooms/{c.world.room_id}/comments",
        "viewer",
        lambda c: {"text": "3号多少钱"},
    ),
    "order": Endpoint(
        "POST",
        lambda c: f"/flash-buys/{c.flashbuy_id}/orders",
        "viewer",
        lambda c: {"region": "浙江"},
    ),
}
EVERY_ENDPOINT = [pytest.param(ep, id=name) for name, ep in ENDPOINTS.items()]

# Sent to every endpoint: the shapes a broken client most often produces.
NOT_AN_OBJECT = [
    (b"{bad", ErrorCode.MALFORMED_JSON, "malformed-json"),
    ('[{"title": "3号"}]'.encode(), ErrorCode.VALIDATION_FAILED, "json-array"),
    ('"3号 冰种手镯"'.encode(), ErrorCode.VALIDATION_FAILED, "json-string"),
    (b"", ErrorCode.VALIDATION_FAILED, "empty-body"),
]
# Sent to one endpoint: the JSON parser and body check are shared by all of them.
MORE_NOT_AN_OBJECT = [
    ('{"title": "3号",}'.encode(), ErrorCode.MALFORMED_JSON, "trailing-comma"),
    (b'{"title": "3', ErrorCode.MALFORMED_JSON, "cut-short"),
    (b"12", ErrorCode.VALIDATION_FAILED, "json-number"),
    (b"null", ErrorCode.VALIDATION_FAILED, "json-null"),
]
RAW_BODIES = [
    *(
        pytest.param(endpoint, raw, code, id=f"{name}-{what}")
        for raw, code, what in NOT_AN_OBJECT
        for name, endpoint in ENDPOINTS.items()
    ),
    *(
        pytest.param(ENDPOINTS["create-flash-buy"], raw, code, id=f"create-flash-buy-{what}")
        for raw, code, what in MORE_NOT_AN_OBJECT
    ),
]


@pytest.mark.parametrize(("endpoint", "raw", "code"), RAW_BODIES)
def test_a_body_that_is_not_a_json_object_is_refused(
    ctx: Ctx, endpoint: Endpoint, raw: bytes, code: ErrorCode
) -> None:
    client = ctx.client(endpoint.who)
    refused(
        ctx.platform,
        lambda: client.request(
            endpoint.method,
            endpoint.path(ctx),
            data=raw,
            headers={"Content-Type": "application/json"},
        ),
        code,
        "body",
    )


@pytest.mark.parametrize("endpoint", EVERY_ENDPOINT)
def test_an_unknown_field_is_refused_not_ignored(ctx: Ctx, endpoint: Endpoint) -> None:
    client = ctx.client(endpoint.who)
    body = {**endpoint.body(ctx), "discount_fen": 100}
    refused(
        ctx.platform,
        lambda: client.request(endpoint.method, endpoint.path(ctx), json=body),
        ErrorCode.VALIDATION_FAILED,
        "discount_fen",
        says="Extra inputs are not permitted",
    )


# --- the fields of a flash-buy ------------------------------------------------------------

FLASHBUY_FIELDS = [
    # money: whole fen within 1 .. 999,999,999, never a string, a fraction or true
    pytest.param({"price_fen": "12"}, "price_fen", id="price-as-string"),
    pytest.param({"price_fen": "12.88"}, "price_fen", id="price-as-yuan-string"),
    pytest.param({"price_fen": 12.5}, "price_fen", id="price-half-fen"),
    pytest.param({"price_fen": 1288.005}, "price_fen", id="price-three-decimals"),
    # (a whole 1288.0 is the number 1288: tests/server/test_openapi.py takes it)
    pytest.param({"price_fen": 2.0**60}, "price_fen", id="price-float-past-2**53"),
    pytest.param({"price_fen": True}, "price_fen", id="price-true"),
    pytest.param({"price_fen": None}, "price_fen", id="price-null"),
    pytest.param({"price_fen": -1}, "price_fen", id="price-negative"),
    pytest.param({"price_fen": 0}, "price_fen", id="price-zero"),
    pytest.param({"price_fen": 1_000_000_000}, "price_fen", id="price-over-max"),
    pytest.param({"price_fen": 10**30}, "price_fen", id="price-huge"),
    # stock: a whole number 1 .. 9999
    pytest.param({"stock": 0}, "stock", id="stock-zero"),
    pytest.param({"stock": 10_000}, "stock", id="stock-10000"),
    pytest.param({"stock": -1}, "stock", id="stock-negative"),
    pytest.param({"stock": 1.5}, "stock", id="stock-fraction"),
    pytest.param({"stock": True}, "stock", id="stock-true"),
    pytest.param({"stock": "1"}, "stock", id="stock-string"),
    # title: 1 .. 60 characters after trimming
    pytest.param({"title": 123}, "title", id="title-number"),
    pytest.param({"title": ["3号"]}, "title", id="title-list"),
    pytest.param({"title": None}, "title", id="title-null"),
    pytest.param({"title": ""}, "title", id="title-empty"),
    pytest.param({"title": " \t\n "}, "title", id="title-whitespace"),
    pytest.param({"title": "x" * 61}, "title", id="title-61-chars"),
    pytest.param({"title": "翡" * 61}, "title", id="title-61-cjk-chars"),
    # piece number and note
    pytest.param({"piece_no": "9" * 21}, "piece_no", id="piece-no-21-chars"),
    pytest.param({"piece_no": 3}, "piece_no", id="piece-no-number"),
    pytest.param({"note": "备" * 201}, "note", id="note-201-chars"),
    pytest.param({"note": None}, "note", id="note-null"),
    # picture: the SHA-256 hex of an upload
    pytest.param({"picture_id": "abc"}, "picture_id", id="picture-id-short"),
    pytest.param({"picture_id": "a" * 65}, "picture_id", id="picture-id-65-chars"),
    pytest.param({"picture_id": "A" * 64}, "picture_id", id="picture-id-uppercase"),
    pytest.param({"picture_id": "../" + "a" * 61}, "picture_id", id="picture-id-path"),
    pytest.param({"picture_id": 1}, "picture_id", id="picture-id-number"),
    # ids
    pytest.param({"product_id": 0}, "product_id", id="product-id-zero"),
    pytest.param({"product_id": -5}, "product_id", id="product-id-negative"),
    pytest.param({"product_id": "1"}, "product_id", id="product-id-string"),
    pytest.param({"product_id": 1.5}, "product_id", id="product-id-fraction"),
    pytest.param({"template_id": 0}, "template_id", id="template-id-zero"),
    pytest.param({"template_id": "包邮"}, "template_id", id="template-id-name"),
    # mode and targets
    pytest.param({"mode": "all"}, "mode", id="mode-unknown"),
    pytest.param({"mode": "FULL"}, "mode", id="mode-uppercase"),
    pytest.param({"mode": None}, "mode", id="mode-null"),
    pytest.param({"target_viewer_ids": 1}, "target_viewer_ids", id="targets-not-a-list"),
    pytest.param({"target_viewer_ids": [0]}, "target_viewer_ids", id="targets-id-zero"),
    pytest.param({"target_viewer_ids": ["1"]}, "target_viewer_ids", id="targets-id-string"),
    pytest.param(
        {"mode": "targeted", "target_viewer_ids": list(range(1, 52))},
        "target_viewer_ids",
        id="targets-51",
    ),
    # required fields
    *(
        pytest.param({name: MISSING}, name, id=f"missing-{name.replace('_', '-')}")
        for name in ("product_id", "mode", "title", "price_fen", "picture_id", "template_id")
    ),
]


@pytest.mark.parametrize(("overrides", "field_"), FLASHBUY_FIELDS)
def test_a_bad_flashbuy_field_is_refused(ctx: Ctx, overrides: dict[str, Any], field_: str) -> None:
    body = ctx.body(**overrides)
    refused(
        ctx.platform,
        lambda: ctx.world.creator.post(f"/rooms/{ctx.world.room_id}/flash-buys", json=body),
        ErrorCode.VALIDATION_FAILED,
        field_,
    )


# --- the fields of the other request bodies -----------------------------------------------

OTHER_FIELDS = [
    # sign-in
    pytest.param("sign-in", {"username": MISSING}, "username", id="sign-in-missing-username"),
    pytest.param("sign-in", {"password": MISSING}, "password", id="sign-in-missing-password"),
    pytest.param("sign-in", {"username": ""}, "username", id="sign-in-empty-username"),
    pytest.param("sign-in", {"username": "   "}, "username", id="sign-in-blank-username"),
    pytest.param("sign-in", {"username": "u" * 65}, "username", id="sign-in-65-char-username"),
    pytest.param("sign-in", {"username": 42}, "username", id="sign-in-number-username"),
    pytest.param("sign-in", {"password": ""}, "password", id="sign-in-empty-password"),
    pytest.param("sign-in", {"password": "p" * 257}, "password", id="sign-in-257-char-password"),
    pytest.param("sign-in", {"password": None}, "password", id="sign-in-null-password"),
    # starting a live
    pytest.param("start-live", {"title": MISSING}, "title", id="live-missing-title"),
    pytest.param("start-live", {"title": ""}, "title", id="live-empty-title"),
    pytest.param("start-live", {"title": "  "}, "title", id="live-blank-title"),
    pytest.param("start-live", {"title": "播" * 61}, "title", id="live-61-char-title"),
    pytest.param("start-live", {"title": 7}, "title", id="live-number-title"),
    # joining a room
    pytest.param("join", {"nickname": MISSING}, "nickname", id="join-missing-nickname"),
    pytest.param("join", {"nickname": ""}, "nickname", id="join-empty-nickname"),
    pytest.param("join", {"nickname": "   "}, "nickname", id="join-blank-nickname"),
    pytest.param("join", {"nickname": "昵" * 31}, "nickname", id="join-31-char-nickname"),
    pytest.param("join", {"nickname": 1}, "nickname", id="join-number-nickname"),
    pytest.param("join", {"region": "火星"}, "region", id="join-unknown-region"),
    pytest.param("join", {"region": "Zhejiang"}, "region", id="join-region-in-pinyin"),
    pytest.param("join", {"region": ""}, "region", id="join-empty-region"),
    pytest.param("join", {"region": 33}, "region", id="join-number-region"),
    # comments
    pytest.param("comment", {"text": MISSING}, "text", id="comment-missing-text"),
    pytest.param("comment", {"text": ""}, "text", id="comment-empty"),
    pytest.param("comment", {"text": " \n "}, "text", id="comment-whitespace"),
    pytest.param("comment", {"text": "要" * 201}, "text", id="comment-201-chars"),
    pytest.param("comment", {"text": 3}, "text", id="comment-number"),
    # orders and quotes
    pytest.param("order", {"region": "火星"}, "region", id="order-unknown-region"),
    pytest.param("order", {"region": ["浙江"]}, "region", id="order-region-list"),
    pytest.param("quote", {"region": MISSING}, "region", id="quote-missing-region"),
    pytest.param("quote", {"region": "火星"}, "region", id="quote-unknown-region"),
    pytest.param("quote", {"region": None}, "region", id="quote-null-region"),
]


@pytest.mark.parametrize(("endpoint", "overrides", "field_"), OTHER_FIELDS)
def test_a_bad_field_of_another_body_is_refused(
    ctx: Ctx, endpoint: str, overrides: dict[str, Any], field_: str
) -> None:
    ep = ENDPOINTS[endpoint]
    client = ctx.client(ep.who)
    body = without_missing({**ep.body(ctx), **overrides})
    refused(
        ctx.platform,
        lambda: client.request(ep.method, ep.path(ctx), json=body),
        ErrorCode.VALIDATION_FAILED,
        field_,
    )


# --- shipping templates -------------------------------------------------------------------


def tpl(**fields: Any) -> dict[str, Any]:
    return without_missing({"name": "运费", **fields})


TEMPLATE_BODIES = [
    # inconsistent kinds: the model's own rule, reported on the body with a reason
    pytest.param(tpl(kind="flat"), "body", "needs flat_fee_fen", id="flat-without-fee"),
    pytest.param(
        tpl(kind="flat", flat_fee_fen=800, default_fee_fen=500),
        "body",
        "only flat_fee_fen",
        id="flat-with-default-fee",
    ),
    pytest.param(
        tpl(kind="flat", flat_fee_fen=800, region_fees={"浙江": 500}),
        "body",
        "only flat_fee_fen",
        id="flat-with-region-fees",
    ),
    pytest.param(tpl(kind="free", flat_fee_fen=800), "body", "no fees", id="free-with-fee"),
    pytest.param(tpl(kind="free", flat_fee_fen=0), "body", "no fees", id="free-with-zero-fee"),
    pytest.param(
        tpl(kind="free", region_fees={"新疆": 2000}), "body", "no fees", id="free-with-region-fees"
    ),
    pytest.param(
        tpl(kind="by_region", region_fees={"浙江": 500}),
        "body",
        "needs default_fee_fen",
        id="by-region-without-default",
    ),
    pytest.param(
        tpl(kind="by_region", default_fee_fen=800, flat_fee_fen=500),
        "body",
        "takes default_fee_fen",
        id="by-region-with-flat-fee",
    ),
    pytest.param(
        tpl(
            kind="by_region",
            default_fee_fen=800,
            region_fees={"新疆": 2000},
            excluded_regions=["新疆"],
        ),
        "body",
        "both have a fee and be excluded",
        id="region-priced-and-excluded",
    ),
    pytest.param(
        tpl(kind="free", excluded_regions=["西藏", "西藏"]),
        "body",
        "twice",
        id="region-excluded-twice",
    ),
    # regions
    pytest.param(
        tpl(kind="by_region", default_fee_fen=800, region_fees={"火星": 500}),
        "region_fees",
        "火星",
        id="unknown-priced-region",
    ),
    pytest.param(
        tpl(kind="free", excluded_regions=["火星"]),
        "excluded_regions",
        "火星",
        id="unknown-excluded-region",
    ),
    pytest.param(
        tpl(kind="free", excluded_regions="西藏"), "excluded_regions", None, id="excluded-not-list"
    ),
    pytest.param(
        tpl(kind="by_region", default_fee_fen=800, region_fees=["浙江"]),
        "region_fees",
        None,
        id="region-fees-not-object",
    ),
    # fees: whole fen 0 .. FEE_MAX_FEN
    pytest.param(tpl(kind="flat", flat_fee_fen=-1), "flat_fee_fen", None, id="negative-flat-fee"),
    pytest.param(
        tpl(kind="by_region", default_fee_fen=-1), "default_fee_fen", None, id="negative-default"
    ),
    pytest.param(
        tpl(kind="by_region", default_fee_fen=800, region_fees={"浙江": -1}),
        "region_fees",
        None,
        id="negative-region-fee",
    ),
    pytest.param(
        tpl(kind="flat", flat_fee_fen=FEE_MAX_FEN + 1), "flat_fee_fen", None, id="fee-over-max"
    ),
    pytest.param(tpl(kind="flat", flat_fee_fen=12.5), "flat_fee_fen", None, id="fee-fractional"),
    pytest.param(tpl(kind="flat", flat_fee_fen="12"), "flat_fee_fen", None, id="fee-as-string"),
    # kind and name
    pytest.param(tpl(kind="cheap"), "kind", None, id="unknown-kind"),
    pytest.param(tpl(), "kind", None, id="missing-kind"),
    pytest.param(tpl(kind="free", name=MISSING), "name", None, id="missing-name"),
    pytest.param(tpl(kind="free", name=""), "name", None, id="empty-name"),
    pytest.param(tpl(kind="free", name="   "), "name", None, id="blank-name"),
    pytest.param(tpl(kind="free", name="运" * 31), "name", None, id="31-char-name"),
]


# Replacing a template validates the same model: a few bodies show PUT refuses them too.
PUT_TOO = {
    "flat-without-fee",
    "free-with-fee",
    "unknown-priced-region",
    "region-priced-and-excluded",
    "negative-flat-fee",
}
TEMPLATE_CASES = [
    *(pytest.param("POST", *case.values, id=f"post-{case.id}") for case in TEMPLATE_BODIES),
    *(
        pytest.param("PUT", *case.values, id=f"put-{case.id}")
        for case in TEMPLATE_BODIES
        if case.id in PUT_TOO
    ),
]


@pytest.mark.parametrize(("method", "body", "field_", "says"), TEMPLATE_CASES)
def test_an_inconsistent_shipping_template_is_refused(
    ctx: Ctx, method: str, body: dict[str, Any], field_: str, says: str | None
) -> None:
    path = "/shipping-templates"
    if method == "PUT":
        path += f"/{ctx.world.template_id}"
    refused(
        ctx.platform,
        lambda: ctx.world.creator.request(method, path, json=body),
        ErrorCode.VALIDATION_FAILED,
        field_,
        says=says,
    )


# --- query and path parameters ------------------------------------------------------------

PARAMETERS = [
    pytest.param("/flash-buys", {"status": "bogus"}, "status", id="list-status-bogus"),
    pytest.param("/flash-buys", {"status": "ACTIVE"}, "status", id="list-status-uppercase"),
    pytest.param("/flash-buys", {"mode": "all"}, "mode", id="list-mode-bogus"),
    pytest.param("/flash-buys", {"limit": 0}, "limit", id="list-limit-0"),
    pytest.param("/flash-buys", {"limit": -1}, "limit", id="list-limit-negative"),
    pytest.param("/flash-buys", {"limit": 501}, "limit", id="list-limit-501"),
    pytest.param("/flash-buys", {"limit": 100_000}, "limit", id="list-limit-100000"),
    pytest.param("/flash-buys", {"limit": "ten"}, "limit", id="list-limit-word"),
    pytest.param("/flash-buys", {"offset": -1}, "offset", id="list-offset-negative"),
    pytest.param("/flash-buys", {"room_id": "abc"}, "room_id", id="list-room-id-word"),
    pytest.param("/flash-buys", {"category_id": "1.5"}, "category_id", id="list-category-fraction"),
    pytest.param("/flash-buys", {"q": "翡" * 61}, "q", id="list-search-61-chars"),
    pytest.param("/rooms/{room}/comments", {"limit": 0}, "limit", id="comments-limit-0"),
    pytest.param("/rooms/{room}/comments", {"limit": 501}, "limit", id="comments-limit-501"),
    pytest.param("/rooms/{room}/comments", {"after_id": -1}, "after_id", id="comments-after-neg"),
]


@pytest.mark.parametrize(("path", "params", "field_"), PARAMETERS)
def test_a_bad_query_parameter_is_refused(
    ctx: Ctx, path: str, params: dict[str, Any], field_: str
) -> None:
    url = path.format(room=ctx.world.room_id)
    refused(
        ctx.platform,
        lambda: ctx.world.creator.get(url, params=params),
        ErrorCode.VALIDATION_FAILED,
        field_,
        where="query",
    )


PATHS = [
    pytest.param("POST", "/rooms/abc/flash-buys", "room_id", id="create-in-room-abc"),
    pytest.param("POST", "/rooms/1.5/end", "room_id", id="end-room-1.5"),
    pytest.param("GET", "/rooms/三/viewers", "room_id", id="viewers-of-room-cjk"),
    pytest.param("GET", "/flash-buys/latest", "flashbuy_id", id="get-flash-buy-word"),
    pytest.param("POST", "/flash-buys/1e3/end", "flashbuy_id", id="end-flash-buy-exponent"),
    pytest.param("GET", "/shipping-templates/x", "template_id", id="get-template-x"),
    pytest.param("GET", "/products/-", "product_id", id="get-product-dash"),
]


@pytest.mark.parametrize(("method", "path", "field_"), PATHS)
def test_a_bad_path_parameter_is_refused(ctx: Ctx, method: str, path: str, field_: str) -> None:
    refused(
        ctx.platform,
        lambda: ctx.world.creator.request(method, path, json=ctx.body()),
        ErrorCode.VALIDATION_FAILED,
        field_,
        where="path",
    )


# --- the platform's rules -----------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    who: str
    method: str
    path: str
    body: dict[str, Any] | None = None


def create_in(room_id: int, body: dict[str, Any]) -> Req:
    return Req("creator", "POST", f"/rooms/{room_id}/flash-buys", body)


def create(c: Ctx, **overrides: Any) -> Req:
    return create_in(c.world.room_id, c.body(**overrides))


def targeted(c: Ctx, *viewer_ids: int) -> Req:
    return create(c, mode="targeted", target_viewer_ids=list(viewer_ids))


RULES = [
    # what a flash-buy is made from
    pytest.param(
        lambda c: create(c, product_id=NOWHERE), ErrorCode.NOT_FOUND, None, id="unknown-product"
    ),
    pytest.param(
        lambda c: create(c, product_id=c.unbound_product_id),
        ErrorCode.NOT_FOUND,  # not the creator's to see: as if it did not exist
        lambda c: {"what": "product", "id": c.unbound_product_id},
        id="product-of-unbound-shop",
    ),
    pytest.param(
        lambda c: create(c, product_id=c.other.product_id),
        ErrorCode.NOT_FOUND,
        lambda c: {"what": "product", "id": c.other.product_id},
        id="product-of-another-creators-shop",
    ),
    pytest.param(
        lambda c: create(c, template_id=NOWHERE),
        ErrorCode.TEMPLATE_NOT_FOUND,
        None,
        id="unknown-template",
    ),
    pytest.param(
        lambda c: create(c, template_id=c.other.template_id),
        ErrorCode.TEMPLATE_NOT_FOUND,
        None,
        id="template-of-another-creator",
    ),
    pytest.param(
        lambda c: create(c, template_id=c.deleted_template_id),
        ErrorCode.TEMPLATE_NOT_FOUND,
        None,
        id="deleted-template",
    ),
    pytest.param(
        lambda c: create(c, picture_id=hashlib.sha256(b"never uploaded").hexdigest()),
        ErrorCode.PICTURE_NOT_FOUND,
        None,
        id="picture-never-uploaded",
    ),
    # modes and targets
    pytest.param(
        lambda c: create(c, mode="full", target_viewer_ids=[c.world.viewer_ids[0]]),
        ErrorCode.TARGETS_NOT_ALLOWED,
        None,
        id="full-with-targets",
    ),
    pytest.param(
        lambda c: create(c, mode="targeted"),
        ErrorCode.TARGETS_REQUIRED,
        None,
        id="targeted-without-targets",
    ),
    pytest.param(lambda c: targeted(c), ErrorCode.TARGETS_REQUIRED, None, id="targeted-empty-list"),
    pytest.param(
        lambda c: targeted(c, c.left_viewer_id),
        ErrorCode.TARGET_NOT_IN_ROOM,
        lambda c: {"viewer_ids": [c.left_viewer_id]},
        id="target-who-left",
    ),
    pytest.param(
        lambda c: targeted(c, c.other.viewer_ids[0]),
        ErrorCode.TARGET_NOT_IN_ROOM,
        lambda c: {"viewer_ids": [c.other.viewer_ids[0]]},
        id="target-who-never-joined",
    ),
    pytest.param(
        lambda c: targeted(c, NOWHERE),
        ErrorCode.TARGET_NOT_IN_ROOM,
        lambda c: {"viewer_ids": [NOWHERE]},
        id="target-unknown-viewer",
    ),
    pytest.param(
        lambda c: targeted(c, c.world.viewer_ids[0], c.left_viewer_id),
        ErrorCode.TARGET_NOT_IN_ROOM,
        lambda c: {"viewer_ids": [c.left_viewer_id]},
        id="one-target-present-one-left",
    ),
    # rooms
    pytest.param(
        lambda c: create_in(c.other.room_id, c.body()),
        ErrorCode.NOT_FOUND,
        lambda c: {"what": "room", "id": c.other.room_id},
        id="create-in-another-creators-room",
    ),
    pytest.param(
        lambda c: create_in(c.ended_room_id, c.body()),
        ErrorCode.LIVE_NOT_ACTIVE,
        None,
        id="create-in-ended-room",
    ),
    pytest.param(
        lambda c: create_in(NOWHERE, c.body()), ErrorCode.NOT_FOUND, None, id="create-in-no-room"
    ),
    pytest.param(
        lambda c: Req("creator", "POST", "/rooms", {"title": "又一场"}),
        ErrorCode.LIVE_ALREADY_ACTIVE,
        None,
        id="start-a-second-live",
    ),
    pytest.param(
        lambda c: Req("creator", "POST", f"/rooms/{c.other.room_id}/end"),
        ErrorCode.NOT_FOUND,
        lambda c: {"what": "room", "id": c.other.room_id},
        id="end-another-creators-live",
    ),
    pytest.param(
        lambda c: Req("anon", "POST", f"/rooms/{NOWHERE}/join", {"nickname": "小明"}),
        ErrorCode.NOT_FOUND,
        None,
        id="join-unknown-room",
    ),
    pytest.param(
        lambda c: Req("anon", "POST", f"/rooms/{c.ended_room_id}/join", {"nickname": "小明"}),
        ErrorCode.LIVE_NOT_ACTIVE,
        None,
        id="join-ended-room",
    ),
    pytest.param(
        lambda c: Req("creator", "POST", f"/rooms/{c.world.room_id}/join", {"nickname": "主播"}),
        ErrorCode.FORBIDDEN,
        None,
        id="join-with-a-creator-token",
    ),
    # comments
    pytest.param(
        lambda c: Req("left_viewer", "POST", f"/rooms/{c.world.room_id}/comments", {"text": "要"}),
        ErrorCode.VIEWER_NOT_IN_ROOM,
        None,
        id="comment-after-leaving",
    ),
    pytest.param(
        lambda c: Req("other_viewer", "POST", f"/rooms/{c.world.room_id}/comments", {"text": "要"}),
        ErrorCode.VIEWER_NOT_IN_ROOM,
        None,
        id="comment-in-a-room-never-joined",
    ),
    pytest.param(
        lambda c: Req("viewer", "POST", f"/rooms/{c.ended_room_id}/comments", {"text": "要"}),
        ErrorCode.LIVE_NOT_ACTIVE,
        None,
        id="comment-in-ended-room",
    ),
    # orders
    pytest.param(
        lambda c: Req("viewer", "POST", f"/flash-buys/{NOWHERE}/orders", {}),
        ErrorCode.NOT_FOUND,
        None,
        id="order-unknown-flash-buy",
    ),
    pytest.param(
        lambda c: Req("left_viewer", "POST", f"/flash-buys/{c.flashbuy_id}/orders", {}),
        ErrorCode.VIEWER_NOT_IN_ROOM,
        None,
        id="order-after-leaving",
    ),
    pytest.param(
        lambda c: Req("other_viewer", "POST", f"/flash-buys/{c.flashbuy_id}/orders", {}),
        ErrorCode.NOT_FOUND,  # never joined its room: as if it did not exist
        lambda c: {"what": "flash-buy", "id": c.flashbuy_id},
        id="order-from-another-room",
    ),
    # templates
    pytest.param(
        lambda c: Req(
            "creator", "PUT", f"/shipping-templates/{c.other.template_id}", tpl(kind="free")
        ),
        ErrorCode.NOT_FOUND,
        None,
        id="replace-another-creators-template",
    ),
    pytest.param(
        lambda c: Req("creator", "DELETE", f"/shipping-templates/{c.world.template_id}"),
        ErrorCode.TEMPLATE_IN_USE,
        lambda c: {"active_flashbuys": 1},
        id="delete-template-in-use",
    ),
    pytest.param(
        lambda c: Req(
            "creator", "POST", f"/shipping-templates/{NOWHERE}/quote", {"region": "浙江"}
        ),
        ErrorCode.NOT_FOUND,
        None,
        id="quote-unknown-template",
    ),
]


@pytest.mark.parametrize(("make", "code", "details"), RULES)
def test_a_request_against_a_rule_is_refused_with_its_code(
    ctx: Ctx,
    make: Callable[[Ctx], Req],
    code: ErrorCode,
    details: Callable[[Ctx], dict[str, Any]] | None,
) -> None:
    req = make(ctx)
    client = ctx.client(req.who)
    got = refused(ctx.platform, lambda: client.request(req.method, req.path, json=req.body), code)
    if details is not None:
        expected = details(ctx)
        assert {k: got.get(k) for k in expected} == expected, got


# --- pictures, headers, routes ------------------------------------------------------------

PICTURES = [
    pytest.param("3号 冰种手镯".encode(), "text/plain", id="text-as-text"),
    pytest.param(jpeg_bytes(), "application/octet-stream", id="jpeg-as-octet-stream"),
    pytest.param(jpeg_bytes(), None, id="jpeg-without-content-type"),
    pytest.param(b"not a picture", "image/jpeg", id="text-as-jpeg"),
    pytest.param(b"", "image/png", id="empty-png"),
    pytest.param(jpeg_bytes(640, 480)[:300], "image/jpeg", id="truncated-jpeg"),
    pytest.param(png_bytes()[:60], "image/png", id="truncated-png"),
]


@pytest.mark.parametrize(("data", "content_type"), PICTURES)
def test_an_upload_that_is_not_a_picture_is_refused(
    ctx: Ctx, data: bytes, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    refused(
        ctx.platform,
        lambda: ctx.world.creator.post("/pictures", data=data, headers=headers),
        ErrorCode.PICTURE_INVALID,
    )


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("two words", id="space"),
        pytest.param("k" * 201, id="201-chars"),
        pytest.param("", id="empty"),
    ],
)
def test_a_bad_idempotency_key_is_refused(ctx: Ctx, key: str) -> None:
    refused(
        ctx.platform,
        lambda: ctx.world.creator.post(
            f"/rooms/{ctx.world.room_id}/flash-buys",
            json=ctx.body(),
            headers={"Idempotency-Key": key},
        ),
        ErrorCode.IDEMPOTENCY_KEY_INVALID,
    )


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        pytest.param("GET", "/flash-buy", ErrorCode.NOT_FOUND, id="unknown-route"),
        pytest.param("POST", "/flash-buys", ErrorCode.METHOD_NOT_ALLOWED, id="post-the-list"),
        pytest.param("DELETE", "/rooms", ErrorCode.METHOD_NOT_ALLOWED, id="delete-rooms"),
    ],
)
def test_an_unknown_route_or_method_is_refused(
    ctx: Ctx, method: str, path: str, code: ErrorCode
) -> None:
    refused(ctx.platform, lambda: ctx.world.creator.request(method, path, json={}), code)


def test_a_method_not_allowed_names_the_allowed_ones(ctx: Ctx) -> None:
    """RFC 9110: a 405 carries Allow."""
    resp = ctx.world.creator.request("DELETE", "/rooms", json={})
    assert resp.status_code == 405
    allowed = {m.strip() for m in resp.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    assert "DELETE" not in allowed


# --- the limits are exactly where they are said to be -------------------------------------


def test_the_longest_and_extreme_values_are_accepted(world: World) -> None:
    longest = world.create_flashbuy(
        title="翡" * 60, piece_no="9" * 20, note="备" * 200, price_fen=999_999_999, stock=9_999
    )
    assert (longest["title"], longest["piece_no"], longest["note"]) == (
        "翡" * 60,
        "9" * 20,
        "备" * 200,
    )
    assert (longest["price_fen"], longest["stock"]) == (999_999_999, 9_999)
    smallest = world.create_flashbuy(title="  " + "x" * 60 + "  ", price_fen=1, stock=1)
    assert (smallest["title"], smallest["price_fen"]) == ("x" * 60, 1)
    viewer, _ = world.join(nickname="昵" * 30)
    comment = viewer.ok("POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "要" * 200})
    assert (comment["nickname"], comment["text"]) == ("昵" * 30, "要" * 200)
    template = world.creator.ok(
        "POST",
        "/shipping-templates",
        201,
        json={"name": "运" * 30, "kind": "flat", "flat_fee_fen": FEE_MAX_FEN},
    )
    assert template["flat_fee_fen"] == FEE_MAX_FEN
    listed = world.creator.ok("GET", "/flash-buys", params={"limit": 500, "status": "active"})
    assert listed["total"] == 2


TOP = TOO_BIG - 1  # the largest id both databases hold


@pytest.mark.parametrize(
    ("make", "code"),
    [
        pytest.param(lambda c: create(c, product_id=TOP), ErrorCode.NOT_FOUND, id="product"),
        pytest.param(
            lambda c: create(c, template_id=TOP), ErrorCode.TEMPLATE_NOT_FOUND, id="template"
        ),
        pytest.param(lambda c: targeted(c, TOP), ErrorCode.TARGET_NOT_IN_ROOM, id="target"),
        pytest.param(lambda c: create_in(TOP, c.body()), ErrorCode.NOT_FOUND, id="room"),
        pytest.param(
            lambda c: Req("creator", "GET", f"/flash-buys/{TOP}"), ErrorCode.NOT_FOUND, id="get"
        ),
    ],
)
def test_the_largest_ids_are_looked_up_not_refused(
    ctx: Ctx, make: Callable[[Ctx], Req], code: ErrorCode
) -> None:
    """2**63 - 1 fits both databases: an unknown id there is simply not found."""
    req = make(ctx)
    client = ctx.client(req.who)
    refused(ctx.platform, lambda: client.request(req.method, req.path, json=req.body), code)


# --- platform bugs: each test below fails today -------------------------------------------


@pytest.mark.parametrize("endpoint", EVERY_ENDPOINT)
def test_a_body_not_in_utf8_is_malformed_json(ctx: Ctx, endpoint: Endpoint) -> None:
    """A console on a Chinese Windows might send GBK; the platform must say it cannot read it."""
    body = endpoint.body(ctx)
    if endpoint is ENDPOINTS["sign-in"]:
        body = {"username": "翡翠主播", "password": PASSWORD}
    raw = json.dumps(body, ensure_ascii=False).encode("gbk")
    assert raw != json.dumps(body, ensure_ascii=False).encode()
    client = ctx.client(endpoint.who)
    refused(
        ctx.platform,
        lambda: client.request(
            endpoint.method,
            endpoint.path(ctx),
            data=raw,
            headers={"Content-Type": "application/json"},
        ),
        ErrorCode.MALFORMED_JSON,
    )


def fresh(client: Api, method: str, path: str, **kwargs: Any) -> requests.Response:
    """Send on a connection of its own: the platform drops a connection after a 500."""
    headers = {**kwargs.pop("headers", {}), "Connection": "close"}
    return client.request(method, path, headers=headers, **kwargs)


TOO_BIG_IDS = [
    pytest.param(lambda c: create(c, product_id=TOO_BIG), "product_id", "body", id="product-id"),
    pytest.param(lambda c: create(c, template_id=TOO_BIG), "template_id", "body", id="template-id"),
    pytest.param(lambda c: targeted(c, TOO_BIG), "target_viewer_ids", "body", id="target-id"),
    pytest.param(lambda c: create_in(TOO_BIG, c.body()), "room_id", "path", id="create-in-room"),
    pytest.param(
        lambda c: Req("anon", "POST", f"/rooms/{TOO_BIG}/join", {"nickname": "小明"}),
        "room_id",
        "path",
        id="join-room",
    ),
    pytest.param(lambda c: Req("anon", "GET", f"/rooms/{TOO_BIG}"), "room_id", "path", id="room"),
    pytest.param(
        lambda c: Req("creator", "GET", f"/flash-buys/{TOO_BIG}"),
        "flashbuy_id",
        "path",
        id="flash-buy",
    ),
    pytest.param(
        lambda c: Req("viewer", "POST", f"/flash-buys/{TOO_BIG}/orders", {}),
        "flashbuy_id",
        "path",
        id="order",
    ),
    pytest.param(
        lambda c: Req("creator", "GET", f"/products/{TOO_BIG}"),
        "product_id",
        "path",
        id="product",
    ),
    pytest.param(
        lambda c: Req("creator", "GET", f"/shipping-templates/{TOO_BIG}"),
        "template_id",
        "path",
        id="template",
    ),
    pytest.param(
        lambda c: Req("creator", "GET", f"/flash-buys?room_id={TOO_BIG}"),
        "room_id",
        "query",
        id="list-by-room",
    ),
    pytest.param(
        lambda c: Req("creator", "GET", f"/flash-buys?offset={TOO_BIG}"),
        "offset",
        "query",
        id="list-offset",
    ),
    pytest.param(
        lambda c: Req("creator", "GET", f"/rooms/{c.world.room_id}/comments?after_id={TOO_BIG}"),
        "after_id",
        "query",
        id="comments-after",
    ),
]


@pytest.mark.parametrize(("make", "field_", "where"), TOO_BIG_IDS)
def test_an_id_beyond_64_bits_is_refused_not_a_500(
    ctx: Ctx, make: Callable[[Ctx], Req], field_: str, where: str
) -> None:
    req = make(ctx)
    client = ctx.client(req.who)
    refused(
        ctx.platform,
        lambda: fresh(client, req.method, req.path, json=req.body),
        ErrorCode.VALIDATION_FAILED,
        field_,
        where=where,
    )


NUL_TEXT = [
    pytest.param(
        lambda w: (
            "creator",
            "POST",
            f"/rooms/{w.room_id}/flash-buys",
            w.flashbuy_body(title="3号\x00"),
        ),
        "title",
        id="flash-buy-title",
    ),
    pytest.param(
        lambda w: (
            "creator",
            "POST",
            f"/rooms/{w.room_id}/flash-buys",
            w.flashbuy_body(note="\x00"),
        ),
        "note",
        id="flash-buy-note",
    ),
    pytest.param(
        lambda w: ("anon", "POST", f"/rooms/{w.room_id}/join", {"nickname": "小\x00明"}),
        "nickname",
        id="join-nickname",
    ),
    pytest.param(
        lambda w: ("viewer", "POST", f"/rooms/{w.room_id}/comments", {"text": "要\x00"}),
        "text",
        id="comment",
    ),
    pytest.param(
        lambda w: ("creator", "POST", "/shipping-templates", {"name": "包\x00邮", "kind": "free"}),
        "name",
        id="template-name",
    ),
    pytest.param(
        lambda w: ("anon", "POST", "/auth/sign-in", {"username": "a\x00", "password": "x"}),
        "username",
        id="sign-in-username",
    ),
    pytest.param(
        lambda w: ("creator", "GET", "/flash-buys?q=3%00", None),
        "query:q",
        id="search-query",
    ),
    pytest.param(
        lambda w: ("anon", "GET", "/pictures/3%00", None),
        "path:picture_id",
        id="picture-path",
    ),
]


@pytest.mark.parametrize(("make", "field_"), NUL_TEXT)
def test_text_with_a_nul_character_is_refused(
    world: World, make: Callable[[World], tuple[str, str, str, Any]], field_: str
) -> None:
    """PostgreSQL text cannot hold U+0000, and no title or name needs one: refuse it up front."""
    who, method, path, body = make(world)
    where, _, field_ = field_.rpartition(":")
    anon = world.platform.client()
    client = {"anon": anon, "creator": world.creator, "viewer": world.viewers[0]}[who]
    try:
        refused(
            world.platform,
            lambda: fresh(client, method, path, json=body),
            ErrorCode.VALIDATION_FAILED,
            field_,
            where=where or "body",
        )
    finally:
        anon.close()
