"""Creating, listing and ending flash-buys under the platform's rules, over real HTTP."""

import sqlalchemy as sa

from flashbuy_protocol.errors import ErrorCode
from flashbuy_server.tables import events
from tests.support import World, expect_error, make_world, snapshot


def test_full_flashbuy_is_created_with_its_event(world: World) -> None:
    fb = world.create_flashbuy()
    assert fb["status"] == "active"
    assert (fb["mode"], fb["price_fen"], fb["stock"], fb["sold"]) == ("full", 128_800, 1, 0)
    assert fb["category_name"].startswith("翡翠")
    with world.platform.db.read() as conn:
        logged = conn.execute(
            sa.select(events.c.type, events.c.data, events.c.audience).where(
                events.c.room_id == world.room_id, events.c.type == "flashbuy.created"
            )
        ).one()
    assert logged.data["id"] == fb["id"]
    assert logged.audience == "all"


def test_targeted_flashbuy_names_viewers_in_the_room(world: World) -> None:
    fb = world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])
    assert [t["id"] for t in fb["targets"]] == [world.viewer_ids[0]]


def test_quota_used_and_left_follow_creations(world: World) -> None:
    world.create_flashbuy()
    world.create_flashbuy(mode="targeted", target_viewer_ids=world.viewer_ids)
    quota = world.creator.ok("GET", f"/products/{world.product_id}")["quota"]
    assert quota == {
        "full_used": 1,
        "full_limit": 20,
        "full_left": 19,
        "targeted_used": 1,
        "targeted_limit": 100,
        "targeted_left": 99,
    }


def test_the_21st_full_flashbuy_is_refused_and_changes_nothing(world: World) -> None:
    for _ in range(20):
        world.create_flashbuy()
    before = snapshot(world.platform.db)
    resp = world.creator.post(f"/rooms/{world.room_id}/flash-buys", json=world.flashbuy_body())
    details = expect_error(resp, ErrorCode.QUOTA_FULL_EXCEEDED)
    assert details["limit"] == 20
    assert snapshot(world.platform.db) == before
    # the targeted quota is separate
    world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])


def test_the_101st_targeted_flashbuy_is_refused_and_changes_nothing(world: World) -> None:
    body = world.flashbuy_body(mode="targeted", target_viewer_ids=[world.viewer_ids[1]])
    for _ in range(100):
        world.creator.ok("POST", f"/rooms/{world.room_id}/flash-buys", 201, json=body)
    before = snapshot(world.platform.db)
    resp = world.creator.post(f"/rooms/{world.room_id}/flash-buys", json=body)
    assert expect_error(resp, ErrorCode.QUOTA_TARGETED_EXCEEDED)["limit"] == 100
    assert snapshot(world.platform.db) == before
    world.create_flashbuy()


def test_list_filters_and_counts_per_status(world: World) -> None:
    a = world.create_flashbuy(title="1号 手镯", piece_no="1")
    b = world.create_flashbuy(
        title="2号 吊坠", piece_no="2", mode="targeted", target_viewer_ids=[world.viewer_ids[0]]
    )
    world.create_flashbuy(title="3号 戒面", piece_no="A3")
    world.creator.ok("POST", f"/flash-buys/{a['id']}/end")
    listed = world.creator.ok("GET", "/flash-buys", params={"room_id": world.room_id})
    assert listed["counts"] == {"active": 2, "sold_out": 0, "ended": 1}
    assert [i["id"] for i in listed["items"]] == sorted(
        (i["id"] for i in listed["items"]), reverse=True
    )

    def ids(**params: object) -> list[int]:
        got = world.creator.ok("GET", "/flash-buys", params={"room_id": world.room_id, **params})
        return [i["id"] for i in got["items"]]

    assert ids(status="ended") == [a["id"]]
    assert ids(mode="targeted") == [b["id"]]
    assert ids(q="吊坠") == [b["id"]]
    assert len(ids(q="3")) == 1  # piece number A3 and title 3号 are one flash-buy
    assert ids(category_id=world.category_id + 10_000) == []
    assert ids(q="%") == []  # LIKE wildcards are searched for literally


def test_end_hides_at_once_and_is_harmless_twice(world: World) -> None:
    fb = world.create_flashbuy()
    ended = world.creator.ok("POST", f"/flash-buys/{fb['id']}/end")
    assert ended["status"] == "ended"
    assert ended["ended_at"]
    again = world.creator.ok("POST", f"/flash-buys/{fb['id']}/end")
    assert again == ended
    viewer = world.viewers[0]
    expect_error(viewer.post(f"/flash-buys/{fb['id']}/orders", json={}), ErrorCode.FLASHBUY_ENDED)
    assert viewer.ok("GET", f"/rooms/{world.room_id}/offers") == []


def test_ending_the_live_ends_every_active_flashbuy(world: World) -> None:
    first = world.create_flashbuy()
    second = world.create_flashbuy(mode="targeted", target_viewer_ids=[world.viewer_ids[0]])
    room = world.creator.ok("POST", f"/rooms/{world.room_id}/end")
    assert room["status"] == "ended"
    for fb in (first, second):
        assert world.creator.ok("GET", f"/flash-buys/{fb['id']}")["status"] == "ended"
    resp = world.creator.post(f"/rooms/{world.room_id}/flash-buys", json=world.flashbuy_body())
    expect_error(resp, ErrorCode.LIVE_NOT_ACTIVE)


def test_eligibility_is_refused_with_its_own_code(world: World) -> None:
    platform = world.platform
    for kwargs, code in (
        ({"invited": False}, ErrorCode.CREATOR_NOT_INVITED),
        ({"qualified": False}, ErrorCode.SHOP_NOT_QUALIFIED),
        ({"approved": False}, ErrorCode.CATEGORY_NOT_APPROVED),
    ):
        other = make_world(platform, **kwargs)
        product = other.creator.ok("GET", f"/products/{other.product_id}")
        assert (product["eligible"], product["ineligible_reason"]) == (False, code.value)
        before = snapshot(platform.db)
        resp = other.creator.post(f"/rooms/{other.room_id}/flash-buys", json=other.flashbuy_body())
        expect_error(resp, code)
        assert snapshot(platform.db) == before
        other.close()
