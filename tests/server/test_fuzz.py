"""Fuzzing: Schemathesis sends the real platform what its OpenAPI document allows, and what
it does not, and checks every answer against the document.

Each operation is fuzzed with bodies, parameters and headers drawn from the document
(positive) and from its negation (negative), once with ids it draws and once with the real
ids of a signed-in creator's world, under the token the operation needs. Every answer must:
not be a 5xx; have a status, a content type and a body the document names; and, for a
positive request, not be refused as malformed (the document is no looser than the
platform); for a negative one, be refused (the platform no looser than the document).

Bounded and reproducible: a fixed number of examples per operation, a fixed seed, no
shrinking (a failure is reported as the exact request, as curl). FLASHBUY_FUZZ_EXAMPLES
and FLASHBUY_FUZZ_SEED change them for a longer, exploratory run.
"""

import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import fastapi.routing
import jsonschema_rs
import pytest
import requests
import schemathesis
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation, BaseSchema

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import trim
from flashbuy_server import deps
from flashbuy_server.config import Settings
from flashbuy_server.server import ServerThread
from tests.support import Platform, World, make_world

EXAMPLES = int(os.environ.get("FLASHBUY_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FLASHBUY_FUZZ_SEED", "20261207"))
REQUEST_TIMEOUT_S = 30
# Event streams answer a real room with a stream that never ends; tests/server/test_streams.py
# and test_stream_floods.py drive them.
STREAMS = {"/api/v1/rooms/{room_id}/events", "/api/v1/rooms/{room_id}/viewer-events"}
# The refusals that mean "the request is not what the document allows": a request drawn from
# the document must never get one of them.
MALFORMED = {
    ErrorCode.VALIDATION_FAILED.value,
    ErrorCode.MALFORMED_JSON.value,
    ErrorCode.IDEMPOTENCY_KEY_INVALID.value,
}
# A problem report's body is a zip: sent as the bytes drawn, like any binary body.
schemathesis.serializer.alias("application/zip", "application/octet-stream")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@dataclass
class Tally:
    """What the fuzz sent and got, for its summary line."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    by_operation: defaultdict[str, Counter[int]] = field(
        default_factory=lambda: defaultdict(Counter)
    )


def positive_data_accepted(_ctx: Any, response: Any, case: Any) -> bool | None:
    """A request drawn from the document is never refused as malformed.

    Schemathesis' own positive_data_acceptance asks for a 2xx, 404, 409...; this platform
    refuses well-formed requests for what they point at (a picture that is not there: 422
    PICTURE_NOT_FOUND), so only the codes of a malformed request count against it.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if 400 <= response.status_code < 500:
        try:
            code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return None  # the other checks say what is wrong with such a body
        assert code not in MALFORMED, (
            f"a request the document allows was refused as malformed: {response.text}"
        )
    return None


def trimmed(value: Any) -> Any:
    """``value`` with every string trimmed as the platform trims text fields."""
    if isinstance(value, str):
        return trim(value)
    if isinstance(value, list):
        return [trimmed(item) for item in value]
    if isinstance(value, dict):
        return {key: trimmed(item) for key, item in value.items()}
    return value


def body_validator(document: dict[str, Any], case: Any) -> Any:
    """A JSON Schema validator of ``case``'s JSON body as the document states it."""
    operation = document["paths"][case.operation.path][case.operation.method.lower()]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**schema, "components": document["components"]})


def negative_data_rejected(document: dict[str, Any]) -> Any:
    """Schemathesis' negative_data_rejection, except for text the platform trims first.

    A title of 61 characters of which the first is a space is longer than the document's
    maxLength, but the platform trims it and keeps 60: JSON Schema has no length after
    trimming. Such a request is excused when its body, trimmed, is what the document allows.
    """

    def check(ctx: Any, response: Any, case: Any) -> bool | None:
        try:
            rejected: bool | None = schemathesis.checks.negative_data_rejection(ctx, response, case)
            return rejected
        except AcceptedNegativeData:
            if isinstance(case.body, dict) and case.media_type == "application/json":
                validator = body_validator(document, case)
                if not validator.is_valid(case.body) and validator.is_valid(trimmed(case.body)):
                    return None
            raise

    return check


def viewer_operations(platform: Platform) -> set[tuple[str, str]]:
    """(METHOD, path) of the routes that take a viewer's token, as the app declares them,
    and joining, whose optional token is a viewer's (to enter again as the same viewer)."""

    def needs_viewer(dependant: Any) -> bool:
        return any(d.call is deps.require_viewer or needs_viewer(d) for d in dependant.dependencies)

    found = {("POST", "/api/v1/rooms/{room_id}/join")}
    for context in fastapi.routing.iter_route_contexts(platform.server.app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and needs_viewer(route.dependant):
            found |= {(method, str(context.path)) for method in route.methods or ()}
    return found


@pytest.fixture
def fuzzed(database_url: str) -> Iterator[Platform]:
    """A platform of its own: what the fuzz creates stays out of other tests' way."""
    # Floods are throttled (429, which the document allows); here the fuzz's thousands of
    # joins and comments should reach what they fuzz. tests/server/test_throttle.py holds
    # the throttles themselves.
    unthrottled = Settings(
        database_url=database_url,
        join_burst_per_address=1_000_000,
        join_burst_per_room=1_000_000,
        comment_burst_per_viewer=1_000_000,
    )
    server = ServerThread(unthrottled).start()
    try:
        yield Platform(server, "fuzz")
    finally:
        server.stop()
        server.app.state.db.dispose()


def real_ids(world: World) -> dict[str, Any]:
    """The world's ids under the names of the document's path parameters."""
    flashbuy = world.create_flashbuy(stock=5)
    return {
        "room_id": world.room_id,
        "product_id": world.product_id,
        "template_id": world.template_id,
        "picture_id": world.picture_id,
        "flashbuy_id": flashbuy["id"],
    }


def negatable(operation: Any, fixed: dict[str, Any] | None) -> bool:
    """Whether some input of ``operation`` can be drawn against the document.

    Not the token (it is the world's), nor a path parameter given the world's id, nor the
    bytes of a picture or a report (any bytes are what the document allows; the platform
    tells a picture from other bytes, with 415), nor the media type that goes with them.
    """
    return bool(
        any(body.media_type == "application/json" for body in operation.body)
        or list(operation.query)
        or any(
            header.name.lower() not in {"authorization", "content-type"}
            for header in operation.headers
        )
        or any(p.name not in (fixed or {}) for p in operation.path_parameters)
    )


def fuzz_operation(
    base_url: str,
    operation: Any,
    mode: GenerationMode,
    path_parameters: dict[str, Any] | None,
    headers: dict[str, str],
    checks: list[Any],
    tally: Tally,
    number: int,
) -> None:
    """Send ``EXAMPLES`` requests drawn for ``operation``; record any failure in ``tally``."""
    names = {p.name for p in operation.path_parameters}
    fixed = {k: v for k, v in (path_parameters or {}).items() if k in names} or None
    where = "its ids" if fixed else "drawn ids"
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
    session = requests.Session()

    @seed(SEED + number)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(base_url, headers=headers, session=session, timeout=REQUEST_TIMEOUT_S)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        tally.by_operation[operation.label][response.status_code] += 1
        case.validate_response(response, checks=checks, headers=headers)

    try:
        run()
    except (BaseExceptionGroup, Unsatisfiable) as exc:  # one must not hide another's
        tally.failures.append(f"{operation.label} ({mode.value}, {where}):\n{exc}")
    finally:
        session.close()


@pytest.mark.slow
def documented(schema: BaseSchema) -> list[APIOperation[Any, Any, Any, Any]]:
    """Every operation of the document; one it cannot read fails the test, named."""
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        found.append(result.ok())
    return found


def test_the_platform_holds_to_its_document_under_fuzzing(fuzzed: Platform) -> None:
    schema = schemathesis.openapi.from_url(fuzzed.url + "/openapi.json")
    document = requests.get(fuzzed.url + "/openapi.json", timeout=REQUEST_TIMEOUT_S).json()
    checks = [*CHECKS, positive_data_accepted, negative_data_rejected(document)]
    viewers = viewer_operations(fuzzed)
    assert ("POST", "/api/v1/flash-buys/{flashbuy_id}/orders") in viewers
    operations = [op for op in documented(schema) if op.path not in STREAMS]
    assert len(operations) >= 30
    tally = Tally()
    started = time.monotonic()
    for number, operation in enumerate(operations):
        # A world per operation: signing out, ending the live or deleting the template
        # spoils only that operation's own world.
        world = make_world(fuzzed, viewers=1)
        began = time.monotonic()
        try:
            ids = real_ids(world)
            who = (
                world.viewers[0]
                if (operation.method.upper(), operation.path) in viewers
                else world.creator
            )
            headers = {"Authorization": f"Bearer {who.token}"}
            variants = [
                (mode, path_parameters)
                for path_parameters in (None, ids)
                if path_parameters is None or operation.path_parameters
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                if mode is GenerationMode.POSITIVE or negatable(operation, path_parameters)
            ]
            for variant, (mode, path_parameters) in enumerate(variants):
                run_number = number * 4 + variant
                fuzz_operation(
                    fuzzed.url, operation, mode, path_parameters, headers, checks, tally, run_number
                )
        finally:
            world.close()
            tally.seconds[operation.label] = time.monotonic() - began
    elapsed = time.monotonic() - started
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(  # the figures of the run, shown with -s or on failure
        f"fuzz: {len(operations)} operations, {tally.requests} requests in {elapsed:.1f} s, "
        f"{server_errors} 5xx, statuses {dict(sorted(tally.statuses.items()))}"
    )
    slowest = sorted(tally.seconds.items(), key=lambda item: item[1], reverse=True)[:5]
    print("fuzz: slowest", [(label, round(s, 1)) for label, s in slowest])
    for label, statuses in tally.by_operation.items():
        print(f"fuzz: {label}: {dict(sorted(statuses.items()))}")
    assert not tally.failures, "\n\n".join(tally.failures)
    assert server_errors == 0
    assert tally.requests >= len(operations) * 4 * EXAMPLES // 2


def test_the_fuzz_finds_a_document_looser_than_the_platform(fuzzed: Platform) -> None:
    """Without the template kind rules, the document allows a flat template without its fee:
    the same fuzz, on that document, says so (the checks above can fail)."""
    document = requests.get(fuzzed.url + "/openapi.json", timeout=REQUEST_TIMEOUT_S).json()
    del document["components"]["schemas"]["ShippingTemplateIn"]["oneOf"]
    looser = schemathesis.openapi.from_dict(document)
    operation = looser["/api/v1/shipping-templates"]["POST"]
    world = make_world(fuzzed, viewers=0)
    tally = Tally()
    try:
        headers = {"Authorization": f"Bearer {world.creator.token}"}
        checks = [*CHECKS, positive_data_accepted]
        mode = GenerationMode.POSITIVE
        fuzz_operation(fuzzed.url, operation, mode, None, headers, checks, tally, 0)
    finally:
        world.close()
    assert len(tally.failures) == 1, tally.failures
    assert "positive_data_accepted" in tally.failures[0]
    assert "VALIDATION_FAILED" in tally.failures[0]


def test_trimmed_trims_every_string_of_a_body_as_the_platform_does() -> None:
    body = {"name": "\u3000包邮 ", "kind": "free", "excluded_regions": [" 西藏"], "n": 1}
    assert trimmed(body) == {"name": "包邮", "kind": "free", "excluded_regions": ["西藏"], "n": 1}
