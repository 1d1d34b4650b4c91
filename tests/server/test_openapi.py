"""The platform's OpenAPI document: complete, honest about errors, true to real responses."""

import json
import re
from datetime import datetime
from typing import Any

import fastapi.routing
import pytest
import requests

from flashbuy_protocol import errors as protocol_errors
from flashbuy_protocol import models
from flashbuy_protocol.errors import ErrorCode, ErrorResponse
from flashbuy_server.app import API_PREFIX
from tests.support import PASSWORD, Api, Platform, World, jpeg_bytes, png_bytes

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
    assert found is not None, name
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
