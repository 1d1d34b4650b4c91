"""The platform's OpenAPI document: complete, honest about errors, true to real responses."""

import json
import re
from datetime import datetime
from typing import Any

import fastapi.routing
import jsonschema_rs
import pytest
import requests

from flashbuy_protocol import errors as protocol_errors
from flashbuy_protocol import models
from flashbuy_protocol.enums import TemplateKind
from flashbuy_protocol.errors import ErrorCode, ErrorResponse
from flashbuy_protocol.limits import REGIONS
from flashbuy_server.app import API_PREFIX
from flashbuy_server.idempotency import KEY_MAX, KEY_PATTERN, KEY_SCHEMA
from tests.support import (
    PASSWORD,
    Api,
    Platform,
    World,
    expect_error,
    jpeg_bytes,
    png_bytes,
    snapshot,
)

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def spec(platform: Platform) -> dict[str, Any]:
    resp = requests.get(platform.url + "/openapi.json", timeout=30)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    document: dict[str, Any] = resp.json()
    return document


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every documented operation by (path, method)."""
    return {
        (path, method): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def app_operations(platform: Platform) -> set[tuple[str, str]]:
    """(path, method) of every route the app serves under the API prefix."""
    app = platform.server.app
    # Newer FastAPI keeps included routers nested in app.routes; flatten them the public way.
    flatten = getattr(fastapi.routing, "iter_route_contexts", list)
    found = set()
    for route in flatten(app.routes):
        path = getattr(route, "path", None)
        if path is None or not path.startswith(API_PREFIX + "/"):
            continue
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add((path, method.lower()))
    return found


def component(spec: dict[str, Any], ref: str) -> tuple[str, dict[str, Any]]:
    name = ref.removeprefix("#/components/schemas/")
    return name, spec["components"]["schemas"][name]


def conforms(spec: dict[str, Any], schema: dict[str, Any], value: Any, at: str = "$") -> None:
    """Assert ``value`` is what ``schema`` (from the document) describes: no undocumented
    field, every required one, and the documented type of each."""
    if "$ref" in schema:
        name, target = component(spec, schema["$ref"])
        conforms(spec, target, value, f"{at}<{name}>")
        return
    if "anyOf" in schema:
        problems = []
        for branch in schema["anyOf"]:
            try:
                conforms(spec, branch, value, at)
            except AssertionError as exc:
                problems.append(str(exc))
            else:
                return
        raise AssertionError(f"{at}: {value!r} matches no branch: {problems}")
    if "enum" in schema:
        assert value in schema["enum"], (at, value, schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        assert isinstance(value, dict), (at, value)
        props: dict[str, Any] = schema.get("properties", {})
        assert set(schema.get("required", ())) <= set(value), (at, "missing", value)
        # Stricter than JSON Schema on purpose: a documented object has no undocumented fields.
        extra = schema.get("additionalProperties", not props)
        for key, item in value.items():
            if key in props:
                conforms(spec, props[key], item, f"{at}.{key}")
            else:
                assert extra is not False, (at, "undocumented field", key)
                if isinstance(extra, dict):
                    conforms(spec, extra, item, f"{at}.{key}")
    elif kind == "array":
        assert isinstance(value, list), (at, value)
        for i, item in enumerate(value):
            conforms(spec, schema.get("items", {}), item, f"{at}[{i}]")
    elif kind == "integer":
        assert isinstance(value, int), (at, value)
        assert not isinstance(value, bool), (at, value)
    elif kind == "number":
        assert isinstance(value, int | float), (at, value)
    elif kind == "boolean":
        assert isinstance(value, bool), (at, value)
    elif kind == "null":
        assert value is None, (at, value)
    elif kind == "string":
        assert isinstance(value, str), (at, value)
        if schema.get("format") == "date-time":
            assert datetime.fromisoformat(value).tzinfo is not None, (at, value)


class Documented:
    """Calls the platform and checks each request and response against the document."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.ops = operations(spec)
        self.seen: set[tuple[str, str]] = set()

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        bare = path.split("?")[0]
        matches = [
            template
            for (template, m) in self.ops
            if m == method.lower()
            and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), API_PREFIX + bare)
        ]
        assert len(matches) == 1, (method, path, matches)
        self.seen.add((matches[0], method.lower()))
        return matches[0], self.ops[(matches[0], method.lower())]

    def call(self, api: Api, method: str, path: str, status: int, **kwargs: Any) -> Any:
        """Make the request; check the body sent, the status and the body returned."""
        _template, op = self.operation(method, path)
        if "json" in kwargs:
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            conforms(self.spec, schema, kwargs["json"], "request")
        resp = api.request(method, path, **kwargs)
        assert resp.status_code == status, (method, path, resp.status_code, resp.text)
        documented = op["responses"].get(str(status)) or op["responses"][f"{status // 100}XX"]
        if status == 204:
            assert resp.content == b""
            return None
        content = documented["content"]
        media = resp.headers["content-type"].split(";")[0]
        assert media in content, (method, path, media, list(content))
        if media != "application/json":
            return resp.content
        body = resp.json()
        conforms(self.spec, content[media]["schema"], body, f"{method} {path}")
        return body


def model(name: str) -> type[Any]:
    found = getattr(models, name, None)
    assert isinstance(found, type), name
    return found


# --- the document itself ------------------------------------------------------------------


def test_every_route_of_the_app_is_documented(platform: Platform, spec: dict[str, Any]) -> None:
    served = app_operations(platform)
    documented = set(operations(spec))
    assert len(served) >= 30
    assert ("/api/v1/rooms/{room_id}/flash-buys", "post") in served
    assert ("/api/v1/health", "get") in served
    assert documented == served
    assert all(path.startswith(API_PREFIX + "/") for path in spec["paths"])
    assert spec["info"]["title"]
    assert spec["info"]["version"]


def test_every_documented_operation_is_served(platform: Platform, spec: dict[str, Any]) -> None:
    """Asked without a token or body, each answers for itself, not as an unknown route."""
    session = requests.Session()
    try:
        for path, method in operations(spec):
            url = platform.url + re.sub(r"\{[^}]+\}", "1", path)
            with session.request(method, url, timeout=30, stream=True) as resp:
                assert resp.status_code != 405, (method, path)
                if resp.status_code == 404:
                    error = resp.json()["error"]
                    assert error["message"] != "no such endpoint", (method, path)
                    assert error["details"], (method, path, error)
        # The check itself can tell an unknown route.
        resp = session.get(platform.url + API_PREFIX + "/no-such-thing", timeout=30)
        assert resp.status_code == 404
        assert resp.json()["error"]["message"] == "no such endpoint"
    finally:
        session.close()


def test_operations_taking_input_document_the_one_error_shape(spec: dict[str, Any]) -> None:
    text = json.dumps(spec)
    assert "HTTPValidationError" not in text
    assert "#/components/schemas/ValidationError" not in text
    taking_input = 0
    for (path, method), op in operations(spec).items():
        assert "422" not in op["responses"], (path, method)
        if not op.get("parameters") and "requestBody" not in op:
            continue
        taking_input += 1
        error = op["responses"].get("4XX")
        assert error is not None, (path, method, list(op["responses"]))
        assert error["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorResponse"
        }, (path, method)
    assert taking_input >= 25

    schemas = spec["components"]["schemas"]
    assert schemas["ErrorResponse"]["required"] == ["error"]
    assert schemas["ErrorResponse"]["properties"] == {
        "error": {"$ref": "#/components/schemas/ErrorBody"}
    }
    assert set(schemas["ErrorBody"]["properties"]) == {"code", "message", "details"}
    assert set(schemas["ErrorBody"]["required"]) == {"code", "message"}
    assert set(schemas["ErrorCode"]["enum"]) == {c.value for c in ErrorCode}


def test_the_components_are_the_protocol_models(spec: dict[str, Any]) -> None:
    """Each documented object has exactly its model's fields and required fields."""
    checked = 0
    for name, schema in spec["components"]["schemas"].items():
        if schema.get("type") != "object":
            continue
        cls = getattr(models, name, None) or getattr(protocol_errors, name, None)
        assert cls is not None, f"{name} is documented but is no flashbuy_protocol model"
        fields = cls.model_fields
        assert set(schema["properties"]) == set(fields), name
        required = {k for k, f in fields.items() if f.is_required()}
        assert set(schema.get("required", ())) == required, name
        checked += 1
    assert checked >= 25


def test_the_picture_upload_documents_jpeg_and_png_bodies(spec: dict[str, Any]) -> None:
    upload = spec["paths"]["/api/v1/pictures"]["post"]
    body = upload["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"image/jpeg", "image/png"}
    for media in body["content"].values():
        assert media["schema"] == {"type": "string", "format": "binary"}
    assert upload["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Picture"
    }
    download = spec["paths"]["/api/v1/pictures/{picture_id}"]["get"]
    assert {"image/jpeg", "image/png"} <= set(download["responses"]["200"]["content"])


# --- real responses against the document --------------------------------------------------


def test_a_real_flashbuy_validates_against_its_model_and_document(
    world: World, spec: dict[str, Any]
) -> None:
    doc = Documented(spec)
    body = world.flashbuy_body(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])
    models.FlashBuyCreate.model_validate(body)
    made = doc.call(world.creator, "POST", f"/rooms/{world.room_id}/flash-buys", 201, json=body)
    fb = models.FlashBuy.model_validate(made)
    assert set(made) == set(models.FlashBuy.model_fields)
    assert fb.room_id == world.room_id
    assert [t.id for t in fb.targets] == [world.viewer_ids[0]]
    op = spec["paths"]["/api/v1/rooms/{room_id}/flash-buys"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FlashBuyCreate"
    }
    assert op["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FlashBuy"
    }


def test_real_responses_of_a_whole_sale_match_the_document(
    world: World, spec: dict[str, Any]
) -> None:
    doc = Documented(spec)
    creator, viewer = world.creator, world.viewers[0]
    anon = world.platform.client()
    try:
        signed = doc.call(
            anon,
            "POST",
            "/auth/sign-in",
            200,
            json={"username": world.username, "password": PASSWORD},
        )
        model("SignInResult").model_validate(signed)
        doc.call(anon, "GET", "/health", 200)
        doc.call(anon, "GET", f"/rooms/{world.room_id}", 200)
        joined = doc.call(
            anon, "POST", f"/rooms/{world.room_id}/join", 200, json={"nickname": "小王"}
        )
        model("JoinResult").model_validate(joined)

        for path in ("/me", "/categories", "/products", "/rooms", "/shipping-templates"):
            doc.call(creator, "GET", path, 200)
        doc.call(creator, "GET", f"/products/{world.product_id}", 200)
        doc.call(creator, "GET", f"/rooms/{world.room_id}/viewers", 200)
        template = doc.call(
            creator,
            "POST",
            "/shipping-templates",
            201,
            json={"name": "偏远加价", "kind": "by_region", "default_fee_fen": 0,
                  "region_fees": {"新疆": 2000}, "excluded_regions": ["西藏"]},
        )  # fmt: skip
        model("ShippingTemplate").model_validate(template)
        doc.call(creator, "GET", f"/shipping-templates/{template['id']}", 200)
        doc.call(
            creator,
            "POST",
            f"/shipping-templates/{template['id']}/quote",
            200,
            json={"region": "新疆"},
        )
        picture = doc.call(
            creator,
            "POST",
            "/pictures",
            201,
            data=png_bytes(color="#a0c8a0"),
            headers={"Content-Type": "image/png"},
        )
        assert model("Picture").model_validate(picture).content_type == "image/png"
        raw = doc.call(creator, "GET", f"/pictures/{picture['id']}", 200)
        assert raw.startswith(b"\x89PNG")

        comment = doc.call(
            viewer, "POST", f"/rooms/{world.room_id}/comments", 201, json={"text": "好看"}
        )
        model("Comment").model_validate(comment)
        doc.call(creator, "GET", f"/rooms/{world.room_id}/comments", 200)

        fb = doc.call(
            creator,
            "POST",
            f"/rooms/{world.room_id}/flash-buys",
            201,
            json=world.flashbuy_body(stock=2, template_id=template["id"]),
        )
        assert model("FlashBuy").model_validate(fb).stock == 2
        offers = doc.call(viewer, "GET", f"/rooms/{world.room_id}/offers", 200)
        assert [o["id"] for o in offers] == [fb["id"]]
        order = doc.call(
            viewer, "POST", f"/flash-buys/{fb['id']}/orders", 201, json={"region": "新疆"}
        )
        assert model("Order").model_validate(order).total_fen == fb["price_fen"] + 2000
        listed = doc.call(creator, "GET", f"/flash-buys/{fb['id']}/orders", 200)
        assert [o["id"] for o in listed] == [order["id"]]
        page = doc.call(creator, "GET", f"/flash-buys?room_id={world.room_id}", 200)
        model("FlashBuyList").model_validate(page)
        doc.call(creator, "GET", f"/flash-buys/{fb['id']}", 200)
        ended = doc.call(creator, "POST", f"/flash-buys/{fb['id']}/end", 200)
        assert ended["status"] == "ended"

        # Refusals have the documented error shape too.
        as_text = {"data": b"{}", "headers": {"Content-Type": "text/plain"}}
        for api, method, path, kwargs in (
            (anon, "GET", "/me", {}),
            (viewer, "GET", "/me", {}),
            (creator, "GET", f"/flash-buys/{fb['id'] + 10_000}", {}),
            (creator, "POST", f"/rooms/{world.room_id}/flash-buys", {"json": {"stock": "2"}}),
            (viewer, "POST", f"/flash-buys/{fb['id']}/orders", {"json": {}}),
            (creator, "POST", "/pictures", as_text),
        ):  # fmt: skip
            resp = api.request(method, path, **kwargs)
            assert 400 <= resp.status_code < 500, (path, resp.status_code, resp.text)
            _template, op = doc.operation(method, path)
            schema = op["responses"]["4XX"]["content"]["application/json"]["schema"]
            conforms(spec, schema, resp.json(), f"{method} {path} -> {resp.status_code}")
            ErrorResponse.model_validate(resp.json())

        doc.call(creator, "POST", f"/rooms/{world.room_id}/end", 200)
        assert len(doc.seen) >= 24
    finally:
        anon.close()


def test_conforms_rejects_what_the_document_does_not_say(
    world: World, spec: dict[str, Any]
) -> None:
    """The checker above can fail: an extra field, a missing one, or a wrong type."""
    fb = world.create_flashbuy()
    schema = {"$ref": "#/components/schemas/FlashBuy"}
    conforms(spec, schema, fb)
    for broken in (
        {**fb, "secret": 1},
        {k: v for k, v in fb.items() if k != "sold"},
        {**fb, "stock": "1"},
        {**fb, "status": "paused"},
        {**fb, "created_at": "yesterday"},
    ):
        with pytest.raises((AssertionError, ValueError)):
            conforms(spec, schema, broken)
    jpeg = world.creator.post(
        "/pictures", data=jpeg_bytes(), headers={"Content-Type": "image/jpeg"}
    )
    assert jpeg.status_code == 201, jpeg.text
    conforms(spec, {"$ref": "#/components/schemas/Picture"}, jpeg.json())


# --- the document is no looser than the platform ------------------------------------------


def body_schema(spec: dict[str, Any], path: str, method: str = "post") -> Any:
    """A JSON Schema validator of an operation's JSON body, as the document states it."""
    op = spec["paths"][API_PREFIX + path][method]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**schema, "components": spec["components"]})


def test_the_idempotency_key_header_states_its_rule(world: World, spec: dict[str, Any]) -> None:
    for (path, method), op in operations(spec).items():
        for param in op.get("parameters", ()):
            if param["name"].lower() == "idempotency-key":
                schema = param["schema"]
                assert schema["minLength"] == 1, (path, method)
                assert schema["maxLength"] == KEY_MAX, (path, method)
                assert schema["pattern"] == KEY_PATTERN, (path, method)
    stated = jsonschema_rs.validator_for({"type": "string", **KEY_SCHEMA})
    path = f"/rooms/{world.room_id}/comments"
    viewer = world.viewers[0]
    # (requests itself refuses to send a value with white space around it or a control)
    for key in ("", "a b", "k" * (KEY_MAX + 1), "é", "a-1", "k" * KEY_MAX, "~!{}"):
        before = snapshot(world.platform.db)
        resp = viewer.post(path, json={"text": "好看"}, headers={"Idempotency-Key": key})
        if stated.is_valid(key):
            assert resp.status_code == 201, (key, resp.text)
        else:
            expect_error(resp, ErrorCode.IDEMPOTENCY_KEY_INVALID)
            assert snapshot(world.platform.db) == before, key


def test_regions_are_an_enum_in_every_body_that_names_one(
    world: World, spec: dict[str, Any]
) -> None:
    schemas = spec["components"]["schemas"]
    regions = {"type": "string", "enum": list(REGIONS)}
    assert {"type": "null"} in schemas["JoinRoom"]["properties"]["region"]["anyOf"]
    assert regions in schemas["JoinRoom"]["properties"]["region"]["anyOf"]
    assert regions in schemas["OrderCreate"]["properties"]["region"]["anyOf"]
    quote = schemas["ShippingQuoteIn"]["properties"]["region"]
    assert {k: v for k, v in quote.items() if k != "title"} == regions
    template = schemas["ShippingTemplateIn"]["properties"]
    assert template["region_fees"]["propertyNames"]["enum"] == list(REGIONS)  # keys: strings
    assert template["excluded_regions"]["items"] == regions
    assert template["excluded_regions"]["uniqueItems"] is True

    # The platform takes exactly the listed names, and says what a region is.
    join = f"/rooms/{world.room_id}/join"
    stated = body_schema(spec, "/rooms/{room_id}/join")
    for region in ("浙江", " 浙江", "浙江省", "Zhejiang", "zhejiang", "", "新疆 "):
        body = {"nickname": "小王", "region": region}
        resp = world.platform.client().post(join, json=body)
        if stated.is_valid(body):
            assert resp.status_code == 200, (region, resp.text)
        else:
            details = expect_error(resp, ErrorCode.VALIDATION_FAILED)
            assert details["errors"][0]["field"] == "region", details
            assert "use a province name such as 浙江" in resp.json()["error"]["message"]


def test_whole_numbers_written_as_floats_are_taken_as_the_integers_they_are(
    world: World, spec: dict[str, Any]
) -> None:
    """JSON does not tell 62 from 62.0 and the document says "integer" (which admits both):
    the platform takes 62.0 as 62, stores and answers an integer, and never rounds."""
    create = spec["components"]["schemas"]["FlashBuyCreate"]["properties"]
    for name in ("product_id", "price_fen", "stock", "template_id"):
        assert create[name]["type"] == "integer", name
    assert create["target_viewer_ids"]["items"]["type"] == "integer"
    # An id is a 64-bit signed integer (1 .. 2**63 - 1): OpenAPI's int64, no rounded maximum.
    for schema in (create["product_id"], create["target_viewer_ids"]["items"]):
        assert schema["format"] == "int64"
        assert schema["minimum"] == 1
        assert "maximum" not in schema
        assert "exclusiveMaximum" not in schema

    body = world.flashbuy_body(
        mode="targeted",
        product_id=float(world.product_id),
        template_id=float(world.template_id),
        price_fen=128_800.0,
        stock=2.0,
        target_viewer_ids=[float(world.viewer_ids[0])],
    )
    made = world.creator.ok("POST", f"/rooms/{world.room_id}/flash-buys", 201, json=body)
    assert (made["price_fen"], made["stock"], made["product_id"]) == (
        128_800,
        2,
        world.product_id,
    )
    assert all(type(made[k]) is int for k in ("price_fen", "stock", "product_id", "template_id"))
    assert [t["id"] for t in made["targets"]] == [world.viewer_ids[0]]
    template = world.creator.ok(
        "POST",
        "/shipping-templates",
        201,
        json={"name": "平邮", "kind": "flat", "flat_fee_fen": 800.0},
    )
    assert template["flat_fee_fen"] == 800
    assert type(template["flat_fee_fen"]) is int

    # A retry that writes the same number the other way is the same request.
    key = {"Idempotency-Key": "whole-float-retry"}
    plain = world.flashbuy_body(price_fen=99_900)
    first = world.creator.ok(
        "POST", f"/rooms/{world.room_id}/flash-buys", 201, json=plain, headers=key
    )
    again = world.creator.ok(
        "POST",
        f"/rooms/{world.room_id}/flash-buys",
        201,
        json={**plain, "price_fen": 99_900.0},
        headers=key,
    )
    assert again == first

    # Not whole, not a number, or past what a float holds exactly: refused, nothing written.
    for overrides, field_ in (
        ({"price_fen": 128_800.5}, "price_fen"),
        ({"price_fen": "128800"}, "price_fen"),
        ({"price_fen": True}, "price_fen"),
        ({"stock": 1.5}, "stock"),
        ({"stock": float("1e4")}, "stock"),
        ({"product_id": 2.0**53 + 2}, "product_id"),
        ({"product_id": 2**63}, "product_id"),
    ):
        before = snapshot(world.platform.db)
        resp = world.creator.post(
            f"/rooms/{world.room_id}/flash-buys", json=world.flashbuy_body(**overrides)
        )
        details = expect_error(resp, ErrorCode.VALIDATION_FAILED)
        assert [e["field"] for e in details["errors"]] == [field_], (overrides, details)
        assert snapshot(world.platform.db) == before, overrides


def test_the_largest_id_is_taken_and_one_past_it_is_refused(world: World) -> None:
    path = f"/rooms/{world.room_id}/flash-buys"
    resp = world.creator.post(path, json=world.flashbuy_body(product_id=2**63 - 1))
    expect_error(resp, ErrorCode.NOT_FOUND)  # a well-formed id no product has
    resp = world.creator.post(path, json=world.flashbuy_body(product_id=2**63))
    expect_error(resp, ErrorCode.VALIDATION_FAILED)


def test_required_text_that_is_blank_once_trimmed_is_refused_by_the_document_too(
    world: World, spec: dict[str, Any]
) -> None:
    stated = body_schema(spec, "/rooms/{room_id}/comments")
    viewer = world.viewers[0]
    for text in (" ", "\u3000\t", "\u200b", "好看", " 好看 "):
        body = {"text": text}
        resp = viewer.post(f"/rooms/{world.room_id}/comments", json=body)
        if stated.is_valid(body):
            assert resp.status_code == 201, (text, resp.text)
        else:
            expect_error(resp, ErrorCode.VALIDATION_FAILED)
    assert not stated.is_valid({"text": " "})
    assert stated.is_valid({"text": " 好看 "})


TEMPLATES = [
    pytest.param({"name": "包邮", "kind": "free"}, True, id="free"),
    pytest.param({"name": "包邮", "kind": "free", "excluded_regions": ["西藏"]}, True,
                 id="free-excluding"),
    pytest.param({"name": "包邮", "kind": "free", "flat_fee_fen": 500}, False,
                 id="free-with-fee"),
    pytest.param({"name": "包邮", "kind": "free", "region_fees": {"新疆": 1}}, False,
                 id="free-with-region-fee"),
    pytest.param({"name": "平邮", "kind": "flat", "flat_fee_fen": 800}, True, id="flat"),
    pytest.param({"name": "平邮", "kind": "flat"}, False, id="flat-without-fee"),
    pytest.param({"name": "平邮", "kind": "flat", "flat_fee_fen": None}, False,
                 id="flat-null-fee"),
    pytest.param({"name": "平邮", "kind": "flat", "flat_fee_fen": 800, "default_fee_fen": 0},
                 False, id="flat-with-default"),
    pytest.param({"name": "平邮", "kind": "flat", "flat_fee_fen": 800,
                  "region_fees": {"新疆": 1}}, False, id="flat-with-region-fee"),
    pytest.param({"name": "偏远", "kind": "by_region", "default_fee_fen": 0,
                  "region_fees": {"新疆": 2000}, "excluded_regions": ["西藏"]}, True,
                 id="by-region"),
    pytest.param({"name": "偏远", "kind": "by_region", "region_fees": {"新疆": 2000}}, False,
                 id="by-region-without-default"),
    pytest.param({"name": "偏远", "kind": "by_region", "default_fee_fen": 0,
                  "flat_fee_fen": 1}, False, id="by-region-with-flat"),
    pytest.param({"name": "偏远", "kind": "by_region", "default_fee_fen": 0,
                  "region_fees": {"新疆": 2000}, "excluded_regions": ["新疆"]}, False,
                 id="by-region-fee-and-excluded"),
    pytest.param({"name": "偏远", "kind": "by_region", "default_fee_fen": 0,
                  "excluded_regions": ["西藏", "西藏"]}, False, id="excluded-twice"),
    pytest.param({"name": "偏远", "kind": "by_region", "default_fee_fen": 0,
                  "region_fees": {"火星": 1}}, False, id="unknown-region-fee"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "valid"), TEMPLATES)
def test_the_template_kind_rules_are_in_the_document_as_on_the_platform(
    world: World, spec: dict[str, Any], body: dict[str, Any], valid: bool
) -> None:
    """The document says which fields go with which kind; the platform agrees, both ways."""
    stated = body_schema(spec, "/shipping-templates")
    assert stated.is_valid(body) is valid
    assert len(spec["components"]["schemas"]["ShippingTemplateIn"]["oneOf"]) == len(TemplateKind)
    before = snapshot(world.platform.db)
    resp = world.creator.post("/shipping-templates", json=body)
    if valid:
        assert resp.status_code == 201, resp.text
    else:
        details = expect_error(resp, ErrorCode.VALIDATION_FAILED)
        assert details["errors"], details
        assert snapshot(world.platform.db) == before
