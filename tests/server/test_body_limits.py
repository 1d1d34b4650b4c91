"""Bodies are bounded before they are read, and callers are decided before their body.

An anonymous 100 MB sign-in used to be read and parsed whole (+300 MB per request), and a
create without a token was told 401 only after its whole body had arrived. These send
what an attacker sends, over a raw socket where requests would insist on sending it all.
"""

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from flashbuy_protocol.errors import ErrorCode
from flashbuy_protocol.limits import (
    COMMENT_MAX,
    FEE_MAX_FEN,
    ID_MAX,
    NOTE_MAX,
    PICTURE_MAX_BYTES,
    PICTURE_MAX_SIDE,
    PIECE_NO_MAX,
    REGIONS,
    TARGETS_MAX,
    TEMPLATE_NAME_MAX,
    TITLE_MAX,
)
from flashbuy_server import images
from flashbuy_server.guard import JSON_BODY_MAX
from flashbuy_server.images import DECODES_AT_ONCE
from flashbuy_server.slots import slots_of
from tests.held import Held
from tests.server.rawhttp import closed_after, connect, head, read_response
from tests.support import World, expect_error, png_bytes, snapshot

HUGE = 100 * 1024 * 1024
EMOJI = "\U0001f48e"  # 💎: twelve bytes once \u-escaped, the most a character can cost


def _promise(world: World, method: str, path: str, length: int, **headers: str) -> Any:
    """Send only the headers of a request that promises ``length`` body bytes; the answer."""
    sock = connect(world.platform.url)
    try:
        sock.sendall(head(method, "/api/v1" + path, {"Content-Length": str(length), **headers}))
        response = read_response(sock)
        assert closed_after(sock), "the connection stayed open for the unread body"
    finally:
        sock.close()
    return response


def _error(response: Any, code: ErrorCode) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code, body
    assert response.status == 413 if code.endswith("TOO_LARGE") else True
    details: dict[str, Any] = body["error"]["details"]
    return details


def test_an_anonymous_huge_sign_in_is_refused_before_its_body(world: World) -> None:
    response = _promise(
        world, "POST", "/auth/sign-in", HUGE, **{"Content-Type": "application/json"}
    )
    assert response.status == 413
    details = _error(response, ErrorCode.BODY_TOO_LARGE)
    assert details == {"max_bytes": JSON_BODY_MAX, "size_bytes": HUGE}


def _chunks(total: int, start: bytes = b'{"nickname": "') -> Iterator[bytes]:
    yield start
    sent = len(start)
    while sent < total:
        yield b"a" * 4096
        sent += 4096


def test_a_chunked_body_is_refused_once_it_passes_the_limit(world: World) -> None:
    before = snapshot(world.platform.db)
    resp = requests.post(
        f"{world.platform.api_url}/rooms/{world.room_id}/join",
        data=_chunks(HUGE),  # a generator: sent chunked, with no Content-Length
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    details = expect_error(resp, ErrorCode.BODY_TOO_LARGE)
    # Refused at the first read past the limit: what uvicorn had buffered by then (it
    # stops reading a connection at 64 KiB unread), never the 100 MB.
    assert JSON_BODY_MAX < details["size_bytes"] <= JSON_BODY_MAX + 256 * 1024
    assert resp.headers["connection"] == "close"
    assert snapshot(world.platform.db) == before


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("nobody", ErrorCode.UNAUTHENTICATED),
        ("bad-token", ErrorCode.UNAUTHENTICATED),
        ("viewer", ErrorCode.FORBIDDEN),
    ],
)
def test_a_caller_who_may_not_is_refused_before_the_body(
    world: World, who: str, code: ErrorCode
) -> None:
    tokens = {"nobody": None, "bad-token": "x" * 40, "viewer": world.viewers[0].token}
    token = tokens[who]
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    # 100 MB promised, not one byte sent: the answer comes all the same.
    response = _promise(
        world, "POST", f"/rooms/{world.room_id}/flash-buys", HUGE, **auth,
        **{"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status == (403 if code is ErrorCode.FORBIDDEN else 401)
    _error(response, code)


def test_a_creator_is_decided_before_a_malformed_body_is_read(world: World) -> None:
    resp = requests.post(
        f"{world.platform.api_url}/rooms/{world.room_id}/flash-buys",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    expect_error(resp, ErrorCode.UNAUTHENTICATED)


def test_a_signed_in_creator_s_huge_body_is_refused_too(world: World) -> None:
    response = _promise(
        world, "POST", f"/rooms/{world.room_id}/flash-buys", HUGE,
        Authorization=f"Bearer {world.creator.token}", **{"Content-Type": "application/json"},
    )  # fmt: skip
    _error(response, ErrorCode.BODY_TOO_LARGE)


def _escaped(body: dict[str, Any]) -> bytes:
    """The body as a client that escapes every non-ASCII character sends it: the longest."""
    return json.dumps(body, ensure_ascii=True).encode()


def test_the_largest_legitimate_bodies_fit_the_limit(world: World) -> None:
    template = {
        "name": EMOJI * TEMPLATE_NAME_MAX,
        "kind": "by_region",
        "default_fee_fen": FEE_MAX_FEN,
        "region_fees": dict.fromkeys(REGIONS, FEE_MAX_FEN),
    }
    data = _escaped(template)
    assert len(data) < JSON_BODY_MAX / 4
    world.creator.ok(
        "POST", "/shipping-templates", 201, data=data, headers={"Content-Type": "application/json"}
    )

    flashbuy = world.flashbuy_body(
        title=EMOJI * TITLE_MAX,
        piece_no="9" * PIECE_NO_MAX,
        note=EMOJI * NOTE_MAX,
        mode="targeted",
        target_viewer_ids=[ID_MAX - i for i in range(TARGETS_MAX)],
    )
    data = _escaped(flashbuy)
    assert len(data) < JSON_BODY_MAX / 2
    resp = world.creator.post(
        f"/rooms/{world.room_id}/flash-buys",
        data=data,
        headers={"Content-Type": "application/json"},
    )
    # Read whole and judged on its merits: those viewers are not in the room.
    expect_error(resp, ErrorCode.TARGET_NOT_IN_ROOM)

    comment = _escaped({"text": EMOJI * COMMENT_MAX})
    assert len(comment) < JSON_BODY_MAX / 4
    world.viewers[0].ok(
        "POST",
        f"/rooms/{world.room_id}/comments",
        201,
        data=comment,
        headers={"Content-Type": "application/json"},
    )


# --- pictures -------------------------------------------------------------------------


def test_a_picture_over_the_byte_limit_is_refused_on_its_content_length(world: World) -> None:
    response = _promise(
        world, "POST", "/pictures", PICTURE_MAX_BYTES + 1,
        Authorization=f"Bearer {world.creator.token}", **{"Content-Type": "image/png"},
    )  # fmt: skip
    details = _error(response, ErrorCode.PICTURE_TOO_LARGE)
    assert details["max_bytes"] == PICTURE_MAX_BYTES


def test_an_anonymous_picture_is_refused_before_its_body(world: World) -> None:
    response = _promise(world, "POST", "/pictures", HUGE, **{"Content-Type": "image/png"})
    _error(response, ErrorCode.UNAUTHENTICATED)


def test_a_chunked_picture_is_refused_once_it_passes_the_limit(world: World) -> None:
    before = snapshot(world.platform.db)
    resp = world.creator.post(
        "/pictures",
        data=_chunks(PICTURE_MAX_BYTES * 2, start=png_bytes(8, 8)),
        headers={"Content-Type": "image/png"},
    )
    details = expect_error(resp, ErrorCode.PICTURE_TOO_LARGE)
    assert details["max_bytes"] == PICTURE_MAX_BYTES
    assert snapshot(world.platform.db) == before


def test_a_picture_that_decodes_large_is_checked_without_its_pixels(world: World) -> None:
    data = png_bytes(PICTURE_MAX_SIDE, PICTURE_MAX_SIDE)  # tens of KB, 64 MB as pixels
    assert len(data) < 1024 * 1024
    picture = world.creator.ok(
        "POST", "/pictures", 201, data=data, headers={"Content-Type": "image/png"}
    )
    assert (picture["width"], picture["height"]) == (PICTURE_MAX_SIDE, PICTURE_MAX_SIDE)


def test_only_a_few_pictures_are_decoded_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    senders = DECODES_AT_ONCE + 3
    held = Held(images.store)
    monkeypatch.setattr(images, "store", held.call)
    slots = slots_of(world.platform.server.app, "picture_slots", DECODES_AT_ONCE)
    results: list[int] = []

    def send(i: int) -> None:
        client = world.platform.client(world.creator.token)
        try:
            resp = client.post(
                "/pictures", data=png_bytes(16 + i, 16), headers={"Content-Type": "image/png"}
            )
            results.append(resp.status_code)
        finally:
            client.close()

    gate = slots.run

    async def counted(job: Any, *args: Any) -> Any:
        held.arrive()  # read whole, at the gate
        return await gate(job, *args)

    monkeypatch.setattr(slots, "run", counted)
    threads = [threading.Thread(target=send, args=(i,)) for i in range(senders)]
    for thread in threads:
        thread.start()
    try:
        with held.changed:
            assert held.changed.wait_for(
                lambda: held.arrived == senders and held.running == DECODES_AT_ONCE, 60
            ), (held.arrived, held.running)
            # Every body is read; the others wait for a slot instead of decoding too.
            assert not held.changed.wait_for(lambda: held.running > DECODES_AT_ONCE, 1)
    finally:
        held.release.set()
        for thread in threads:
            thread.join(60)
    assert results == [201] * senders
    assert held.peak == DECODES_AT_ONCE
    assert (slots.running, slots.waiting) == (0, 0)
