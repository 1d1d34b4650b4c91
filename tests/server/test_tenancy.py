"""Tenancy: walking ids tells a creator nothing of another creator's products, rooms,
flash-buys, orders, comments, viewers, events or shipping templates, and a viewer nothing
of the flash-buys of a room it never joined.

Each endpoint that takes an id is walked the way an attacker would: every id of a window
below the newest one (another creator's and ids no row has alike), and one far beyond.
Every answer must equal, whole (status and body, the walked id aside), the answer for an
id no row has, and must change nothing.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.tables import (
    creator_shops,
    flashbuys,
    products,
    room_members,
    rooms,
    shipping_templates,
    viewers,
)
from tests.support import Api, Platform, World, expect_error, make_world, snapshot

NOWHERE = 999_999_999  # an id no row has
WINDOW = 40  # how far below the newest id a walk starts (issue 12 walked 1..40)
FREE = {"name": "包邮", "kind": "free"}


@dataclass
class Scene:
    """Two creators of different shops, each live with viewers; the victim has done business."""

    victim: World
    attacker: World

    @property
    def platform(self) -> Platform:
        return self.victim.platform


@pytest.fixture
def scene(world: World) -> Iterator[Scene]:
    victim = world
    # A first live with a flash-buy bought once and a comment, then ended.
    first = victim.create_flashbuy(stock=2)
    victim.viewers[0].ok("POST", f"/flash-buys/{first['id']}/orders", 201, json={})
    victim.viewers[0].ok("POST", f"/rooms/{victim.room_id}/comments", 201, json={"text": "要"})
    victim.creator.ok("POST", f"/rooms/{victim.room_id}/end")
    # A second live, going on: an active full offer bought once, a targeted one, a sold-out one.
    victim.room_id = victim.creator.ok("POST", "/rooms", 201, json={"title": "第二场"})["id"]
    buyer, buyer_id = victim.join("阿珍")
    victim.join("小明")
    full = victim.create_flashbuy(stock=3)
    buyer.ok("POST", f"/flash-buys/{full['id']}/orders", 201, json={})
    victim.create_flashbuy(mode="targeted", target_viewer_ids=[buyer_id])
    sold_out = victim.create_flashbuy(stock=1)
    buyer.ok("POST", f"/flash-buys/{sold_out['id']}/orders", 201, json={})
    buyer.ok("POST", f"/rooms/{victim.room_id}/comments", 201, json={"text": "3号多少钱"})
    victim.creator.ok("POST", "/shipping-templates", 201, json={"name": "偏远不发", "kind": "free"})

    attacker = make_world(victim.platform, viewers=1)
    attacker.create_flashbuy(stock=5)
    yield Scene(victim=victim, attacker=attacker)
    attacker.close()


# --- whose ids are whose ------------------------------------------------------------------


def _ids(platform: Platform, query: sa.Select[Any]) -> set[int]:
    with platform.db.read() as conn:
        return {int(i) for i in conn.execute(query).scalars()}


def _products_of(creator_id: int) -> sa.Select[Any]:
    return (
        sa.select(products.c.id)
        .join(creator_shops, creator_shops.c.shop_id == products.c.shop_id)
        .where(creator_shops.c.creator_id == creator_id)
    )


def _flashbuys_joined_by(viewer_id: int) -> sa.Select[Any]:
    return (
        sa.select(flashbuys.c.id)
        .join(room_members, room_members.c.room_id == flashbuys.c.room_id)
        .where(room_members.c.viewer_id == viewer_id)
    )


def _rooms_joined_by(viewer_id: int) -> sa.Select[Any]:
    return sa.select(room_members.c.room_id).where(room_members.c.viewer_id == viewer_id)


@dataclass(frozen=True)
class Kind:
    """What an endpoint's id names: its table, and which rows the attacker may reach."""

    table: sa.Table
    own: Callable[[Scene], sa.Select[Any]]  # the attacker's to reach: not walked
    theirs: Callable[[Scene], sa.Select[Any]]  # the victim's: must be in the walk


def _by_creator(table: sa.Table) -> Kind:
    return Kind(
        table,
        lambda s: sa.select(table.c.id).where(table.c.creator_id == s.attacker.creator_id),
        lambda s: sa.select(table.c.id).where(table.c.creator_id == s.victim.creator_id),
    )


ROOM = _by_creator(rooms)
FLASHBUY = _by_creator(flashbuys)
TEMPLATE = _by_creator(shipping_templates)
PRODUCT = Kind(
    products,
    lambda s: _products_of(s.attacker.creator_id),
    lambda s: _products_of(s.victim.creator_id),
)
VIEWER = Kind(  # as a target: the attacker may name those present in its own room
    viewers,
    lambda s: sa.select(room_members.c.viewer_id).where(
        room_members.c.room_id == s.attacker.room_id
    ),
    lambda s: sa.select(room_members.c.viewer_id).where(
        room_members.c.room_id.in_(
            sa.select(rooms.c.id).where(rooms.c.creator_id == s.victim.creator_id)
        )
    ),
)
JOINED_FLASHBUY = Kind(  # for the attacker's viewer: the flash-buys of rooms it joined
    flashbuys,
    lambda s: _flashbuys_joined_by(s.attacker.viewer_ids[0]),
    FLASHBUY.theirs,
)
JOINED_ROOM = Kind(rooms, lambda s: _rooms_joined_by(s.attacker.viewer_ids[0]), ROOM.theirs)


# --- the walk -----------------------------------------------------------------------------


def _without_id(value: Any, ident: int) -> Any:
    """``value`` with the walked id taken out, wherever it is named."""
    if isinstance(value, dict):
        return {k: _without_id(v, ident) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_id(v, ident) for v in value]
    if isinstance(value, str):
        return re.sub(rf"(?<!\d){ident}(?!\d)", "<id>", value)
    if isinstance(value, int) and not isinstance(value, bool) and value == ident:
        return "<id>"
    return value


def answer(resp: requests.Response, ident: int) -> tuple[int, str, Any]:
    """Everything an answer tells, but the id it was asked about."""
    return (
        resp.status_code,
        resp.headers.get("content-type", ""),
        _without_id(resp.json(), ident),
    )


def walk(scene: Scene, kind: Kind, send: Callable[[int], requests.Response]) -> int:
    """Walk the ids of ``kind`` with ``send``; every one not the attacker's must be
    answered as an id no row has. Returns how many of the victim's ids were walked."""
    platform = scene.platform
    own = _ids(platform, kind.own(scene))
    theirs = _ids(platform, kind.theirs(scene))
    top = _ids(platform, sa.select(sa.func.max(kind.table.c.id))).pop()
    walked = [i for i in range(max(1, top - WINDOW), top + 3) if i not in own]
    # Not a walk that could pass by missing the point: all the victim's ids are in it.
    assert theirs, "the victim has none of these"
    assert theirs <= set(walked), (theirs, walked)
    nowhere = answer(send(NOWHERE), NOWHERE)
    before = snapshot(platform.db)
    told = {i: answer(send(i), i) for i in walked}
    assert {i: a for i, a in told.items() if a != nowhere} == {}, nowhere
    assert snapshot(platform.db) == before
    return len(theirs)


def _sse(client: Api, path: str) -> requests.Response:
    resp = client.get(path, stream=True, headers={"Accept": "text/event-stream"})
    resp.content  # noqa: B018 (an error answer is short: read it all, then let go)
    resp.close()
    return resp


def _create(s: Scene, room_id: int | None = None, **overrides: Any) -> requests.Response:
    return s.attacker.creator.post(
        f"/rooms/{room_id or s.attacker.room_id}/flash-buys",
        json=s.attacker.flashbuy_body(**overrides),
    )


Send = Callable[[Scene, int], requests.Response]

CREATOR_ENDPOINTS: list[Any] = [
    # products
    pytest.param(PRODUCT, lambda s, i: s.attacker.creator.get(f"/products/{i}"), id="get-product"),
    pytest.param(PRODUCT, lambda s, i: _create(s, product_id=i), id="flash-buy-a-product"),
    # rooms and what is in them
    pytest.param(ROOM, lambda s, i: _create(s, room_id=i), id="flash-buy-in-a-room"),
    pytest.param(ROOM, lambda s, i: s.attacker.creator.post(f"/rooms/{i}/end"), id="end-live"),
    pytest.param(
        ROOM, lambda s, i: s.attacker.creator.get(f"/rooms/{i}/viewers"), id="room-viewers"
    ),
    pytest.param(
        ROOM, lambda s, i: s.attacker.creator.get(f"/rooms/{i}/comments"), id="room-comments"
    ),
    pytest.param(
        ROOM, lambda s, i: _sse(s.attacker.creator, f"/rooms/{i}/events"), id="room-events"
    ),
    pytest.param(
        ROOM,
        lambda s, i: s.attacker.creator.get("/flash-buys", params={"room_id": i}),
        id="flash-buys-of-a-room",
    ),
    pytest.param(
        ROOM, lambda s, i: s.attacker.creator.get(f"/rooms/{i}/orders"), id="orders-of-a-room"
    ),
    # flash-buys and their orders
    pytest.param(
        FLASHBUY, lambda s, i: s.attacker.creator.get(f"/flash-buys/{i}"), id="get-flash-buy"
    ),
    pytest.param(
        FLASHBUY,
        lambda s, i: s.attacker.creator.post(f"/flash-buys/{i}/end"),
        id="end-flash-buy",
    ),
    pytest.param(
        FLASHBUY,
        lambda s, i: s.attacker.creator.get(f"/flash-buys/{i}/orders"),
        id="orders-of-a-flash-buy",
    ),
    # viewers named as targets
    pytest.param(
        VIEWER,
        lambda s, i: _create(s, mode="targeted", target_viewer_ids=[i]),
        id="target-a-viewer",
    ),
    # shipping templates
    pytest.param(
        TEMPLATE,
        lambda s, i: s.attacker.creator.get(f"/shipping-templates/{i}"),
        id="get-template",
    ),
    pytest.param(
        TEMPLATE,
        lambda s, i: s.attacker.creator.put(f"/shipping-templates/{i}", json=FREE),
        id="replace-template",
    ),
    pytest.param(
        TEMPLATE,
        lambda s, i: s.attacker.creator.delete(f"/shipping-templates/{i}"),
        id="delete-template",
    ),
    pytest.param(
        TEMPLATE,
        lambda s, i: s.attacker.creator.post(
            f"/shipping-templates/{i}/quote", json={"region": "浙江"}
        ),
        id="quote-template",
    ),
    pytest.param(TEMPLATE, lambda s, i: _create(s, template_id=i), id="flash-buy-with-template"),
]

VIEWER_ENDPOINTS: list[Any] = [
    pytest.param(
        JOINED_FLASHBUY,
        lambda s, i: s.attacker.viewers[0].post(f"/flash-buys/{i}/orders", json={}),
        id="buy",
    ),
    pytest.param(
        JOINED_ROOM,
        lambda s, i: s.attacker.viewers[0].get(f"/rooms/{i}/offers"),
        id="offers",
    ),
]


@pytest.mark.parametrize(("kind", "send"), CREATOR_ENDPOINTS)
def test_another_creators_id_is_answered_as_one_that_does_not_exist(
    scene: Scene, kind: Kind, send: Send
) -> None:
    assert walk(scene, kind, lambda i: send(scene, i)) >= 1


@pytest.mark.parametrize(("kind", "send"), VIEWER_ENDPOINTS)
def test_a_viewer_learns_nothing_of_a_room_it_never_joined(
    scene: Scene, kind: Kind, send: Send
) -> None:
    assert walk(scene, kind, lambda i: send(scene, i)) >= 1


def test_walking_product_ids_gives_only_ones_own(scene: Scene) -> None:
    """Issue 12's walk: every product id up to the newest, one by one."""
    attacker = scene.attacker
    top = _ids(scene.platform, sa.select(sa.func.max(products.c.id))).pop()
    found = []
    for i in range(max(1, top - WINDOW), top + 3):
        resp = attacker.creator.get(f"/products/{i}")
        if resp.status_code == 200:
            found.append(resp.json())
        else:
            body = expect_error(resp, ErrorCode.NOT_FOUND)
            assert body == {"what": "product", "id": i}
            assert resp.json()["error"]["message"] == f"product {i} does not exist"
    assert found == attacker.creator.ok("GET", "/products")
    assert [p["id"] for p in found] == [attacker.product_id]
    # The victim still sees its own, whole.
    mine = scene.victim.creator.ok("GET", f"/products/{scene.victim.product_id}")
    assert (mine["id"], mine["eligible"]) == (scene.victim.product_id, True)


def test_an_uninvited_creator_is_told_its_own_reason_and_nothing_of_others(world: World) -> None:
    """The existence of the product comes before eligibility: another shop's product is
    not found, one's own is refused with the first reason, as before."""
    uninvited = make_world(world.platform, invited=False, viewers=0)
    try:
        scene = Scene(victim=world, attacker=uninvited)
        walk(scene, PRODUCT, lambda i: _create(scene, product_id=i))
        expect_error(_create(scene), ErrorCode.CREATOR_NOT_INVITED)
        own = uninvited.creator.ok("GET", f"/products/{uninvited.product_id}")
        assert (own["eligible"], own["ineligible_reason"]) == (False, "CREATOR_NOT_INVITED")
    finally:
        uninvited.close()


def test_the_lists_hold_only_ones_own(scene: Scene) -> None:
    attacker, victim = scene.attacker, scene.victim
    assert [p["id"] for p in attacker.creator.ok("GET", "/products")] == [attacker.product_id]
    assert [r["id"] for r in attacker.creator.ok("GET", "/rooms")] == [attacker.room_id]
    assert [r["id"] for r in attacker.creator.ok("GET", "/rooms/summaries")] == [attacker.room_id]
    listed = attacker.creator.ok("GET", "/flash-buys")
    assert {f["room_id"] for f in listed["items"]} == {attacker.room_id}
    assert listed["total"] == 1
    templates = attacker.creator.ok("GET", "/shipping-templates")
    assert [t["id"] for t in templates] == [attacker.template_id]
    # ... while the victim's are all there for the victim.
    assert len(victim.creator.ok("GET", "/flash-buys")["items"]) == 4
    assert len(victim.creator.ok("GET", "/rooms")) == 2
