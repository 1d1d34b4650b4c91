"""Stopping the platform process and starting it again loses nothing.

Arranged with the admin command line, driven over HTTP against a real
``python -m flashbuy_server serve`` process, which is stopped with SIGTERM and
started again on the same database.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from flashbuy_protocol.errors import ErrorCode
from tests.support import (
    PASSWORD,
    Api,
    ServerProcess,
    SseClient,
    expect_error,
    jpeg_bytes,
    unique,
)


def admin(url: str, *args: str, stdin: str = "") -> dict[str, Any]:
    """Run an admin command that must succeed; the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "flashbuy_server", "--database-url", url, "admin", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, (args, done.returncode, done.stderr)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def server(database_url: str) -> Iterator[ServerProcess]:
    """The platform as a process of its own; always stopped, whatever the test did."""
    process = ServerProcess(database_url)
    try:
        yield process
    finally:
        process.stop()


def events_up_to(api: Api, room_id: int, last_id: int) -> list[dict[str, Any]]:
    """The creator's event stream of the room replayed from the start up to ``last_id``."""
    stream = SseClient(api, f"/rooms/{room_id}/events?after=0")
    try:
        assert stream.status == 200, stream.error_body
        return stream.until_id(last_id)
    finally:
        stream.close()


def test_a_restart_keeps_shops_tokens_rooms_flashbuys_orders_and_events(
    database_url: str, server: ServerProcess
) -> None:
    # --- arranged with the admin command line, before any server ran
    shop_name, username = unique("翠玉坊"), unique("creator")
    shop_id = admin(database_url, "create-shop", shop_name, "--qualified")["shop_id"]
    creator_id = admin(
        database_url,
        "create-creator",
        username,
        "--display-name",
        "阿翠",
        "--invited",
        stdin=PASSWORD + "\n",
    )["creator_id"]
    admin(database_url, "bind", "--creator", str(creator_id), "--shop", str(shop_id))
    category_id = admin(database_url, "create-category", unique("翡翠"), "--approved")[
        "category_id"
    ]
    product_id = admin(
        database_url,
        "create-product",
        "冰种手镯",
        "--shop",
        str(shop_id),
        "--category",
        str(category_id),
    )["product_id"]

    # --- a live with one of two pieces sold, over HTTP
    server.start()
    anon = server.client()
    signed = anon.ok("POST", "/auth/sign-in", json={"username": username, "password": PASSWORD})
    assert signed["creator"]["shops"] == [{"id": shop_id, "name": shop_name, "qualified": True}]
    creator = server.client(signed["token"])
    room_id = creator.ok("POST", "/rooms", 201, json={"title": "翡翠专场"})["id"]
    template_id = creator.ok(
        "POST", "/shipping-templates", 201, json={"name": "包邮", "kind": "free"}
    )["id"]
    picture = jpeg_bytes(color="#2e8b57")
    picture_id = creator.ok(
        "POST", "/pictures", 201, data=picture, headers={"Content-Type": "image/jpeg"}
    )["id"]
    first = anon.ok("POST", f"/rooms/{room_id}/join", json={"nickname": "小李", "region": "浙江"})
    first_viewer = server.client(first["token"])
    fb = creator.ok(
        "POST",
        f"/rooms/{room_id}/flash-buys",
        201,
        json={
            "product_id": product_id,
            "mode": "full",
            "title": "3号 冰种翡翠手镯",
            "piece_no": "3",
            "price_fen": 128_800,
            "stock": 2,
            "picture_id": picture_id,
            "template_id": template_id,
        },
    )
    order = first_viewer.ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={})

    before = {
        "me": creator.ok("GET", "/me"),
        "room": creator.ok("GET", f"/rooms/{room_id}"),
        "flashbuy": creator.ok("GET", f"/flash-buys/{fb['id']}"),
        "orders": creator.ok("GET", f"/flash-buys/{fb['id']}/orders"),
        "product": creator.ok("GET", f"/products/{product_id}"),
        "template": creator.ok("GET", f"/shipping-templates/{template_id}"),
        "viewers": creator.ok("GET", f"/rooms/{room_id}/viewers"),
    }
    assert before["flashbuy"]["sold"] == 1
    assert before["flashbuy"]["status"] == "active"
    assert [o["id"] for o in before["orders"]] == [order["id"]]
    last_event_id = before["room"]["last_event_id"]
    assert last_event_id >= 4  # live started, viewer joined, flash-buy created, order placed
    events_before = events_up_to(creator, room_id, last_event_id)
    assert [e["id"] for e in events_before] == list(range(1, last_event_id + 1))
    for api in (anon, creator, first_viewer):
        api.close()

    # --- stopped as an operator stops it, and started again on the same database
    code = server.stop()
    assert code is not None
    assert server.stopped_cleanly, server.log
    server.start()

    anon = server.client()
    creator = server.client(signed["token"])  # the token from before the restart
    first_viewer = server.client(first["token"])
    try:
        health = anon.ok("GET", "/health")
        assert health["status"] == "ok"
        after = {
            "me": creator.ok("GET", "/me"),
            "room": creator.ok("GET", f"/rooms/{room_id}"),
            "flashbuy": creator.ok("GET", f"/flash-buys/{fb['id']}"),
            "orders": creator.ok("GET", f"/flash-buys/{fb['id']}/orders"),
            "product": creator.ok("GET", f"/products/{product_id}"),
            "template": creator.ok("GET", f"/shipping-templates/{template_id}"),
            "viewers": creator.ok("GET", f"/rooms/{room_id}/viewers"),
        }
        assert after == before
        assert after["room"]["status"] == "live"
        assert after["flashbuy"]["sold"] == 1
        assert after["flashbuy"]["status"] == "active"
        assert events_up_to(creator, room_id, last_event_id) == events_before
        stored = anon.get(f"/pictures/{picture_id}")
        assert stored.status_code == 200
        assert stored.content == picture

        # The first buyer is still known, and still cannot buy a second piece.
        assert [o["id"] for o in first_viewer.ok("GET", f"/rooms/{room_id}/offers")] == [fb["id"]]
        expect_error(
            first_viewer.post(f"/flash-buys/{fb['id']}/orders", json={}),
            ErrorCode.ALREADY_PURCHASED,
        )

        # A new viewer buys the second piece, which sells the flash-buy out.
        second = anon.ok("POST", f"/rooms/{room_id}/join", json={"nickname": "小王"})
        second_viewer = server.client(second["token"])
        assert second["viewer"]["id"] != first["viewer"]["id"]
        last = second_viewer.ok("POST", f"/flash-buys/{fb['id']}/orders", 201, json={})
        assert last["id"] > order["id"]
        sold_out = creator.ok("GET", f"/flash-buys/{fb['id']}")
        assert (sold_out["sold"], sold_out["status"]) == (2, "sold_out")
        orders = creator.ok("GET", f"/flash-buys/{fb['id']}/orders")
        assert [o["id"] for o in orders] == [order["id"], last["id"]]
        # Sold out, its last piece held: the buyer who holds it is told it is theirs.
        expect_error(
            second_viewer.post(f"/flash-buys/{fb['id']}/orders", json={}),
            ErrorCode.ALREADY_PURCHASED,
        )
        second_viewer.close()

        # Event ids go on from where they stopped: no gap, no reuse.
        newest = creator.ok("GET", f"/rooms/{room_id}")["last_event_id"]
        assert newest > last_event_id
        events = events_up_to(creator, room_id, newest)
        assert events[:last_event_id] == events_before
        assert [e["id"] for e in events] == list(range(1, newest + 1))
        assert "flashbuy.sold_out" in [e["type"] for e in events[last_event_id:]]

        # And the admin command line sees the same shop and creator the server used.
        listed = admin(server.database_url, "list")
        assert [s["name"] for s in listed["shops"]] == [shop_name]
        assert [c["username"] for c in listed["creators"]] == [username]
    finally:
        for api in (anon, creator, first_viewer):
            api.close()
