"""Platform processes sharing one PostgreSQL: a change made through one reaches streams on all."""

from collections.abc import Iterator

import pytest

from flashbuy_server import accounts, catalog
from flashbuy_server.db import Database
from flashbuy_server.migrate import upgrade
from tests.conftest import require_backend
from tests.support import (
    PASSWORD,
    Api,
    ServerProcess,
    SseClient,
    fresh_postgres_database,
    jpeg_bytes,
    unique,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_processes() -> Iterator[tuple[ServerProcess, ServerProcess, Database]]:
    require_backend("postgres")
    with fresh_postgres_database() as url:
        db = Database(url, pool_size=2)
        upgrade(db)
        a, b = ServerProcess(url), ServerProcess(url)
        try:
            a.start()
            b.start()
            yield a, b, db
        finally:
            a.stop()
            b.stop()
            db.dispose()


def test_a_flashbuy_made_through_one_process_reaches_a_viewer_on_another(
    two_processes: tuple[ServerProcess, ServerProcess, Database],
) -> None:
    a, b, db = two_processes
    username = unique("creator")
    with db.write() as conn:
        shop = accounts.create_shop(conn, unique("shop"), qualified=True)
        creator = accounts.create_creator(conn, username, PASSWORD, invited=True)
        accounts.bind_shop(conn, creator, shop)
        category = catalog.create_category(conn, unique("珍珠"), approved=True)
        product = catalog.create_product(conn, shop, category, "南洋金珠")

    anon_b = b.client()
    token = anon_b.ok("POST", "/auth/sign-in", json={"username": username, "password": PASSWORD})[
        "token"
    ]
    seller = b.client(token)
    room = seller.ok("POST", "/rooms", 201, json={"title": "珍珠专场"})["id"]
    template = seller.ok("POST", "/shipping-templates", 201, json={"name": "包邮", "kind": "free"})[
        "id"
    ]
    picture = seller.ok(
        "POST", "/pictures", 201, data=jpeg_bytes(), headers={"Content-Type": "image/jpeg"}
    )["id"]

    anon_a = a.client()
    joined = anon_a.ok("POST", f"/rooms/{room}/join", json={"nickname": "小李"})
    viewer_on_a = a.client(joined["token"])
    stream_on_a = SseClient(viewer_on_a, f"/rooms/{room}/viewer-events")
    creator_stream_on_a = SseClient(a.client(token), f"/rooms/{room}/events")

    body = {
        "product_id": product,
        "mode": "full",
        "title": "7号 金珠",
        "price_fen": 88_800,
        "picture_id": picture,
        "template_id": template,
    }
    made = seller.ok("POST", f"/rooms/{room}/flash-buys", 201, json=body)
    got = [e for e in stream_on_a.until_id(_last(seller, room)) if e["type"] == "flashbuy.created"]
    assert [e["data"]["id"] for e in got] == [made["id"]]

    # And back: the viewer buys through process A; the creator's stream on A and the
    # listing through B agree.
    viewer_on_a.ok("POST", f"/flash-buys/{made['id']}/orders", 201, json={})
    types = [e["type"] for e in creator_stream_on_a.until_id(_last(seller, room))]
    assert types[-4:] == ["order.placed", "live.totals", "flashbuy.updated", "flashbuy.sold_out"]
    assert seller.ok("GET", f"/flash-buys/{made['id']}")["status"] == "sold_out"
    for closable in (stream_on_a, creator_stream_on_a, anon_a, anon_b, seller, viewer_on_a):
        closable.close()


def _last(api: Api, room: int) -> int:
    return int(api.ok("GET", f"/rooms/{room}")["last_event_id"])
